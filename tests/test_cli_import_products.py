"""`shopdesk import products`, then the history, as a shop would on a fresh store."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli_import import SAMPLES, shopdesk, statuses
from tests.test_cli_import import store_url as store_url


def test_a_shop_loads_its_catalogue_then_its_history_on_a_fresh_store(
    store_url: str,
) -> None:
    assert shopdesk("db", "upgrade").exit_code == 0
    commands = shopdesk("import", "--help").output.split("Commands")[1]
    assert commands.index("products") < commands.index("orders")

    products = shopdesk("import", "products", str(SAMPLES / "products.csv"))
    history = [
        shopdesk("import", kind, str(SAMPLES / f"{kind}.csv"))
        for kind in ("orders", "shipments", "events")
    ]
    again = shopdesk("import", "products", str(SAMPLES / "products.csv"))

    assert products.exit_code == 0, products.output
    assert 'products.csv: 6 rows (delimiter ",")' in products.output
    assert "imported: 6 rows (6 products)" in products.output
    assert all(result.exit_code == 0 for result in history), history[0].output
    assert len(statuses(store_url)) == 3
    assert "imported: 0 rows (0 products)" in again.output
    assert "already imported: 6 rows" in again.output


def test_a_bad_product_row_exits_1_the_others_imported_and_dry_run_says_so(
    store_url: str, tmp_path: Path
) -> None:
    assert shopdesk("db", "upgrade").exit_code == 0
    lines = (SAMPLES / "products.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",12.90,", ",douze,")
    bad = tmp_path / "catalogue.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")

    dry = shopdesk("import", "products", "--dry-run", str(bad))
    result = shopdesk("import", "products", str(bad))

    assert dry.exit_code == 1
    assert "would import: 5 rows (5 products)" in dry.output
    assert "Dry run: nothing was changed." in dry.output
    assert result.exit_code == 1
    assert "imported: 5 rows (5 products)" in result.output  # none by the dry run
    assert 'line 3: price: not a number ("douze")' in result.output
