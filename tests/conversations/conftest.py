"""One trained Rasa server and one action server for the whole test session.

The model is trained only when its inputs changed (`bot.training`), so a
second run starts in under a minute; both servers speak to a throw-away
SQLite tracker store through the same `endpoints.yml` and command lines
production uses (`bot.stack.temporary_rasa`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.stack import temporary_rasa

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def rasa_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running Rasa server wired to a running action server."""
    workdir = tmp_path_factory.mktemp("rasa")
    with temporary_rasa(f"sqlite:///{workdir / 'shopdesk.db'}", workdir) as url:
        yield url


@pytest.fixture(scope="session")
def responses() -> dict[str, list[dict[str, Any]]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    return dict(domain["responses"])
