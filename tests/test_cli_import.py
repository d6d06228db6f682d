"""`shopdesk import`, run as a shop would on a fresh store of each dialect."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.settings import HubSettings, env_names
from crm.db import make_engine, make_session_factory
from crm.events.models import InboundEvent
from crm.orders.models import Order, OrderStatus
from tests.factories import make_product

SAMPLES = Path(__file__).resolve().parents[1] / "docs" / "import-samples"
KINDS = ("orders", "shipments", "events")


def shopdesk(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def store_url(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    """A fresh, unmigrated database that every command points at."""
    monkeypatch.chdir(tmp_path)
    for name in HubSettings.model_fields:
        for variable in env_names(name):
            monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("SHOPDESK_DATABASE_URL", empty_database_url)
    return empty_database_url


@pytest.fixture
def store(store_url: str) -> str:
    """A migrated store whose catalogue has the samples' products."""
    upgraded = shopdesk("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    engine = make_engine(store_url)
    with make_session_factory(engine)() as session:
        for sku in ("KIT-001", "KIT-005", "KIT-006", "CLE-001"):
            make_product(session, sku=sku)
        session.commit()
    engine.dispose()
    return store_url


def statuses(url: str) -> dict[str, OrderStatus]:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.execute(select(Order.number, Order.status))
            return {row.number: row.status for row in rows}
    finally:
        engine.dispose()


def count_events(url: str) -> int:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalar(select(func.count(InboundEvent.id))) or 0
    finally:
        engine.dispose()


def test_the_samples_import_in_order_and_a_second_run_changes_nothing(
    store: str,
) -> None:
    for kind in KINDS:
        result = shopdesk("import", kind, str(SAMPLES / f"{kind}.csv"))
        assert result.exit_code == 0, result.output
        assert "rejected: 0 rows" in result.output
        assert "rows/s)" in result.output
    first = shopdesk("import", "orders", str(SAMPLES / "orders.csv"))

    assert statuses(store) == {
        "000101": OrderStatus.DELIVERED,
        "000102": OrderStatus.DELAYED,
        "000103": OrderStatus.OUT_FOR_DELIVERY,
    }
    assert "imported: 0 rows (0 orders)" in first.output
    assert "already imported: 4 rows" in first.output
    assert count_events(store) == 3 + 3 + 6


def test_bad_rows_are_listed_and_written_to_the_errors_file_the_rest_imported(
    store: str, tmp_path: Path
) -> None:
    text = (SAMPLES / "orders.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[1] = lines[1].replace(",38.70,", ",38,7O,").replace("38,7O", '"38,7O"')
    lines[4] = lines[4].replace("CLE-001", "CLE-404")
    bad = tmp_path / "orders.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejected = tmp_path / "rejected.csv"

    result = shopdesk("import", "orders", str(bad), "--errors", str(rejected))

    assert result.exit_code == 1
    assert "imported: 2 rows (1 order)" in result.output
    assert "rejected: 2 rows" in result.output
    assert 'line 2: total: not a number ("38,7O")' in result.output
    assert "line 5: sku: no product CLE-404 in the catalogue" in result.output
    assert f"Wrote 2 rejected rows to {rejected}" in result.output
    written = rejected.read_text(encoding="utf-8").splitlines()
    assert written[0].startswith("error_line,error_reason,order_number,")
    assert [row.split(",")[0] for row in written[1:]] == ["2", "5"]
    assert set(statuses(store)) == {"000102"}


def test_a_french_excel_file_with_semicolons_and_a_bom_imports(
    store: str, tmp_path: Path
) -> None:
    text = (SAMPLES / "orders.csv").read_text(encoding="utf-8")
    french = tmp_path / "commandes.csv"
    french.write_text(
        text.replace('"Relais Tabac Bellecour, 69002 Lyon"', "Relais Bellecour")
        .replace(",", ";")
        .replace("38.70", "38,70"),
        encoding="utf-8-sig",
    )

    result = shopdesk("import", "orders", str(french))

    assert result.exit_code == 0, result.output
    assert 'commandes.csv: 4 rows (delimiter ";")' in result.output
    assert len(statuses(store)) == 3


def test_dry_run_checks_against_the_store_and_changes_nothing(store: str) -> None:
    orders = shopdesk("import", "orders", "--dry-run", str(SAMPLES / "orders.csv"))
    shipments = shopdesk(
        "import", "shipments", "--dry-run", str(SAMPLES / "shipments.csv")
    )

    assert orders.exit_code == 0, orders.output
    assert "would import: 4 rows (3 orders)" in orders.output
    assert "Dry run: nothing was changed." in orders.output
    assert shipments.exit_code == 1
    assert (
        "line 2: order_number: no order 000101 in the store: "
        "import the orders file first"
    ) in shipments.output
    assert statuses(store) == {}
    assert count_events(store) == 0


def test_a_file_without_a_needed_column_is_refused_before_any_change(
    store: str, tmp_path: Path
) -> None:
    broken = tmp_path / "shipments.csv"
    shutil.copy(SAMPLES / "shipments.csv", broken)
    broken.write_text(broken.read_text().replace("tracking_number", "tracking"))

    result = shopdesk("import", "shipments", str(broken))

    assert result.exit_code == 1
    assert "the header lacks the column(s) tracking_number" in result.output
    assert "Nothing was imported." in result.output


def test_an_unmigrated_store_is_named_with_the_command_to_run(store_url: str) -> None:
    result = shopdesk("import", "orders", str(SAMPLES / "orders.csv"))

    assert result.exit_code == 1
    assert "Run `shopdesk db upgrade` first." in result.output
