"""Products CSV: one row per product, loaded into the catalogue before the orders.

An order line names its product by SKU, so a shop adopting shopdesk
imports its catalogue first. Unlike the other files, a product is not a
shop event: there is no `product_*` event in the live feed, and a product
given again with other values updates the catalogue (prices and stock
change) where an order imported again with other values is refused. Rows
therefore go to `crm.catalog.service.upsert_products`, not `apply_event`;
the file is read, batched, committed and reported as the others are
(`crm.imports.service.import_file` hands products over here).

A SKU given twice in one file is refused on its second row, naming the
first: the shop must say which values are right, not the row order.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from crm.catalog.schemas import ProductChange, ProductCreate
from crm.catalog.service import upsert_products
from crm.imports.batching import batches, run_in_batches
from crm.imports.cells import Cells
from crm.imports.csv_rows import CsvRow, CsvSource
from crm.imports.items import Rejected, build, cells_of
from crm.imports.schemas import ImportKind, ImportReport, RowError

REQUIRED = frozenset({"sku", "name_fr", "category", "price"})
OPTIONAL = frozenset({"name_en", "returnable", "stock"})
RECORD = "product"
"""What one imported row makes, for reports."""

ACTOR = "import"
"""Who the audit log says changed the catalogue."""

_NEGATIVE = re.compile(r"^-\d+$")


@dataclass(frozen=True)
class ProductItem:
    """A valid product read from the row on `line`."""

    product: ProductCreate
    line: int

    @property
    def lines(self) -> tuple[int, ...]:
        """The rows it was read from, as `Rejected` says them."""
        return (self.line,)


ProductRow = ProductItem | Rejected


def product_items(rows: Iterable[CsvRow]) -> Iterator[ProductRow]:
    """One item per row; a SKU seen earlier in the file is refused here."""
    first: dict[str, int] = {}
    for row in rows:
        yield product_item(row, first)


def product_item(row: CsvRow, first: dict[str, int]) -> ProductRow:
    """The product one row gives, or why not; records its SKU's line in `first`."""
    cells = cells_of(row)
    sku = cells.text("sku", required=True)
    if sku is not None and sku in first:
        cells.fail("sku", f"{sku} is on line {first[sku]} already: one row per product")
    elif sku is not None:
        first[sku] = row.line
    returnable = (
        cells.flag("returnable", default=True) if cells.text("returnable") else None
    )
    data = {
        "sku": sku,
        "name_fr": cells.text("name_fr", required=True),
        "name_en": cells.text("name_en"),
        "category": cells.text("category", required=True),
        "price": cells.decimal("price", required=True),
        "returnable": returnable,
        "stock": _stock(cells),
    }

    def locate(loc: tuple[int | str, ...]) -> tuple[int, str]:
        return row.line, str(loc[0]) if loc else "sku"

    product = build(ProductCreate, data, locate, cells.errors)
    if product is None:
        return Rejected(lines=(row.line,), errors=tuple(cells.errors))
    return ProductItem(product=product, line=row.line)


def _stock(cells: Cells) -> int | None:
    """The stock; a negative count is left for the schema to refuse as such."""
    raw = cells.text("stock")
    if raw is not None and _NEGATIVE.match(raw):
        return int(raw)  # "must not be negative" says more than "not a number"
    return cells.integer("stock")


@dataclass
class _Tally:
    rows: int = 0
    imported: int = 0
    already: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)

    def add(self, batch: list[ProductRow], changes: list[ProductChange | None]) -> None:
        for item, change in zip(batch, changes, strict=True):
            self.rows += 1
            if isinstance(item, Rejected):
                self.rejected += 1
                self.errors.extend(item.errors)
            elif change is ProductChange.UNCHANGED:
                self.already += 1
            else:
                self.imported += 1


def import_products(
    factory: sessionmaker[Session],
    source: CsvSource,
    *,
    now: datetime,
    dry_run: bool,
    batch_rows: int,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create or update the catalogue from `source`; commit per batch.

    The same contract as `crm.imports.service.import_file`: a dry run
    rolls everything back and reports what would change; `records` counts
    the products created or updated, `already_rows` those unchanged.

    Raises:
        StoreUnavailable: the store failed mid-way; the message says from
            which line, the rows before are imported (none in a dry run).
    """
    started = time.perf_counter()
    tally = _Tally()

    def done(batch: list[ProductRow], changes: list[ProductChange | None]) -> None:
        tally.add(batch, changes)
        if on_progress is not None:
            on_progress(tally.rows)

    run_in_batches(
        factory,
        batches(product_items(source.rows()), batch_rows),
        lambda session, batch: save(session, batch, now=now),
        done,
        dry_run=dry_run,
    )
    return ImportReport(
        kind=ImportKind.PRODUCTS,
        dry_run=dry_run,
        delimiter=source.delimiter,
        ignored_columns=source.ignored,
        rows=tally.rows,
        imported_rows=tally.imported,
        already_rows=tally.already,
        rejected_rows=tally.rejected,
        records=tally.imported,
        seconds=time.perf_counter() - started,
        errors=tuple(tally.errors),
    )


def save(
    session: Session, batch: list[ProductRow], *, now: datetime
) -> list[ProductChange | None]:
    """Save the batch's valid products; what each item did (None: rejected)."""
    products = [item.product for item in batch if isinstance(item, ProductItem)]
    saved = iter(upsert_products(session, products, actor=ACTOR, now=now))
    return [
        next(saved).change if isinstance(item, ProductItem) else None for item in batch
    ]
