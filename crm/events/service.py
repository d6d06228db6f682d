"""Applying the shop's order events once each, and finding the orders they made late.

The shop's order system and the carriers report what happens to orders
(`POST /api/v1/events`, README "Order events API"). Each event carries the
shop's own id; the store keeps every applied event under it
(`InboundEvent`), so that a retried request (a timeout, a redelivery) is
answered the same and changes the store once. A refused event (unknown
order, impossible transition) leaves nothing behind and can be sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crm.errors import EventRefused
from crm.events.applied import Applied, latest_parcel
from crm.events.cancel_events import cancel_order_by_shop
from crm.events.models import EventType, InboundEvent
from crm.events.order_events import deliver_order, place_order, record_scan, ship_order
from crm.events.retention import payload_digest, same_event
from crm.events.return_events import issue_refund, receive_return
from crm.events.schemas import EventResult, LateOrder, ShopEvent
from crm.notices.movement import notify_parcel_moved
from crm.orders.models import Order, OrderStatus
from crm.staff.service import record_audit
from crm.surveys.invitations import schedule_invitation

__all__ = ["ACTOR", "EventResult", "LateOrder", "apply_event", "late_orders_since"]

ACTOR = "shop-events"
"""Who the audit log says made the change: the shop's systems, not a person."""

_APPLY: dict[EventType, Callable[..., Applied]] = {
    EventType.ORDER_PLACED: place_order,
    EventType.ORDER_SHIPPED: ship_order,
    EventType.TRACKING_EVENT: record_scan,
    EventType.DELIVERED: deliver_order,
    EventType.RETURN_RECEIVED: receive_return,
    EventType.REFUND_ISSUED: issue_refund,
    EventType.ORDER_CANCELLED: cancel_order_by_shop,
}


def apply_event(session: Session, *, event: ShopEvent, now: datetime) -> EventResult:
    """Apply one shop event to the store, unless its id was applied before.

    A known id is answered with the earlier result and `duplicate=True`,
    changing nothing; the same id with other content is refused (an id must
    name one event). Otherwise the change goes through the store's models
    inside a savepoint, is written to the audit log (actor "shop-events"),
    and the event is kept with its result. Two requests with the same new
    id at once: the unique id lets one in, the other gets its result.

    Raises:
        OrderNotFound: no order with that number.
        ReturnNotFound: no return with that RMA number.
        ParcelNotFound: no parcel with that tracking number.
        ProductNotFound: an ordered SKU is not in the catalogue.
        EventRefused: the event cannot happen to the order or return as the
            store holds it (the message says why), or its id was used for
            another event.
    """
    payload = event.model_dump(mode="json")
    earlier = _seen(session, event.id)
    if earlier is not None:
        return _repeat(earlier, payload)
    try:
        with session.begin_nested():  # a refused event leaves nothing behind
            return _apply(session, event, payload, now=now)
    except IntegrityError:
        earlier = _seen(session, event.id)
        if earlier is None:
            raise
        return _repeat(earlier, payload)


def _seen(session: Session, event_id: str) -> InboundEvent | None:
    return session.scalar(select(InboundEvent).where(InboundEvent.event_id == event_id))


def _repeat(earlier: InboundEvent, payload: dict[str, Any]) -> EventResult:
    if not same_event(earlier, payload):
        raise EventRefused(
            f"event id {earlier.event_id} was used for another event on "
            f"{earlier.received_at.isoformat()}: give each event its own id"
        )
    assert earlier.result is not None  # written in the same transaction
    return EventResult.model_validate({**earlier.result, "duplicate": True})


def _apply(
    session: Session, event: ShopEvent, payload: dict[str, Any], *, now: datetime
) -> EventResult:
    kind = EventType(event.type)
    record = InboundEvent(
        event_id=event.id,
        type=kind,
        occurred_at=event.occurred_at,
        received_at=now,
        outcome="applying",
        past_promise=False,
        payload=payload,
        payload_sha256=payload_digest(payload),
    )
    session.add(record)
    session.flush()  # the unique id: a concurrent twin stops here
    applied = _APPLY[kind](session, event, now=now)
    order = applied.order
    extra = _invite_if_delivered(session, order, now=now)
    if applied.moved is not None:
        told = notify_parcel_moved(session, order=order, move=applied.moved, now=now)
        if told:
            extra["movement_notices"] = told
    result = EventResult(
        id=event.id,
        type=kind,
        outcome=applied.outcome,
        order_number=order.number,
        rma_number=applied.rma_number,
        status=order.status,
        past_promise=applied.past_promise,
        promised_date=order.promised_delivery_date,
        expected_date=applied.expected_date,
        received_at=now,
    )
    record.order_id = order.id
    record.outcome = applied.outcome
    record.past_promise = applied.past_promise
    record.result = result.model_dump(mode="json", exclude={"duplicate"})
    record.applied_at = now
    session.flush()
    record_audit(
        session,
        actor=ACTOR,
        action=f"event_{applied.outcome}",
        entity=applied.entity,
        entity_id=applied.entity_id,
        details={
            "event_id": event.id,
            "type": kind.value,
            "status": order.status.value,
            "past_promise": applied.past_promise,
            **applied.details,
            **extra,
        },
        now=now,
    )
    return result


def _invite_if_delivered(
    session: Session, order: Order, *, now: datetime
) -> dict[str, Any]:
    """Plan the order's survey once it is delivered (by a scan or an event)."""
    if order.status is not OrderStatus.DELIVERED:
        return {}
    parcel = latest_parcel(session, order)
    delivered_at = parcel.delivered_at if parcel and parcel.delivered_at else now
    outcome = schedule_invitation(
        session, order=order, delivered_at=delivered_at, now=now
    )
    if outcome.held_back == "already_invited":
        return {}
    return {"survey": "scheduled" if outcome.scheduled else outcome.held_back}


def late_orders_since(session: Session, since: datetime) -> list[LateOrder]:
    """Orders that an event put past their promised date at or after `since`.

    This is what issue 7's proactive delay notices send: a tracking event,
    a new estimate or a late shipment that makes an order on its way late
    is marked when it is applied (`InboundEvent.past_promise`, "is late now
    and was not before", see `crm.events.applied.is_late`); this lists
    those orders, oldest detection first, each once. An order that stays
    late is not marked again by later scans. `order_status` is today's, so
    that the sender can skip orders delivered or lost since; it should also
    remember what it sent (e.g. `crm.notices`), as `since` windows overlap.
    """
    rows = session.execute(
        select(
            InboundEvent.event_id,
            InboundEvent.received_at,
            InboundEvent.result,
            Order.number,
            Order.status,
            Order.customer_id,
            Order.promised_delivery_date,
        )
        .join(Order, Order.id == InboundEvent.order_id)
        .where(InboundEvent.past_promise.is_(True), InboundEvent.received_at >= since)
        .order_by(InboundEvent.received_at, InboundEvent.id)
    ).all()
    late: dict[str, LateOrder] = {}
    for event_id, received_at, result, number, status, customer_id, promised in rows:
        if number in late:
            continue
        expected = (result or {}).get("expected_date")
        late[number] = LateOrder(
            order_number=number,
            order_status=status,
            customer_id=customer_id,
            promised_date=promised,
            expected_date=date.fromisoformat(expected) if expected else None,
            detected_at=received_at,
            event_id=event_id,
        )
    return list(late.values())
