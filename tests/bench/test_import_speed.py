"""bench/import_speed.py end to end on a few orders (no timing asserted)."""

import pytest

from bench.import_speed import main


def test_every_file_imports_whole_then_is_already_there(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--orders", "12", "--dialects", "sqlite,postgresql"])

    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    expected = {"products": 48, "orders": 24, "shipments": 12, "events": 36}
    assert len(rows) == 2 * 4 * 2  # dialects x files x runs
    for dialect, kind, run, total, imported, already, rejected, *_ in rows:
        assert dialect in ("sqlite", "postgresql")
        assert int(total.replace(",", "")) == expected[kind]
        done = imported if run == "first" else already
        assert (int(done.replace(",", "")), rejected) == (expected[kind], "0")
