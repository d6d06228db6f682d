"""Importing a shop's history from CSV through the events API's own rules.

A shop that adopts shopdesk has years of orders, parcels and carrier scans
to load. Each CSV row becomes the event the live feed would have sent
(`crm.events.schemas`) and is applied by `crm.events.service.apply_event`,
so that an imported history and a live feed give the same store, with the
same refusals (a delivery for a cancelled order is refused either way).

Event ids are derived from the rows (`import:order:<number>`...): a file
imported again is recognised row by row ("already imported") and changes
nothing, and an import stopped half-way is finished by running it again.

Each event is applied as of when it happened, not now: a scan of 2024
that put an order past its promise must not look like news to the
proactive delay notices (`late_orders_since` reads `received_at`), nor
date every imported order's last change today.

Rows go in batches of `BATCH_ROWS`, one transaction each (as `seed_store`
commits per chunk): a 100,000-row file holds no giant transaction, and
a refused row, applied in its own savepoint, never stops the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crm.catalog.models import Product
from crm.db import session_scope
from crm.errors import (
    OrderNotFound,
    ParcelNotFound,
    ProductNotFound,
    ReturnNotFound,
    ShopdeskError,
)
from crm.events.models import InboundEvent
from crm.events.retention import same_event
from crm.events.schemas import OrderPlaced
from crm.events.service import apply_event
from crm.imports import event_rows, order_rows, product_rows, shipment_rows
from crm.imports.batching import batches, run_in_batches
from crm.imports.csv_rows import CsvRow, CsvSource, open_csv
from crm.imports.items import Item, Parsed, Rejected, refuse_together
from crm.imports.schemas import ImportKind, ImportReport, RowError
from crm.kpis.rollup_build import refresh_rollups

BATCH_ROWS = 500
"""Rows per transaction: small enough to keep locks short, large enough
that commits cost little next to the rows themselves."""

ProgressCallback = Callable[[int], None]
"""Told the number of rows read so far, after each batch."""


@dataclass(frozen=True)
class ImportFormat:
    """One file kind: its columns, how rows become items, what an item makes.

    `record` names one thing an imported item makes ("order"), for reports.
    """

    required: frozenset[str]
    optional: frozenset[str]
    items: Callable[[Iterable[CsvRow]], Iterator[Item]]
    record: str


FORMATS: dict[ImportKind, ImportFormat] = {
    ImportKind.ORDERS: ImportFormat(
        order_rows.REQUIRED, order_rows.OPTIONAL, order_rows.order_items, "order"
    ),
    ImportKind.SHIPMENTS: ImportFormat(
        shipment_rows.REQUIRED,
        shipment_rows.OPTIONAL,
        shipment_rows.shipment_items,
        "parcel",
    ),
    ImportKind.EVENTS: ImportFormat(
        event_rows.REQUIRED, event_rows.OPTIONAL, event_rows.event_items, "event"
    ),
}

_NOT_FOUND: dict[type[ShopdeskError], tuple[str, str]] = {
    OrderNotFound: ("order_number", " in the store: import the orders file first"),
    ParcelNotFound: (
        "tracking_number",
        " in the store: import the shipments file first",
    ),
    ReturnNotFound: ("rma_number", " in the store"),
}


def open_import(kind: ImportKind, path: Path) -> CsvSource:
    """Open a file of `kind`, checking its encoding and header first.

    Raises:
        InvalidInput: the file cannot be read, is not UTF-8 CSV, or lacks a
            required column.
    """
    if kind is ImportKind.PRODUCTS:
        return open_csv(
            path, required=product_rows.REQUIRED, optional=product_rows.OPTIONAL
        )
    spec = FORMATS[kind]
    return open_csv(path, required=spec.required, optional=spec.optional)


@dataclass
class _Tally:
    rows: int = 0
    imported: int = 0
    already: int = 0
    rejected: int = 0
    records: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_file(
    factory: sessionmaker[Session],
    source: CsvSource,
    kind: ImportKind,
    *,
    now: datetime,
    dry_run: bool = False,
    batch_rows: int = BATCH_ROWS,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every valid row of `source`, report the others; commit per batch.

    With `dry_run`, everything is applied in one transaction that is rolled
    back at the end: the report is what the import would do, checked
    against the store (unknown orders, refused transitions), and nothing
    changes. Commits per batch (an import is its own unit of work).

    Raises:
        StoreUnavailable: the store failed mid-way; the message says from
            which line, the rows before are imported (none in a dry run).
    """
    if kind is ImportKind.PRODUCTS:  # the catalogue, not events: its own rules
        return product_rows.import_products(
            factory,
            source,
            now=now,
            dry_run=dry_run,
            batch_rows=batch_rows,
            on_progress=on_progress,
        )
    started = time.perf_counter()
    tally = _Tally()
    run_in_batches(
        factory,
        batches(FORMATS[kind].items(source.rows()), batch_rows),
        lambda session, batch: apply_items(session, batch, now=now),
        lambda batch, outcomes: _count(tally, batch, outcomes, on_progress),
        dry_run=dry_run,
    )
    if not dry_run:
        # The dashboard's first call must not rebuild a year of history.
        with session_scope(factory) as s:
            refresh_rollups(s)
    return ImportReport(
        kind=kind,
        dry_run=dry_run,
        delimiter=source.delimiter,
        ignored_columns=source.ignored,
        rows=tally.rows,
        imported_rows=tally.imported,
        already_rows=tally.already,
        rejected_rows=tally.rejected,
        records=tally.records,
        seconds=time.perf_counter() - started,
        errors=tuple(tally.errors),
    )


@dataclass(frozen=True)
class Outcome:
    """What became of one item: imported, imported before, or rejected."""

    status: Literal["imported", "already", "rejected"]
    errors: tuple[RowError, ...] = ()


IMPORTED = Outcome("imported")
ALREADY = Outcome("already")


def apply_items(
    session: Session, items: Sequence[Item], *, now: datetime
) -> list[Outcome]:
    """Apply each item's event once, in order; flushes, never commits.

    An event whose id the store holds with the same content was imported
    before and is skipped; with other content it is refused (the store keeps
    the first import). The others go through `apply_event`, each in its own
    savepoint, at the time they happened (never after `now`).
    """
    ids = [item.event.id for item in items if isinstance(item, Parsed)]
    known = {
        event.event_id: event
        for event in session.scalars(
            select(InboundEvent).where(InboundEvent.event_id.in_(ids))
        )
    }
    applied: dict[str, Parsed] = {}  # this batch's, for a row given twice
    outcomes: list[Outcome] = []
    for item in items:
        if isinstance(item, Rejected):
            outcomes.append(Outcome("rejected", item.errors))
            continue
        event_id, payload = item.event.id, item.event.model_dump(mode="json")
        stored = known.get(event_id)
        if stored is not None:
            same = same_event(stored, payload)
            outcomes.append(ALREADY if same else _changed(item, stored.payload))
            continue
        if event_id in applied:
            earlier = applied[event_id].event.model_dump(mode="json")
            same = earlier == payload
            outcomes.append(ALREADY if same else _changed(item, earlier))
            continue
        try:
            apply_event(session, event=item.event, now=min(item.event.occurred_at, now))
        except ShopdeskError as exc:
            outcomes.append(_refused(item, _reasons(session, item, exc)))
            continue
        except (IntegrityError, DataError) as exc:
            reason = str(exc.orig or exc).splitlines()[0]
            error = RowError(
                line=item.lines[0], reason=f"the store refused it: {reason}"
            )
            outcomes.append(_refused(item, [error]))
            continue
        applied[event_id] = item
        outcomes.append(IMPORTED)
    return outcomes


def _reasons(session: Session, item: Parsed, exc: ShopdeskError) -> list[RowError]:
    """The refusal on the line and column it is about."""
    first = item.lines[0]
    event = item.event
    if isinstance(exc, ProductNotFound) and isinstance(event, OrderPlaced):
        skus = [line.sku for line in event.lines]
        have = set(session.scalars(select(Product.sku).where(Product.sku.in_(skus))))
        missing = [
            RowError(
                line=where,
                field="sku",
                reason=f"no product {line.sku} in the catalogue",
            )
            for where, line in zip(item.lines, event.lines, strict=True)
            if line.sku not in have
        ]
        if missing:
            return missing
    column, hint = _NOT_FOUND.get(type(exc), (None, ""))
    return [RowError(line=first, field=column, reason=f"{exc}{hint}")]


def _changed(item: Parsed, earlier: dict[str, Any] | None) -> Outcome:
    """Refused: the id was imported with other content (erased: fields unknown)."""
    payload = item.event.model_dump(mode="json")
    fields = (
        f" ({', '.join(k for k in payload if payload[k] != earlier.get(k))})"
        if earlier is not None
        else ""
    )
    reason = (
        f"imported before with other values{fields}: the store keeps the first import"
    )
    return _refused(item, [RowError(line=item.lines[0], reason=reason)])


def _refused(item: Parsed, errors: list[RowError]) -> Outcome:
    event = item.event
    what = f"order {event.order_number}" if isinstance(event, OrderPlaced) else "it"
    return Outcome("rejected", refuse_together(item.lines, errors, what).errors)


def _count(
    tally: _Tally,
    batch: list[Item],
    outcomes: list[Outcome],
    on_progress: ProgressCallback | None,
) -> None:
    for item, outcome in zip(batch, outcomes, strict=True):
        rows = len(item.lines)
        tally.rows += rows
        if outcome.status == "imported":
            tally.imported += rows
            tally.records += 1
        elif outcome.status == "already":
            tally.already += rows
        else:
            tally.rejected += rows
            tally.errors.extend(outcome.errors)
    if on_progress is not None:
        on_progress(tally.rows)
