"""Proactive delay notices: tell the customer their order is late before they ask.

An order is late when the carrier says so (status delayed), when the
carrier's estimate is after the promised day, or when the promised day has
passed and the parcel is still on its way, with or without a new scan (a
parcel nobody scans is the latest of all). The customer gets an e-mail
through the outbox, and the widget shows the notice the next time they
open it. A parcel that slips again is told again; one told once and not
slipping further is left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from crm.clock import SHOP_TZ
from crm.conversations.models import Conversation
from crm.customers.models import Customer
from crm.events.applied import ON_ITS_WAY
from crm.notices.models import ProactiveNotice
from crm.notices.schemas import ChatNotice, SentNotice
from crm.orders.models import Order, OrderStatus
from crm.outbox.service import enqueue_message
from crm.shipping.models import Shipment, ShipmentDirection

TEMPLATE = "delay_notice"
STALE_AFTER = timedelta(days=30)
"""An order this far past its promise is a lost parcel for a person, not a notice."""
CHAT_NOTICE_LIFE = timedelta(days=14)
DETECT_BATCH = 500


def _needs_notice(
    latest: ProactiveNotice | None, expected: date | None, today: date
) -> bool:
    if latest is None:
        return True
    if expected is not None:
        return latest.expected_on is None or expected > latest.expected_on
    return latest.expected_on is not None and latest.expected_on < today


def send_delay_notices(
    session: Session, *, now: datetime, limit: int = DETECT_BATCH
) -> list[SentNotice]:
    """Find orders late now and not told yet; record and queue their notices.

    One query finds candidates through the status index (orders on their
    way whose promise is due or whose estimate slipped); each is then
    compared with the last notice it had.
    """
    today = now.astimezone(SHOP_TZ).date()
    estimate = (
        select(
            Shipment.order_id,
            func.max(Shipment.estimated_delivery).label("estimate"),
        )
        .where(Shipment.direction == ShipmentDirection.OUTBOUND)
        .group_by(Shipment.order_id)
        .subquery()
    )
    candidates = session.execute(
        select(Order, Customer, estimate.c.estimate)
        .join(Customer, Customer.id == Order.customer_id)
        .outerjoin(estimate, estimate.c.order_id == Order.id)
        .where(
            Order.status.in_(ON_ITS_WAY),
            Order.promised_delivery_date >= today - STALE_AFTER,
            or_(
                Order.status == OrderStatus.DELAYED,
                Order.promised_delivery_date < today,
                estimate.c.estimate > Order.promised_delivery_date,
            ),
        )
        .order_by(Order.promised_delivery_date, Order.id)
        .limit(limit)
    ).all()
    sent: list[SentNotice] = []
    for order, customer, carrier_estimate in candidates:
        expected = (
            carrier_estimate
            if carrier_estimate is not None
            and carrier_estimate > order.promised_delivery_date
            and carrier_estimate >= today
            else None
        )
        latest = session.scalar(
            select(ProactiveNotice)
            .where(ProactiveNotice.order_id == order.id)
            .order_by(ProactiveNotice.created_at.desc(), ProactiveNotice.id.desc())
            .limit(1)
        )
        if not _needs_notice(latest, expected, today):
            continue
        reason = (
            "carrier_delay"
            if order.status is OrderStatus.DELAYED
            else ("new_estimate" if expected is not None else "past_promise")
        )
        notice = ProactiveNotice(
            order_id=order.id,
            customer_id=customer.id,
            promised_on=order.promised_delivery_date,
            expected_on=expected,
            reason=reason,
            created_at=now,
            emailed_at=now,
        )
        session.add(notice)
        enqueue_message(
            session,
            template=TEMPLATE,
            to_address=customer.email,
            language=customer.language.value,
            params={
                "order_number": order.number,
                "first_name": customer.first_name,
                "promised_on": order.promised_delivery_date.isoformat(),
                "expected_on": expected.isoformat() if expected else None,
            },
            now=now,
            customer_id=customer.id,
            order_id=order.id,
        )
        sent.append(
            SentNotice(
                order_number=order.number,
                promised_on=order.promised_delivery_date,
                expected_on=expected,
                reason=reason,
            )
        )
    session.flush()
    return sent


def chat_notices(
    session: Session, *, customer_id: int, now: datetime
) -> list[ChatNotice]:
    """Notices the widget has not shown this customer yet, for orders still late.

    Marked as shown in the same call: the widget shows each once.
    """
    rows = session.execute(
        select(ProactiveNotice, Order.number)
        .join(Order, Order.id == ProactiveNotice.order_id)
        .where(
            ProactiveNotice.customer_id == customer_id,
            ProactiveNotice.shown_in_chat_at.is_(None),
            ProactiveNotice.created_at >= now - CHAT_NOTICE_LIFE,
            Order.status.in_(ON_ITS_WAY),
        )
        .order_by(ProactiveNotice.created_at)
    ).all()
    if not rows:
        return []
    session.execute(
        update(ProactiveNotice)
        .where(ProactiveNotice.id.in_([notice.id for notice, _ in rows]))
        .values(shown_in_chat_at=now)
    )
    return [
        ChatNotice(
            order_number=number,
            promised_on=notice.promised_on,
            expected_on=notice.expected_on,
        )
        for notice, number in rows
    ]


def notices_for_chat(
    session: Session, *, sender_id: str, now: datetime
) -> tuple[str, list[ChatNotice]]:
    """The chat's language and the delay notices to show its customer now.

    Nothing for a chat whose customer never proved who they are: a notice
    names an order, which only its owner may read about.
    """
    conversation = session.scalar(
        select(Conversation).where(Conversation.sender_id == sender_id)
    )
    if conversation is None or conversation.customer_id is None:
        return "fr", []
    found = chat_notices(session, customer_id=conversation.customer_id, now=now)
    return conversation.language, found
