"""Events CSV: carrier scans, deliveries, returns, refunds, cancellations, one a row.

`type` names the event as the events API does (`tracking_event`,
`delivered`, `return_received`, `refund_issued`, `order_cancelled`); a file
without the column, or a blank cell, is carrier scans, which is what
carriers export.
Columns a type does not use are ignored on its rows.

An event's id is the shop's own when the file has an `event_id` column
(the id its live feed used, so the two never apply one event twice), else
one made from what identifies the event, such as
`import:scan:<tracking number>:<UTC time>:<code>`: the same file imported
again changes nothing, and a row corrected since is refused rather than
applied twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from crm.events.models import EventType
from crm.events.schemas import (
    Delivered,
    OrderCancelled,
    RefundIssued,
    ReturnReceived,
    TrackingUpdate,
)
from crm.imports.cells import Cells
from crm.imports.csv_rows import CsvRow
from crm.imports.items import Item, Parsed, Rejected, build, cells_of, stamp
from crm.shipping.models import TrackingCode

REQUIRED = frozenset({"at"})
OPTIONAL = frozenset(
    {
        "type",
        "event_id",
        "order_number",
        "tracking_number",
        "rma_number",
        "code",
        "description",
        "location",
        "estimated_delivery",
        "amount",
        "reason",
    }
)
IMPORTED_TYPES = (
    EventType.TRACKING_EVENT,
    EventType.DELIVERED,
    EventType.RETURN_RECEIVED,
    EventType.REFUND_ISSUED,
    EventType.ORDER_CANCELLED,
)
_MODELS: dict[
    EventType,
    type[TrackingUpdate | Delivered | ReturnReceived | RefundIssued | OrderCancelled],
] = {
    EventType.TRACKING_EVENT: TrackingUpdate,
    EventType.DELIVERED: Delivered,
    EventType.RETURN_RECEIVED: ReturnReceived,
    EventType.REFUND_ISSUED: RefundIssued,
    EventType.ORDER_CANCELLED: OrderCancelled,
}
_COLUMNS = {"id": "event_id", "occurred_at": "at"}


def event_items(rows: Iterable[CsvRow]) -> Iterator[Item]:
    """One item per row: the event, or the row refused with its reasons."""
    for row in rows:
        yield event_item(row)


def event_item(row: CsvRow) -> Item:
    """The shop event one row says, or why it cannot be one."""
    cells = cells_of(row)
    kind = _kind(cells)
    at = cells.moment("at", required=True)
    data: dict[str, Any] | None = None
    if kind is EventType.TRACKING_EVENT:
        data = _scan(cells)
    elif kind is EventType.DELIVERED:
        data = {"order_number": cells.order_number()}
    elif kind is EventType.ORDER_CANCELLED:
        data = {"order_number": cells.order_number(), "reason": cells.text("reason")}
    elif kind is EventType.RETURN_RECEIVED:
        data = {"rma_number": cells.text("rma_number", required=True)}
    elif kind is EventType.REFUND_ISSUED:
        data = {
            "rma_number": cells.text("rma_number"),
            "order_number": _optional_order(cells),
            "amount": cells.decimal("amount", required=True),
        }
    lines = (row.line,)
    if kind is None or data is None or at is None:
        return Rejected(lines=lines, errors=tuple(cells.errors))
    body = {key: value for key, value in data.items() if value is not None}
    event_id = cells.text("event_id") or _derived_id(kind, body, at)
    body |= {"type": kind.value, "id": event_id, "occurred_at": at, "at": at}

    def locate(loc: tuple[int | str, ...]) -> tuple[int, str]:
        field = str(loc[0]) if loc else _key_column(kind)
        return row.line, _COLUMNS.get(field, field)

    event = build(_MODELS[kind], body, locate, cells.errors)
    if event is None:
        return Rejected(lines=lines, errors=tuple(cells.errors))
    return Parsed(event=event, lines=lines)


def _kind(cells: Cells) -> EventType | None:
    raw = cells.text("type")
    if raw is None:
        return EventType.TRACKING_EVENT
    kind = cells.choice("type", EventType)
    if kind is not None and kind not in IMPORTED_TYPES:
        cells.fail("type", f"{kind.value} events are imported from their own file")
        return None
    return kind


def _scan(cells: Cells) -> dict[str, Any]:
    code = cells.choice("code", TrackingCode, required=True)
    # Carriers' exports often have no wording: the code says it. Without a
    # usable code the row is refused for that alone, not for its wording too.
    said = code.value.replace("_", " ") if code else "?"
    return {
        "order_number": _optional_order(cells),
        "tracking_number": cells.text("tracking_number"),
        "code": code,
        "description": cells.text("description") or said,
        "location": cells.text("location", required=True),
        "estimated_delivery": cells.day("estimated_delivery"),
    }


def _optional_order(cells: Cells) -> str | None:
    if cells.text("order_number") is None:
        return None
    return cells.order_number()


def _key_column(kind: EventType) -> str:
    if kind is EventType.TRACKING_EVENT:
        return "tracking_number"
    if kind in (EventType.DELIVERED, EventType.ORDER_CANCELLED):
        return "order_number"
    return "rma_number"


def _derived_id(kind: EventType, body: dict[str, Any], at: datetime) -> str:
    """An id made of what identifies the event, the same on every import."""
    when = stamp(at)
    if kind is EventType.TRACKING_EVENT:
        parcel = body.get("tracking_number") or body.get("order_number")
        code = body.get("code")
        return f"import:scan:{parcel}:{when}:{code.value if code else ''}"
    if kind is EventType.DELIVERED:
        return f"import:delivered:{body.get('order_number')}:{when}"
    if kind is EventType.ORDER_CANCELLED:
        return f"import:cancelled:{body.get('order_number')}:{when}"
    if kind is EventType.RETURN_RECEIVED:
        return f"import:return:{body.get('rma_number')}:{when}"
    target = body.get("rma_number") or body.get("order_number")
    return f"import:refund:{target}:{when}:{body.get('amount')}"
