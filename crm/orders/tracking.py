"""Answering "where is my order?": status in plain words, dates, carrier link.

The store holds statuses and dates; the customer wants to know whether to
worry. This module turns one into the other once, so that the bot, the agent
console and any e-mail say the same thing about the same order.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session, selectinload

from crm.clock import SHOP_TZ
from crm.customers.identity import owned_order
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.orders.schemas import (
    Situation,
    TrackingAnswer,
    TrackingEventView,
)
from crm.orders.service import line_view
from crm.shipping.carriers import carrier_name, tracking_url
from crm.shipping.models import Shipment, ShipmentDirection, TrackingCode
from crm.shipping.options import (
    DeliveryOptions,
    expected_ship_date,
    load_delivery_options,
    next_working_day,
)

__all__ = ["Situation", "TrackingAnswer", "track_order"]

_ON_THE_WAY = frozenset({OrderStatus.SHIPPED, OrderStatus.IN_TRANSIT})
_FIXED: dict[OrderStatus, Situation] = {
    OrderStatus.PROCESSING: Situation.PROCESSING,
    OrderStatus.OUT_FOR_DELIVERY: Situation.OUT_FOR_DELIVERY,
    OrderStatus.DELAYED: Situation.LATE,
    OrderStatus.DELIVERED: Situation.DELIVERED,
    OrderStatus.LOST: Situation.LOST,
    OrderStatus.CANCELLED: Situation.CANCELLED,
    OrderStatus.RETURN_REQUESTED: Situation.RETURN_IN_PROGRESS,
    OrderStatus.RETURNED: Situation.RETURNED,
    OrderStatus.REFUNDED: Situation.REFUNDED,
}
_NEVER_LATE = frozenset({OrderStatus.CANCELLED, OrderStatus.LOST})


def track_order(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    today: date,
    options: DeliveryOptions | None = None,
) -> TrackingAnswer:
    """Say where a verified customer's order is, and whether it is late.

    A number that is not the customer's and a number that does not exist
    both raise `IdentityNotProven`, never `OrderNotFound`: a verified
    customer asking about other numbers must not learn which exist; the bot
    asks for the proof of that order instead, as it would for anyone.

    Raises:
        InvalidInput: the order number has no six digits.
        IdentityNotProven: no verified customer, or not their order.
    """
    options = options or load_delivery_options()
    order = owned_order(
        session,
        customer_id=customer_id,
        order_number=order_number,
        load=(
            selectinload(Order.lines).selectinload(OrderLine.product),
            selectinload(Order.shipments).selectinload(Shipment.events),
        ),
    )
    return _answer(order, today=today, options=options)


def _local_day(moment: datetime) -> date:
    return moment.astimezone(SHOP_TZ).date()


def _answer(order: Order, *, today: date, options: DeliveryOptions) -> TrackingAnswer:
    outbound = [s for s in order.shipments if s.direction is ShipmentDirection.OUTBOUND]
    parcel = outbound[-1] if outbound else None
    events = sorted(parcel.events, key=lambda e: e.occurred_at) if parcel else []
    last = events[-1] if events else None
    delivered_at = parcel.delivered_at if parcel else None
    stockout = not all(line.in_stock_at_order for line in order.lines)

    days_late = _days_late(order, parcel, delivered_at, today)
    situation = _FIXED.get(order.status)
    if situation is None:  # shipped or in transit: on its way, unless late
        situation = Situation.LATE if days_late > 0 else Situation.ON_THE_WAY

    return TrackingAnswer(
        order_number=order.number,
        status=order.status,
        situation=situation,
        carrier=parcel.carrier if parcel else None,
        carrier_name=carrier_name(parcel.carrier) if parcel else None,
        tracking_number=parcel.tracking_number if parcel else None,
        tracking_url=(
            tracking_url(parcel.carrier, parcel.tracking_number) if parcel else None
        ),
        last_event=TrackingEventView.model_validate(last) if last else None,
        placed_at=order.placed_at,
        promised_date=order.promised_delivery_date,
        expected_date=_expected_date(order, parcel, delivered_at, today),
        days_late=days_late,
        delivered_at=delivered_at,
        expected_ship_date=(
            _ship_date(order, stockout, today, options)
            if order.status is OrderStatus.PROCESSING
            else None
        ),
        shipping_method=order.shipping_method,
        lines=tuple(line_view(line) for line in order.lines),
        stockout=stockout,
        relay_point=order.relay_point,
        at_relay_point=(
            order.status is OrderStatus.OUT_FOR_DELIVERY
            and last is not None
            and last.code is TrackingCode.AT_RELAY_POINT
        ),
        ship_city=order.ship_city,
        total=order.total,
        currency=order.currency,
    )


def _days_late(
    order: Order,
    parcel: Shipment | None,
    delivered_at: datetime | None,
    today: date,
) -> int:
    """Calendar days past the promise: as delivered, or as it stands today.

    An undelivered parcel is late by the later of its estimate and today:
    an estimate already behind us means it is late at least until today.
    Lost and cancelled orders are never "late": they will not come.
    """
    if order.status in _NEVER_LATE:
        return 0
    promised = order.promised_delivery_date
    if delivered_at is not None:
        arrival = _local_day(delivered_at)
    else:
        estimate = parcel.estimated_delivery if parcel else None
        arrival = max(estimate, today) if estimate else today
    return max(0, (arrival - promised).days)


def _expected_date(
    order: Order,
    parcel: Shipment | None,
    delivered_at: datetime | None,
    today: date,
) -> date | None:
    """The delivery day, or the carrier's estimate while it is still ahead.

    A passed estimate is not repeated: "expected yesterday" helps nobody, and
    `days_late` already says how late it is. A parcel on its delivery round
    is expected today whatever the estimate said.
    """
    if delivered_at is not None:
        return _local_day(delivered_at)
    if parcel is None or order.status in _NEVER_LATE:
        return None
    if order.status is OrderStatus.OUT_FOR_DELIVERY:
        return today
    estimate = parcel.estimated_delivery
    return estimate if estimate is not None and estimate >= today else None


def _ship_date(
    order: Order, stockout: bool, today: date, options: DeliveryOptions
) -> date:
    """When a processing order should leave the warehouse, never in the past.

    Planned from the order time (cut-off, preparation days, a stock-out's
    extra days); once that day has passed, the next working day from today
    is the honest answer.
    """
    planned = expected_ship_date(options, placed_at=order.placed_at, stockout=stockout)
    return max(planned, next_working_day(today))
