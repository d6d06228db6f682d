"""Applying the order's own events: placed, shipped, scanned, delivered.

Statuses move as the demo store's do (`crm/demo/timeline.py`): a scan moves
an order on its way to what the scan says, a delivery ends the journey.
A scan older than the parcel's latest one is kept in the history but moves
nothing: carriers' scans do not always arrive in order.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.customers.models import Customer
from crm.errors import EventRefused, ParcelNotFound, ProductNotFound
from crm.events.applied import (
    ON_ITS_WAY,
    Applied,
    is_late,
    later_estimate,
    latest_parcel,
    locked_order,
)
from crm.events.schemas import (
    Delivered,
    EventOutcome,
    OrderPlaced,
    OrderShipped,
    TrackingUpdate,
)
from crm.notices.movement import ParcelMove
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.shipping.models import (
    Shipment,
    ShipmentDirection,
    TrackingCode,
    TrackingEvent,
)

_AFTER_DELIVERY = frozenset(
    {
        OrderStatus.DELIVERED,
        OrderStatus.RETURN_REQUESTED,
        OrderStatus.RETURNED,
        OrderStatus.REFUNDED,
    }
)

_SCAN_STATUS: dict[TrackingCode, OrderStatus] = {
    TrackingCode.IN_TRANSIT: OrderStatus.IN_TRANSIT,
    TrackingCode.AT_HUB: OrderStatus.IN_TRANSIT,
    TrackingCode.OUT_FOR_DELIVERY: OrderStatus.OUT_FOR_DELIVERY,
    TrackingCode.AT_RELAY_POINT: OrderStatus.OUT_FOR_DELIVERY,
    TrackingCode.DELIVERED: OrderStatus.DELIVERED,
    TrackingCode.DELAYED: OrderStatus.DELAYED,
    TrackingCode.LOST: OrderStatus.LOST,
}
"""The order status a scan gives; other codes (label created, picked up, a
failed attempt, returned to sender) leave the status as it is."""


def place_order(session: Session, event: OrderPlaced, *, now: datetime) -> Applied:
    """Create the order, its lines and, if new, its customer (found by e-mail).

    An existing customer is kept as the store holds them: the e-mail is the
    account; a new one gets the event's name, language and postcode.

    Raises:
        EventRefused: an order with that number exists already.
        ProductNotFound: a line's SKU is not in the catalogue.
    """
    if session.scalar(select(Order.id).where(Order.number == event.order_number)):
        raise EventRefused(f"order {event.order_number} exists already")
    skus = {line.sku for line in event.lines}
    products = {
        p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(skus)))
    }
    missing = sorted(skus - products.keys())
    if missing:
        raise ProductNotFound(f"no product with SKU {', '.join(missing)}")
    customer = _customer(session, event)
    to, totals = event.ship_to, event.totals
    order = Order(
        number=event.order_number,
        customer_id=customer.id,
        placed_at=event.occurred_at,
        status=OrderStatus.PROCESSING,
        shipping_method=event.shipping_method,
        promised_delivery_date=event.promised_date,
        ship_name=to.name,
        ship_line1=to.line1,
        ship_line2=to.line2,
        ship_postcode=to.postcode,
        ship_city=to.city,
        ship_country=to.country,
        relay_point=to.relay_point,
        subtotal=totals.subtotal,
        shipping_fee=totals.shipping_fee,
        total=totals.total,
        currency=totals.currency,
        updated_at=event.occurred_at,
    )
    session.add(order)
    session.flush()
    for line in event.lines:
        session.add(
            OrderLine(
                order_id=order.id,
                product_id=products[line.sku].id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                in_stock_at_order=line.in_stock,
            )
        )
    session.flush()
    return Applied(
        outcome="order_created",
        order=order,
        entity="order",
        entity_id=order.number,
        details={"customer_id": customer.id, "total": str(order.total)},
    )


def _customer(session: Session, event: OrderPlaced) -> Customer:
    given = event.customer
    customer = session.scalar(select(Customer).where(Customer.email == given.email))
    if customer is not None:
        return customer
    customer = Customer(
        email=given.email,
        first_name=given.first_name,
        last_name=given.last_name,
        phone=given.phone,
        language=given.language,
        postcode=given.postcode,
        city=given.city or event.ship_to.city,
        country=given.country,
        created_at=event.occurred_at,
    )
    session.add(customer)
    session.flush()
    return customer


def ship_order(session: Session, event: OrderShipped, *, now: datetime) -> Applied:
    """Record a parcel handed to the carrier; a processing order becomes shipped.

    Another parcel for an order already on its way (a split order) is added
    without changing the status; a replacement for a lost parcel puts the
    order back on its way. The event puts the order past its promise when
    the carrier's estimate is after the promised date.

    Raises:
        OrderNotFound: no order has that number.
        EventRefused: the order was cancelled or is delivered, or the
            tracking number is another parcel's already.
    """
    order = locked_order(session, event.order_number)
    if order.status is OrderStatus.CANCELLED:
        raise EventRefused(f"order {order.number} was cancelled: it cannot ship")
    if order.status in _AFTER_DELIVERY:
        raise EventRefused(f"order {order.number} is delivered already")
    taken = session.scalar(
        select(Order.number)
        .join(Shipment, Shipment.order_id == Order.id)
        .where(Shipment.tracking_number == event.tracking_number)
    )
    if taken is not None:
        raise EventRefused(
            f"tracking number {event.tracking_number} is order {taken}'s already"
        )
    before = _late_now(session, order)
    parcel = Shipment(
        order_id=order.id,
        direction=ShipmentDirection.OUTBOUND,
        carrier=event.carrier,
        tracking_number=event.tracking_number,
        carrier_cost=event.carrier_cost,
        shipped_at=event.shipped_at,
        estimated_delivery=event.estimated_delivery,
    )
    session.add(parcel)
    outcome: EventOutcome = "parcel_added"
    if order.status in (OrderStatus.PROCESSING, OrderStatus.LOST):
        order.status = OrderStatus.SHIPPED
        outcome = "order_shipped"
    order.updated_at = now
    session.flush()
    late = is_late(order, parcel, None)
    return Applied(
        outcome=outcome,
        order=order,
        entity="order",
        entity_id=order.number,
        past_promise=late and not before,
        expected_date=later_estimate(order, parcel),
        details={
            "carrier": event.carrier.value,
            "tracking_number": event.tracking_number,
        },
        moved=ParcelMove(
            step="shipped", at=event.shipped_at, expected_on=event.estimated_delivery
        ),
    )


def _latest_scan(session: Session, parcel: Shipment) -> datetime | None:
    return session.scalar(
        select(func.max(TrackingEvent.occurred_at)).where(
            TrackingEvent.shipment_id == parcel.id
        )
    )


def _late_now(session: Session, order: Order) -> bool:
    parcel = latest_parcel(session, order)
    scan = _latest_scan(session, parcel) if parcel else None
    return is_late(order, parcel, scan)


def record_scan(session: Session, event: TrackingUpdate, *, now: datetime) -> Applied:
    """Add a carrier scan to a parcel's history and move the order if it says so.

    The status follows the newest scan of the order's current parcel, while
    the order is on its way (or lost: a lost parcel can turn up). A `delayed`
    order stays delayed through later transit scans: it is still late until
    it is out for delivery. A new estimate replaces the parcel's. Scans of
    return parcels are kept without touching the order.

    Raises:
        ParcelNotFound: no parcel has that tracking number.
        OrderNotFound: no order has that number.
        EventRefused: the order has no parcel yet, or the tracking number is
            another order's.
    """
    parcel, order = _scanned(session, event)
    current = latest_parcel(session, order)
    before = is_late(
        order, current, _latest_scan(session, current) if current else None
    )
    newest = _latest_scan(session, parcel)
    session.add(
        TrackingEvent(
            shipment_id=parcel.id,
            occurred_at=event.at,
            location=event.location,
            code=event.code,
            description=event.description,
        )
    )
    if event.estimated_delivery is not None:
        parcel.estimated_delivery = event.estimated_delivery
    if event.code is TrackingCode.DELIVERED and parcel.delivered_at is None:
        parcel.delivered_at = event.at
    outbound = parcel.direction is ShipmentDirection.OUTBOUND
    moves = outbound and current is not None and parcel.id == current.id
    newer = moves and (newest is None or event.at >= newest)
    if newer:
        _follow_scan(order, event.code, now=now)
    session.flush()
    latest = max(event.at, newest) if newest else event.at
    late = moves and is_late(order, parcel, latest)
    return Applied(
        outcome="scan_recorded",
        order=order,
        entity="order",
        entity_id=order.number,
        past_promise=late and not before,
        expected_date=later_estimate(order, parcel) if moves else None,
        details={
            "tracking_number": parcel.tracking_number,
            "code": event.code.value,
            "status": order.status.value,
        },
        moved=ParcelMove(
            step=event.code.value,
            at=event.at,
            place=event.location,
            expected_on=parcel.estimated_delivery,
        )
        if newer
        else None,
    )


def _scanned(session: Session, event: TrackingUpdate) -> tuple[Shipment, Order]:
    """The parcel a scan is about, and its order (row-locked)."""
    if event.tracking_number is None:
        assert event.order_number is not None  # the schema asks for one of them
        order = locked_order(session, event.order_number)
        parcel = latest_parcel(session, order)
        if parcel is None:
            raise EventRefused(
                f"order {order.number} has no parcel yet: send order_shipped first"
            )
        return parcel, order
    found = session.scalar(
        select(Shipment).where(Shipment.tracking_number == event.tracking_number)
    )
    if found is None:
        raise ParcelNotFound(f"no parcel {event.tracking_number}")
    owner = session.scalar(
        select(Order).where(Order.id == found.order_id).with_for_update()
    )
    assert owner is not None  # a foreign key
    if event.order_number is not None and event.order_number != owner.number:
        raise EventRefused(
            f"parcel {event.tracking_number} is order {owner.number}'s, "
            f"not {event.order_number}'s"
        )
    return found, owner


def _follow_scan(order: Order, code: TrackingCode, *, now: datetime) -> None:
    if order.status not in ON_ITS_WAY and order.status is not OrderStatus.LOST:
        return
    status = _SCAN_STATUS.get(code)
    if status is None:
        return
    if order.status is OrderStatus.DELAYED and status is OrderStatus.IN_TRANSIT:
        return  # still late: only "out for delivery" or an arrival says more
    if status is not order.status:
        order.status = status
        order.updated_at = now


def deliver_order(session: Session, event: Delivered, *, now: datetime) -> Applied:
    """Mark the order delivered and its current parcel arrived at `at`.

    Saying it again (the carrier's scan said it first) changes nothing.

    Raises:
        OrderNotFound: no order has that number.
        EventRefused: the order was cancelled or has no parcel.
    """
    order = locked_order(session, event.order_number)
    if order.status in _AFTER_DELIVERY:
        return Applied(
            outcome="already_delivered",
            order=order,
            entity="order",
            entity_id=order.number,
        )
    if order.status is OrderStatus.CANCELLED:
        raise EventRefused(f"order {order.number} was cancelled: it was not delivered")
    parcel = latest_parcel(session, order)
    if parcel is None:
        raise EventRefused(
            f"order {order.number} has not shipped: send order_shipped first"
        )
    if parcel.delivered_at is None:
        parcel.delivered_at = event.at
    order.status = OrderStatus.DELIVERED
    order.updated_at = now
    session.flush()
    return Applied(
        outcome="order_delivered",
        order=order,
        entity="order",
        entity_id=order.number,
        details={"delivered_at": event.at.isoformat()},
        moved=ParcelMove(step="delivered", at=event.at),
    )
