"""bench/dashboard.py end to end on a tiny SQLite store (no timing asserted)."""

from pathlib import Path

import pytest

from bench.dashboard import main
from bot.ops_sections import SECTIONS


def test_prints_store_counts_then_one_line_per_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store.db"
    argv = ["--url", f"sqlite:///{store}", "--logs", str(tmp_path / "logs")]
    main([*argv, "--orders", "300", "--repeat", "2", "--days", "30"])
    lines = capsys.readouterr().out.splitlines()
    assert ["orders", "300"] in [line.split() for line in lines]
    for name in SECTIONS:
        rows = [line.split() for line in lines if line.split()[:2] == [name, "30"]]
        assert len(rows) == 1, name
        assert rows[0][-1] in ("ok", "SLOW"), rows[0]
    csv = [line for line in lines if line.startswith("  ") and ".csv " in line]
    assert len(csv) == len(SECTIONS)
    assert any(line.startswith("sections over target:") for line in lines)
    assert store.is_file()  # a --url store is never dropped
