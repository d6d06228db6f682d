"""`shopdesk import products|orders|shipments|events FILE`: the shop from CSV.

The rules are `crm.imports`' (each row applied as the events API applies
the live feed); this module reads the options, draws the progress bar and
prints the summary. README "Importing history" documents the columns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from sqlalchemy import make_url

from crm import clock
from crm.db import make_engine, make_session_factory, session_scope
from crm.errors import InvalidInput, StoreUnavailable
from crm.health import check_store
from crm.imports import product_rows
from crm.imports.csv_rows import CsvSource, write_rejected
from crm.imports.schemas import ImportKind, ImportReport
from crm.imports.service import FORMATS, import_file, open_import
from crm.settings import StoreSettings

import_app = typer.Typer(
    help=(
        "Load the shop's catalogue and history from CSV files: "
        "products, then orders, then shipments, then events."
    ),
    no_args_is_help=True,
)
console = Console(highlight=False, soft_wrap=True)  # paths and reasons get copied
SHOWN_ERRORS = 20
"""Rejected rows printed; the rest go to the --errors file."""

CsvFile = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, readable=True, help="UTF-8 CSV, `,` or `;`."
    ),
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Check every row against the store, then roll back: nothing changes.",
    ),
]
ErrorsFile = Annotated[
    Path | None,
    typer.Option(
        "--errors",
        dir_okay=False,
        help="Write the rejected rows there, with their line and reason.",
    ),
]


@import_app.command("products")
def import_products(
    file: CsvFile, dry_run: DryRun = False, errors: ErrorsFile = None
) -> None:
    """The catalogue, one row per SKU: new ones created, changed ones updated."""
    run_import(ImportKind.PRODUCTS, file, dry_run=dry_run, errors_path=errors)


@import_app.command("orders")
def import_orders(
    file: CsvFile, dry_run: DryRun = False, errors: ErrorsFile = None
) -> None:
    """Orders, one row per order line, grouped by order number (after the products)."""
    run_import(ImportKind.ORDERS, file, dry_run=dry_run, errors_path=errors)


@import_app.command("shipments")
def import_shipments(
    file: CsvFile, dry_run: DryRun = False, errors: ErrorsFile = None
) -> None:
    """Parcels handed to carriers, one row each (after the orders)."""
    run_import(ImportKind.SHIPMENTS, file, dry_run=dry_run, errors_path=errors)


@import_app.command("events")
def import_events(
    file: CsvFile, dry_run: DryRun = False, errors: ErrorsFile = None
) -> None:
    """Carrier scans, deliveries, returns received, refunds (after the shipments)."""
    run_import(ImportKind.EVENTS, file, dry_run=dry_run, errors_path=errors)


def fail(message: str) -> NoReturn:
    """Print `message` to stderr and leave with status 1."""
    typer.echo(message, err=True)
    raise typer.Exit(1)


def run_import(
    kind: ImportKind, path: Path, *, dry_run: bool, errors_path: Path | None
) -> None:
    """Check the file, import it with a progress bar, print what happened.

    Leaves with status 1 when a row was rejected, so that a script notices;
    the other rows are imported all the same.
    """
    settings = StoreSettings()
    try:
        source = open_import(kind, path)
    except InvalidInput as exc:
        fail(f"{path}: {exc}. Nothing was imported.")
    engine = make_engine(settings.database_url)
    try:
        factory = make_session_factory(engine)
        try:
            with session_scope(factory) as session:
                check_store(session)
        except StoreUnavailable as exc:
            url = make_url(settings.database_url).render_as_string(hide_password=True)
            fail(
                f"The store at {url} is not ready ({exc}). "
                "Run `shopdesk db upgrade` first."
            )
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(f"{kind.value} rows", total=source.total_rows)
            try:
                report = import_file(
                    factory,
                    source,
                    kind,
                    now=clock.now(),
                    dry_run=dry_run,
                    on_progress=lambda done: progress.update(task, completed=done),
                )
            except StoreUnavailable as exc:
                fail(f"Import stopped: {exc}.")
    finally:
        engine.dispose()
    print_report(path, report)
    if errors_path is not None:  # even empty: an old file must not mislead
        write_errors(source, errors_path, report)
    if report.rejected_rows:
        raise typer.Exit(1)


def print_report(path: Path, report: ImportReport) -> None:
    """The counts, then the first rejected rows with their line and reason."""
    delimiter = "tab" if report.delimiter == "\t" else report.delimiter
    record = (
        product_rows.RECORD
        if report.kind is ImportKind.PRODUCTS
        else FORMATS[report.kind].record
    )
    verb = "would import" if report.dry_run else "imported"
    console.print(
        f'{path.name}: {amount(report.rows, "row")} (delimiter "{delimiter}")'
    )
    made = amount(report.records, record)
    console.print(f"  {verb}: {amount(report.imported_rows, 'row')} ({made})")
    console.print(f"  already imported: {amount(report.already_rows, 'row')}")
    console.print(f"  rejected: {amount(report.rejected_rows, 'row')}")
    if report.ignored_columns:
        ignored = ", ".join(report.ignored_columns)
        console.print(f"  ignored columns: {ignored}")
    for error in report.errors[:SHOWN_ERRORS]:
        console.print(error.text, markup=False)
    hidden = len(report.errors) - SHOWN_ERRORS
    if hidden > 0:
        console.print(f"... and {hidden:,} more (--errors FILE writes them all)")
    if report.dry_run:
        console.print("Dry run: nothing was changed.")
    console.print(
        f"Done in {report.seconds:.1f} s ({report.rows_per_second:,.0f} rows/s)."
    )


def amount(count: int, noun: str) -> str:
    """The count and its noun, plural unless one: "1 row", "2,000 rows"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def write_errors(source: CsvSource, destination: Path, report: ImportReport) -> None:
    """Write the rejected rows, a row's reasons joined when it has several."""
    reasons: dict[int, list[str]] = {}
    for error in report.errors:
        where = f"{error.field}: " if error.field else ""
        reasons.setdefault(error.line, []).append(f"{where}{error.reason}")
    try:
        written = write_rejected(
            source, destination, {line: "; ".join(r) for line, r in reasons.items()}
        )
    except OSError as exc:
        fail(f"Cannot write {destination}: {exc.strerror}.")
    console.print(f"Wrote {amount(written, 'rejected row')} to {destination}.")
