"""Orders CSV: one row per order line, grouped by order number, as shops export.

Shopify and WooCommerce write an order of three products as three rows,
the order's own fields (customer, address, totals) on the first row and
either repeated or left blank on the next ones. Both are read: an order
field is taken from the first row that fills it, and a later row that
says otherwise is refused rather than one of them silently winning.
The rows of an order must follow each other, which lets a 100,000-row
file be read without holding it in memory.

Each order becomes the events API's `order_placed`, id
`import:order:<number>`, so importing the file again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from crm.customers.models import Language
from crm.events.schemas import OrderPlaced
from crm.imports.cells import Cells, quoted
from crm.imports.csv_rows import CsvRow
from crm.imports.items import (
    Item,
    Parsed,
    Rejected,
    build,
    cells_of,
    refuse_together,
)
from crm.imports.schemas import RowError
from crm.orders.models import ShippingMethod

ORDER_FIELDS = (
    "placed_at",
    "email",
    "first_name",
    "last_name",
    "phone",
    "language",
    "billing_postcode",
    "billing_city",
    "ship_name",
    "ship_line1",
    "ship_line2",
    "ship_postcode",
    "ship_city",
    "ship_country",
    "relay_point",
    "shipping_method",
    "promised_date",
    "subtotal",
    "shipping_fee",
    "total",
    "currency",
)
"""The order's own columns: on its first row, blank or the same on the others."""

LINE_FIELDS = ("sku", "quantity", "unit_price", "in_stock")
"""Each row's own columns: one product of the order."""

REQUIRED = frozenset(
    {
        "order_number",
        "placed_at",
        "email",
        "first_name",
        "last_name",
        "ship_line1",
        "ship_postcode",
        "ship_city",
        "shipping_method",
        "promised_date",
        "subtotal",
        "shipping_fee",
        "total",
        "sku",
        "quantity",
        "unit_price",
    }
)
OPTIONAL = frozenset({*ORDER_FIELDS, *LINE_FIELDS} - REQUIRED)

_SCHEMA_COLUMNS: dict[tuple[str, ...], str] = {
    ("order_number",): "order_number",
    ("occurred_at",): "placed_at",
    ("customer", "email"): "email",
    ("customer", "first_name"): "first_name",
    ("customer", "last_name"): "last_name",
    ("customer", "phone"): "phone",
    ("customer", "language"): "language",
    ("customer", "country"): "ship_country",
    ("ship_to", "name"): "ship_name",
    ("ship_to", "line1"): "ship_line1",
    ("ship_to", "line2"): "ship_line2",
    ("ship_to", "postcode"): "ship_postcode",
    ("ship_to", "city"): "ship_city",
    ("ship_to", "country"): "ship_country",
    ("ship_to", "relay_point"): "relay_point",
    ("shipping_method",): "shipping_method",
    ("promised_date",): "promised_date",
    ("totals", "subtotal"): "subtotal",
    ("totals", "shipping_fee"): "shipping_fee",
    ("totals", "total"): "total",
    ("totals", "currency"): "currency",
}


def order_items(rows: Iterable[CsvRow]) -> Iterator[Item]:
    """Group consecutive rows by order number; one item per order.

    A row without a readable order number is refused alone; a row of an
    order whose rows ended earlier in the file is refused, pointing to
    where that order started.
    """
    finished: dict[str, int] = {}
    current: str | None = None
    group: list[CsvRow] = []
    for row in rows:
        probe = Cells(row.line, row.values)
        number = probe.order_number()
        if number is None:
            yield Rejected(lines=(row.line,), errors=tuple(probe.errors))
            continue
        if number != current:
            if current is not None and group:
                finished[current] = group[0].line
                yield order_item(current, group)
            current, group = number, []
            if number in finished:
                current = None
                reason = (
                    f"order {number} started on line {finished[number]}: "
                    "the rows of one order must follow each other"
                )
                error = RowError(line=row.line, field="order_number", reason=reason)
                yield Rejected(lines=(row.line,), errors=(error,))
                continue
        group.append(row)
    if current is not None and group:
        yield order_item(current, group)


def order_item(number: str, rows: list[CsvRow]) -> Item:
    """One order from its rows, or all of them refused with the reasons."""
    lines = tuple(row.line for row in rows)
    errors: list[RowError] = []
    values: dict[str, str] = {}
    origin: dict[str, int] = {}
    for row in rows:
        for field in ORDER_FIELDS:
            value = (row.values.get(field) or "").strip()
            if not value:
                continue
            if field not in values:
                values[field], origin[field] = value, row.line
            elif values[field] != value:
                reason = (
                    f"differs from line {origin[field]}{quoted(field, values[field])}"
                )
                errors.append(RowError(line=row.line, field=field, reason=reason))
    head = Cells(rows[0].line, values, origin)
    data = _order_data(number, head)
    products: list[dict[str, Any]] = []
    for row in rows:
        cells = cells_of(row)
        products.append(
            {
                "sku": cells.text("sku", required=True),
                "quantity": cells.integer("quantity", required=True),
                "unit_price": cells.decimal("unit_price", required=True),
                "in_stock": cells.flag("in_stock", default=True),
            }
        )
        errors += cells.errors
    errors += head.errors

    def locate(loc: tuple[int | str, ...]) -> tuple[int, str]:
        if loc[0] == "lines" and len(loc) >= 3 and isinstance(loc[1], int):
            return lines[loc[1]], str(loc[2])
        if loc[0] == "lines":
            return lines[0], "sku"
        path = tuple(str(part) for part in loc)
        if path == ("customer", "postcode"):
            postcode = "billing_postcode" if "billing_postcode" in values else None
            field = postcode or "ship_postcode"
        elif path == ("customer", "city"):
            field = "billing_city"
        else:
            field = _SCHEMA_COLUMNS.get(path, ".".join(path))
        return head.line_of(field), field

    event = build(OrderPlaced, {**data, "lines": products}, locate, errors)
    if event is None:
        return refuse_together(lines, errors, f"order {number}")
    return Parsed(event=event, lines=lines)


def _order_data(number: str, head: Cells) -> dict[str, Any]:
    first_name = head.text("first_name", required=True)
    last_name = head.text("last_name", required=True)
    ship_postcode = head.text("ship_postcode", required=True)
    ship_city = head.text("ship_city", required=True)
    country = _upper(head.text("ship_country"))
    customer = {
        "email": head.text("email", required=True),
        "first_name": first_name,
        "last_name": last_name,
        "language": head.choice("language", Language) or Language.FR,
        "postcode": head.text("billing_postcode") or ship_postcode,
        "city": head.text("billing_city"),
        "phone": head.text("phone"),
        "country": country,
    }
    ship_to = {
        "name": head.text("ship_name") or f"{first_name} {last_name}",
        "line1": head.text("ship_line1", required=True),
        "line2": head.text("ship_line2"),
        "postcode": ship_postcode,
        "city": ship_city,
        "country": country,
        "relay_point": head.text("relay_point"),
    }
    totals = {
        "subtotal": head.decimal("subtotal", required=True),
        "shipping_fee": head.decimal("shipping_fee", required=True),
        "total": head.decimal("total", required=True),
        "currency": _upper(head.text("currency")),
    }
    placed_at = head.moment("placed_at", required=True)
    return {
        "type": "order_placed",
        "id": f"import:order:{number}",
        "occurred_at": placed_at,
        "order_number": number,
        "customer": _given(customer),
        "ship_to": _given(ship_to),
        "shipping_method": head.choice(
            "shipping_method", ShippingMethod, required=True
        ),
        "promised_date": head.day("promised_date", required=True),
        "totals": _given(totals),
    }


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    """Blank optional cells left out, so that the schema's defaults (FR, EUR) apply."""
    return {key: value for key, value in fields.items() if value is not None}


def _upper(code: str | None) -> str | None:
    return code.upper() if code else None
