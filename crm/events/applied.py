"""What applying one event did, as the appliers hand it to `apply_event`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.clock import SHOP_TZ
from crm.errors import OrderNotFound
from crm.events.schemas import EventOutcome
from crm.notices.movement import ParcelMove
from crm.orders.models import Order, OrderStatus
from crm.shipping.models import Shipment, ShipmentDirection


@dataclass(frozen=True)
class Applied:
    """One event's effect: the outcome, the order it touched, what to audit.

    `entity`/`entity_id` name what the audit entry is about ("order" and its
    number, or "return" and its RMA number).
    """

    outcome: EventOutcome
    order: Order
    entity: str
    entity_id: str
    rma_number: str | None = None
    past_promise: bool = False
    expected_date: date | None = None
    details: dict[str, Any] = field(default_factory=dict)
    moved: ParcelMove | None = None  # the parcel's new step, for "notify me"


def locked_order(session: Session, number: str) -> Order:
    """The order with this number, row-locked (PostgreSQL) while the event applies.

    Raises:
        OrderNotFound: no order has that number.
    """
    order = session.scalar(
        select(Order).where(Order.number == number).with_for_update()
    )
    if order is None:
        raise OrderNotFound(f"no order {number}")
    return order


def latest_parcel(session: Session, order: Order) -> Shipment | None:
    """The order's latest outbound parcel: the one its status speaks of."""
    return session.scalar(
        select(Shipment)
        .where(
            Shipment.order_id == order.id,
            Shipment.direction == ShipmentDirection.OUTBOUND,
        )
        .order_by(Shipment.id.desc())
        .limit(1)
    )


ON_ITS_WAY = frozenset(
    {
        OrderStatus.SHIPPED,
        OrderStatus.IN_TRANSIT,
        OrderStatus.OUT_FOR_DELIVERY,
        OrderStatus.DELAYED,
    }
)
"""Statuses of an order the customer is still waiting for."""


def is_late(
    order: Order, parcel: Shipment | None, latest_scan: datetime | None
) -> bool:
    """Whether an order still on its way will arrive after its promised date.

    It is when the carrier says so (status `delayed`), when the carrier's
    estimate is after the promise, or when a scan came after the promised
    day without the parcel being delivered. Processing, delivered, lost and
    cancelled orders are never "late" here: no notice is owed for them.
    """
    if order.status not in ON_ITS_WAY:
        return False
    if order.status is OrderStatus.DELAYED:
        return True
    promised = order.promised_delivery_date
    estimate = parcel.estimated_delivery if parcel else None
    if estimate is not None and estimate > promised:
        return True
    return latest_scan is not None and latest_scan.astimezone(SHOP_TZ).date() > promised


def later_estimate(order: Order, parcel: Shipment | None) -> date | None:
    """The carrier's estimate when it is after the promise (else None)."""
    estimate = parcel.estimated_delivery if parcel else None
    if estimate is not None and estimate > order.promised_delivery_date:
        return estimate
    return None
