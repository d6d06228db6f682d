"""Catalogue imports: new SKUs created, changed ones updated, bad rows named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.catalog.schemas import ProductChange, ProductCreate
from crm.catalog.service import upsert_products
from crm.errors import InvalidInput
from crm.imports.schemas import ImportKind
from crm.imports.service import open_import
from crm.orders.models import OrderStatus
from crm.orders.service import get_order
from crm.staff.models import AuditEntry
from tests.crm.test_imports import NOW, SAMPLES, count, errors, run, write

PRODUCTS = SAMPLES / "products.csv"
HEADER = ["sku", "name_fr", "name_en", "category", "price", "returnable", "stock"]


def product_row(sku: str = "KIT-001", **changes: str) -> dict[str, str]:
    row = {
        "sku": sku,
        "name_fr": "Emballages à la cire d'abeille (lot de 3)",
        "name_en": "Beeswax wraps (set of 3)",
        "category": "kitchen",
        "price": "16.90",
        "returnable": "yes",
        "stock": "120",
    }
    return row | changes


def product(session: Session, sku: str) -> Product:
    found = session.scalars(select(Product).where(Product.sku == sku)).one()
    return found


def audit(session: Session) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.entity == "product")
    return list(session.scalars(query.order_by(AuditEntry.id)))


def test_new_products_are_created_from_the_sample_file(session: Session) -> None:
    report = run(session, ImportKind.PRODUCTS, PRODUCTS)

    assert (report.rows, report.imported_rows, report.records) == (6, 6, 6)
    assert (report.already_rows, report.rejected_rows, report.errors) == (0, 0, ())
    bottle = product(session, "KIT-006")
    assert (bottle.name_en, bottle.price, bottle.stock) == (
        "Insulated bottle 500 mL",
        Decimal("24.90"),
        35,
    )
    assert product(session, "CLE-001").returnable  # blank: returnable
    assert not product(session, "HYG-002").returnable
    entries = audit(session)
    assert [(e.actor, e.action, e.entity_id) for e in entries][:2] == [
        ("import", "product_created", "KIT-001"),
        ("import", "product_created", "KIT-005"),
    ]
    assert entries[2].details == {
        "values": {
            "name_fr": "Gourde isotherme 500 mL",
            "name_en": "Insulated bottle 500 mL",
            "category": "kitchen",
            "price": "24.90",
            "returnable": True,
            "stock": 35,
        }
    }


def test_blank_optional_cells_take_the_defaults_for_a_new_product(
    session: Session, tmp_path: Path
) -> None:
    rows = [{"sku": "TEX-001", "name_fr": "Tote bag en coton bio"}]
    rows[0] |= {"category": "textile", "price": "9.9"}

    report = run(session, ImportKind.PRODUCTS, write(tmp_path, rows))

    assert (report.imported_rows, report.errors) == (1, ())
    tote = product(session, "TEX-001")
    assert (tote.name_en, tote.price, tote.returnable, tote.stock) == (
        "Tote bag en coton bio",
        Decimal("9.90"),
        True,
        0,
    )


def test_the_same_file_twice_is_already_imported_and_changes_nothing(
    session: Session,
) -> None:
    run(session, ImportKind.PRODUCTS, PRODUCTS)
    before = (count(session, Product), count(session, AuditEntry))

    second = run(session, ImportKind.PRODUCTS, PRODUCTS)

    assert (second.already_rows, second.imported_rows, second.records) == (6, 0, 0)
    assert second.rejected_rows == 0
    assert (count(session, Product), count(session, AuditEntry)) == before


def test_a_changed_price_updates_the_product_and_the_audit_log_says_which_fields(
    session: Session, tmp_path: Path
) -> None:
    run(session, ImportKind.PRODUCTS, PRODUCTS)
    rows = [product_row(price="17,50", stock="95"), product_row("KIT-005")]
    rows[1] |= {"name_fr": "Couverts nomades en bambou", "price": "12.90"}
    rows[1] |= {"name_en": "Bamboo travel cutlery", "stock": "0"}

    report = run(session, ImportKind.PRODUCTS, write(tmp_path, rows))

    assert (report.imported_rows, report.already_rows, report.records) == (1, 1, 1)
    wraps = product(session, "KIT-001")
    assert (wraps.price, wraps.stock) == (Decimal("17.50"), 95)
    last = audit(session)[-1]
    assert (last.actor, last.action, last.entity_id) == (
        "import",
        "product_updated",
        "KIT-001",
    )
    assert last.details == {
        "changed": {
            "price": {"from": "16.90", "to": "17.50"},
            "stock": {"from": 120, "to": 95},
        }
    }


def test_bad_rows_are_rejected_with_line_and_reason_and_the_rest_imported(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        product_row("KIT-001"),
        product_row("KIT-002", price="abc"),
        product_row("KIT-003", stock="-3"),
        product_row("   "),
        product_row("KIT-001", price="15.00"),
        product_row("KIT-004", price="0", returnable="maybe"),
        product_row("KIT-005", name_fr="x" * 121),
        product_row("KIT-006"),
    ]

    report = run(session, ImportKind.PRODUCTS, write(tmp_path, rows), batch_rows=2)

    assert errors(report) == [
        'line 3: price: not a number ("abc")',
        'line 4: stock: must not be negative ("-3")',
        "line 5: sku: missing",
        "line 6: sku: KIT-001 is on line 2 already: one row per product",
        'line 7: returnable: not yes or no ("maybe")',
        'line 7: price: must be more than 0 ("0")',
        f'line 8: name_fr: longer than 120 characters ("{"x" * 37}...")',
    ]
    assert (report.imported_rows, report.rejected_rows) == (2, 6)
    assert set(session.scalars(select(Product.sku))) == {"KIT-001", "KIT-006"}
    assert product(session, "KIT-001").price == Decimal("16.90")


def test_a_french_excel_file_with_semicolons_a_bom_and_decimal_commas_imports(
    session: Session, tmp_path: Path
) -> None:
    rows = [
        product_row(price="16,90"),
        product_row("HYG-002", name_fr="Brosse à dents en bambou", price="3,5")
        | {"name_en": "Bamboo toothbrush", "returnable": "non"},
    ]
    path = write(tmp_path, rows, delimiter=";", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfsku;name_fr;")

    report = run(session, ImportKind.PRODUCTS, path)

    assert (report.delimiter, report.imported_rows, report.errors) == (";", 2, ())
    brush = product(session, "HYG-002")
    assert (brush.price, brush.returnable) == (Decimal("3.50"), False)


def test_dry_run_reports_what_would_change_and_changes_nothing(
    session: Session, tmp_path: Path
) -> None:
    run(session, ImportKind.PRODUCTS, PRODUCTS)
    before = (count(session, Product), count(session, AuditEntry))
    rows = [product_row(price="18.00"), product_row("NEW-001", price="nope")]
    rows.append(product_row("NEW-002"))

    report = run(session, ImportKind.PRODUCTS, write(tmp_path, rows), dry_run=True)

    assert report.dry_run
    assert (report.imported_rows, report.rejected_rows, report.records) == (2, 1, 2)
    assert (count(session, Product), count(session, AuditEntry)) == before
    assert product(session, "KIT-001").price == Decimal("16.90")


def test_a_catalogue_without_stock_keeps_the_stock_the_store_has(
    session: Session, tmp_path: Path
) -> None:
    run(session, ImportKind.PRODUCTS, PRODUCTS)
    row = product_row(price="17.00")
    del row["stock"], row["returnable"]

    report = run(session, ImportKind.PRODUCTS, write(tmp_path, [row]))

    assert report.imported_rows == 1
    wraps = product(session, "KIT-001")
    assert (wraps.price, wraps.stock, wraps.returnable) == (Decimal("17.00"), 120, True)
    assert audit(session)[-1].details == {
        "changed": {"price": {"from": "16.90", "to": "17.00"}}
    }


def test_an_english_name_that_was_the_french_one_follows_it(session: Session) -> None:
    given = ProductCreate(sku="TAW-1", name_fr="Tawashi", category="kitchen", price=4)
    upsert_products(session, [given], actor="import", now=NOW)
    kept = ProductCreate(
        sku="TAW-2", name_fr="Éponge", name_en="Sponge", category="kitchen", price=4
    )
    upsert_products(session, [kept], actor="import", now=NOW)

    renamed = [
        given.model_copy(update={"name_fr": "Tawashi coco"}),
        kept.model_copy(update={"name_fr": "Éponge coco", "name_en": None}),
    ]
    outcomes = upsert_products(session, renamed, actor="import", now=NOW)

    assert [o.change for o in outcomes] == [ProductChange.UPDATED] * 2
    assert [o.fields for o in outcomes] == [("name_fr", "name_en"), ("name_fr",)]
    assert product(session, "TAW-1").name_en == "Tawashi coco"
    assert product(session, "TAW-2").name_en == "Sponge"


def test_a_products_file_without_a_price_column_is_refused_before_any_change(
    tmp_path: Path,
) -> None:
    row = product_row()
    del row["price"]

    with pytest.raises(InvalidInput) as refused:
        open_import(ImportKind.PRODUCTS, write(tmp_path, [row], delimiter="\t"))

    assert str(refused.value).startswith(
        'the header lacks the column(s) price (delimiter "tab"; it has: '
    )


def test_the_samples_import_in_order_on_an_empty_store(session: Session) -> None:
    kinds = (
        ImportKind.PRODUCTS,
        ImportKind.ORDERS,
        ImportKind.SHIPMENTS,
        ImportKind.EVENTS,
    )

    reports = [run(session, kind, SAMPLES / f"{kind.value}.csv") for kind in kinds]

    assert [r.errors for r in reports] == [(), (), (), ()]
    assert [r.imported_rows for r in reports] == [6, 4, 3, 6]
    order = get_order(session, "000102")
    assert order.status is OrderStatus.DELAYED
    assert [(line.sku, line.name_en) for line in order.lines] == [
        ("KIT-006", "Insulated bottle 500 mL"),
        ("KIT-005", "Bamboo travel cutlery"),
    ]
