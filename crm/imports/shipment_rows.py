"""Shipments CSV: one row per parcel handed to a carrier.

Each row becomes the events API's `order_shipped`, id
`import:shipment:<order number>:<tracking number>`. A shop that does not
know what the carrier charged leaves `carrier_cost` blank: it is then
0.00, and the shipping-cost figures count nothing for that parcel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from crm.events.schemas import OrderShipped
from crm.imports.csv_rows import CsvRow
from crm.imports.items import Item, Parsed, Rejected, build, cells_of
from crm.shipping.models import Carrier

REQUIRED = frozenset({"order_number", "carrier", "tracking_number", "shipped_at"})
OPTIONAL = frozenset({"estimated_delivery", "carrier_cost"})
_UNKNOWN_COST = Decimal("0.00")


def shipment_items(rows: Iterable[CsvRow]) -> Iterator[Item]:
    """One item per row: the parcel, or the row refused with its reasons."""
    for row in rows:
        yield shipment_item(row)


def shipment_item(row: CsvRow) -> Item:
    """The `order_shipped` event one row says, or why it cannot be one."""
    cells = cells_of(row)
    number = cells.order_number()
    carrier = cells.choice("carrier", Carrier, required=True)
    tracking = cells.text("tracking_number", required=True)
    shipped_at = cells.moment("shipped_at", required=True)
    estimate = cells.day("estimated_delivery")
    cost = cells.decimal("carrier_cost")
    data = {
        "type": "order_shipped",
        "id": f"import:shipment:{number}:{tracking}",
        "occurred_at": shipped_at,
        "order_number": number,
        "carrier": carrier,
        "tracking_number": tracking,
        "shipped_at": shipped_at,
        "estimated_delivery": estimate,
        "carrier_cost": _UNKNOWN_COST if cost is None else cost,
    }

    def locate(loc: tuple[int | str, ...]) -> tuple[int, str]:
        field = str(loc[0]) if loc else "tracking_number"
        return row.line, "shipped_at" if field == "occurred_at" else field

    event = build(OrderShipped, data, locate, cells.errors)
    if event is None:
        return Rejected(lines=(row.line,), errors=tuple(cells.errors))
    return Parsed(event=event, lines=(row.line,))
