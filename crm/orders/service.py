"""Reading orders: by number, and a customer's recent ones.

Identity checks (may this customer see this order?) live with the dialogue
issue in `crm/customers`; these functions take an already-trusted caller.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.errors import InvalidInput, OrderNotFound
from crm.orders.models import Order, OrderLine
from crm.orders.schemas import (
    OrderLineView,
    OrderSummary,
    OrderView,
    ShipmentView,
    TrackingEventView,
)
from crm.shipping.models import Shipment, ShipmentDirection

_ORDER_NUMBER = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def normalise_order_number(raw: str) -> str:
    """Extract the six digits from what a customer typed ("#104233", "EB-104233").

    Raises:
        InvalidInput: the text holds no six-digit number.
    """
    match = _ORDER_NUMBER.search(raw)
    if match is None:
        raise InvalidInput(f"'{raw[:40]}' is not an order number (six digits)")
    return match.group(1)


def get_order(session: Session, number: str) -> OrderView:
    """Return an order with its lines, shipments and tracking history.

    Raises:
        InvalidInput: `number` holds no six-digit number.
        OrderNotFound: no order has that number.
    """
    number = normalise_order_number(number)
    order = session.scalar(
        select(Order)
        .where(Order.number == number)
        .options(
            selectinload(Order.lines).selectinload(OrderLine.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
        )
    )
    if order is None:
        raise OrderNotFound(f"no order {number}")
    return _view(order)


def list_customer_orders(
    session: Session, customer_id: int, *, limit: int = 5
) -> list[OrderSummary]:
    """A customer's most recent orders, newest first (for "show my orders")."""
    rows = session.scalars(
        select(Order)
        .where(Order.customer_id == customer_id)
        .order_by(Order.placed_at.desc())
        .limit(limit)
    )
    return [OrderSummary.model_validate(order) for order in rows]


def line_view(line: OrderLine) -> OrderLineView:
    """One order line with its product's names in both languages."""
    return OrderLineView(
        sku=line.product.sku,
        name_fr=line.product.name_fr,
        name_en=line.product.name_en,
        quantity=line.quantity,
        unit_price=line.unit_price,
        returnable=line.product.returnable,
    )


def _view(order: Order) -> OrderView:
    outbound = [s for s in order.shipments if s.direction == ShipmentDirection.OUTBOUND]
    return OrderView(
        number=order.number,
        customer_id=order.customer_id,
        status=order.status,
        placed_at=order.placed_at,
        shipping_method=order.shipping_method,
        promised_delivery_date=order.promised_delivery_date,
        ship_city=order.ship_city,
        ship_postcode=order.ship_postcode,
        total=order.total,
        currency=order.currency,
        lines=tuple(line_view(line) for line in order.lines),
        shipments=tuple(
            ShipmentView(
                carrier=s.carrier,
                tracking_number=s.tracking_number,
                shipped_at=s.shipped_at,
                estimated_delivery=s.estimated_delivery,
                delivered_at=s.delivered_at,
                events=tuple(
                    TrackingEventView.model_validate(e)
                    for e in sorted(s.events, key=lambda e: e.occurred_at, reverse=True)
                ),
            )
            for s in outbound
        ),
    )
