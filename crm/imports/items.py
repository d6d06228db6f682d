"""What a CSV row becomes: a shop event to apply, or a refusal with reasons.

An item covers one or more rows: an order is all of its lines' rows, and
stands or falls whole, since a partial order would show the customer a
total its lines do not add up to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from crm.events.schemas import (
    Delivered,
    OrderCancelled,
    OrderPlaced,
    OrderShipped,
    RefundIssued,
    ReturnReceived,
    TrackingUpdate,
)
from crm.imports.cells import Cells, describe
from crm.imports.csv_rows import CsvRow
from crm.imports.schemas import RowError

ImportedEvent = (
    OrderPlaced
    | OrderShipped
    | TrackingUpdate
    | Delivered
    | ReturnReceived
    | RefundIssued
    | OrderCancelled
)


@dataclass(frozen=True)
class Parsed:
    """A valid event read from `lines`; for an order, `lines[i]` is line i's row."""

    event: ImportedEvent
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Rejected:
    """Rows that cannot become an event; `errors` has a reason for each row."""

    lines: tuple[int, ...]
    errors: tuple[RowError, ...]


Item = Parsed | Rejected
M = TypeVar("M", bound=BaseModel)
Locate = Callable[[tuple[int | str, ...]], tuple[int, str]]


def build(
    model: type[M], data: dict[str, Any], locate: Locate, errors: list[RowError]
) -> M | None:
    """The event, or None with the schema's refusals added to `errors`.

    The schema runs even when cells were refused already, so that a row's
    every fault is named in one pass; a column already refused is not
    named twice (its value was left empty for the schema).
    """
    try:
        event = model.model_validate(data)
    except ValidationError as exc:
        taken = {(error.line, error.field) for error in errors}
        for found in describe(exc, locate):
            if (found.line, found.field) not in taken and found not in errors:
                errors.append(found)
        return None
    return None if errors else event


def cells_of(row: CsvRow) -> Cells:
    """The row's cells, already refused if it has more values than columns."""
    cells = Cells(row.line, row.values)
    if row.extra:
        cells.errors.append(
            RowError(
                line=row.line,
                reason=f"{row.extra} value(s) past the last column: a shifted row?",
            )
        )
    return cells


def refuse_together(
    lines: tuple[int, ...], errors: list[RowError], what: str
) -> Rejected:
    """Refuse a group of rows: each row's own errors, or a pointer to them.

    A row that is fine in itself is refused with its group ("not imported
    with order 204233: see line 14"), so that the errors file holds the
    whole group to fix and import again.
    """
    errors = sorted(errors, key=lambda e: e.line)
    own = {error.line for error in errors}
    first = errors[0].line if errors else lines[0]
    pointers = [
        RowError(line=line, reason=f"not imported with {what}: see line {first}")
        for line in lines
        if line not in own
    ]
    return Rejected(lines=lines, errors=tuple(sorted(errors + pointers, key=_line)))


def _line(error: RowError) -> int:
    return error.line


def stamp(moment: datetime) -> str:
    """A compact UTC time for event ids: 20261102T083000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
