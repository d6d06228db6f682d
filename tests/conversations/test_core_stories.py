"""`rasa test core` on tests/stories: every dialogue path, both languages."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from bot.training import QUIET_LOG_ENV, train_if_needed

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_story_is_predicted(tmp_path: Path) -> None:
    model, _ = train_if_needed(ROOT)
    result = subprocess.run(
        [
            str(ROOT / ".venv-rasa" / "bin" / "rasa"),
            *("test", "core", "--stories", "tests/stories"),
            *("--model", str(model), "--out", str(tmp_path)),
            "--fail-on-prediction-errors",
        ],
        cwd=ROOT,
        env={**os.environ, **QUIET_LOG_ENV},
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )

    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text("utf-8") if failed.is_file() else ""
    assert result.returncode == 0, (
        f"{details}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
