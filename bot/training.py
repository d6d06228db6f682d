"""Train the Rasa model only when what it is made of has changed.

Training takes one to two minutes on a two-core machine; `make run` a second
time and every test session must not pay that again. The model file is named
after a fingerprint of its inputs, so "is there a model for this data?" is a
file-exists check, and no state is kept anywhere else.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

MODELS_DIR = "models"
MODEL_PREFIX = "shopdesk-"
FINGERPRINT_LENGTH = 12
OUTPUT_TAIL_LINES = 40

# Rasa and TensorFlow are noisy; these keep `make run` and CI logs readable.
# Telemetry off: Rasa would otherwise send crash reports to Sentry, and on an
# offline machine each attempt stalls on DNS retries.
QUIET_LOG_ENV = {
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "HF_HUB_OFFLINE": "1",
    "RASA_TELEMETRY_ENABLED": "false",
    # TensorFlow 2.12 and jax print dozens of DeprecationWarnings at import.
    "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
}


class TrainingFailed(RuntimeError):
    """`rasa train` exited with an error; the message ends with its output's tail."""


def _model_inputs(project_root: Path) -> Iterable[Path]:
    """Every file whose change changes the trained model, in a stable order."""
    fixed = [
        project_root / "config.yml",
        project_root / "domain.yml",
        project_root / "requirements" / "rasa.txt",
    ]
    data = sorted((project_root / "data").rglob("*.yml"))
    components = sorted((project_root / "shopdesk_nlu").rglob("*.py"))
    return [*fixed, *data, *components]


def model_fingerprint(project_root: Path) -> str:
    """Hash the model's inputs: config, domain, training data, NLU code, Rasa pins.

    Paths are hashed with the contents, so moving an example to another
    language folder (which the language detector reads) changes the model too.
    A missing file is hashed as missing rather than skipped for the same reason.
    """
    digest = hashlib.sha256()
    for path in _model_inputs(project_root):
        digest.update(path.relative_to(project_root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def trained_model_path(project_root: Path) -> Path:
    """Where the model for the current inputs lives (it may not exist yet)."""
    short = model_fingerprint(project_root)[:FINGERPRINT_LENGTH]
    return project_root / MODELS_DIR / f"{MODEL_PREFIX}{short}.tar.gz"


def _tail(output: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    return "\n".join(output.strip().splitlines()[-lines:])


def train_if_needed(
    project_root: Path, *, force: bool = False, rasa_bin: Path | None = None
) -> tuple[Path, bool]:
    """Return the model for the current inputs, training it first if it is missing.

    Older `shopdesk-*.tar.gz` models are deleted after a successful training:
    each is about as large as the previous one and only the newest is served.

    Returns:
        The model's path, and whether this call trained it.

    Raises:
        TrainingFailed: `rasa train` failed or did not write the expected file.
    """
    root = project_root.resolve()
    model = trained_model_path(root)
    if model.is_file() and not force:
        return model, False

    rasa = rasa_bin or root / ".venv-rasa" / "bin" / "rasa"
    command = [
        str(rasa),
        "train",
        "--fixed-model-name",
        model.name.removesuffix(".tar.gz"),
        "--out",
        str(model.parent),
    ]
    if force:
        command.append("--force")
    try:
        result = subprocess.run(
            command,
            cwd=root,
            env={**os.environ, **QUIET_LOG_ENV},
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise TrainingFailed(f"Could not run {rasa}: {exc}") from exc
    output = f"{result.stdout}\n{result.stderr}"
    if result.returncode != 0 or not model.is_file():
        raise TrainingFailed(
            f"rasa train exited with {result.returncode} and "
            f"{'wrote' if model.is_file() else 'did not write'} {model.name}:\n"
            f"{_tail(output)}"
        )
    for old in model.parent.glob(f"{MODEL_PREFIX}*.tar.gz"):
        if old != model:
            old.unlink(missing_ok=True)
    return model, True
