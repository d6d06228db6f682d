"""What an import says it did: counts, and each rejected row with its reason."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class ImportKind(StrEnum):
    """Which file is imported: the catalogue, or one kind of shop event."""

    PRODUCTS = "products"
    ORDERS = "orders"
    SHIPMENTS = "shipments"
    EVENTS = "events"


class RowError(BaseModel):
    """Why one row was not imported; `line` is the spreadsheet's row number.

    The header is line 1, as a spreadsheet shows the file, so that a shop
    finds the row without counting. `field` names the column at fault, when
    one is (a refused transition is the row's, not a column's).
    """

    model_config = ConfigDict(frozen=True)

    line: int
    field: str | None = None
    reason: str

    @property
    def text(self) -> str:
        """`line 14: total: not a number ("12,5O")`, as the command prints it."""
        where = f"{self.field}: " if self.field else ""
        return f"line {self.line}: {where}{self.reason}"


class ImportReport(BaseModel):
    """What importing one file did (or, in a dry run, would have done).

    Rows are the file's data rows (an order of three lines is three rows);
    `records` counts what they made: products created or updated, orders,
    parcels or events. A row is imported, was imported before (the same
    file again changes nothing), or rejected: `errors` lists every reason,
    first line first.
    """

    model_config = ConfigDict(frozen=True)

    kind: ImportKind
    dry_run: bool
    delimiter: str
    ignored_columns: tuple[str, ...] = ()
    rows: int
    imported_rows: int
    already_rows: int
    rejected_rows: int
    records: int
    seconds: float
    errors: tuple[RowError, ...] = ()

    @property
    def rows_per_second(self) -> float:
        """Rows read per second, the whole import long."""
        return self.rows / self.seconds if self.seconds > 0 else float(self.rows)
