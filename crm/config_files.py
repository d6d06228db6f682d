"""Reading the shop's YAML configuration files into checked pydantic models.

Delivery options, the return policy, the knowledge-base search and support
hours are files the shop edits without touching code; each is read the same
way, and a mistake is reported with the file and the field, never as a
traceback the operator has to decode.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def load_yaml_model(path: Path, model: type[M], error: type[ValueError]) -> M:
    """Parse `path` as a mapping and validate it as `model`.

    Raises:
        error: the file is missing, not YAML, not a mapping, or a field is
            wrong; the message names the file and the field.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise error(f"{path}: expected a mapping of settings")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["loc"]:
            field = ".".join(str(part) for part in first["loc"])
            message = f"{field}: {message}"
        raise error(f"{path}: {message}") from exc
