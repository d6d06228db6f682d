"""Recording "tell me when my parcel moves", and listing what is left to send.

A late parcel's answer offers to notify the customer (issue 4); the proactive
delay notices (issue 7) send what is recorded here and mark it sent, so that
the dashboard can tell notified customers who still wrote from the others.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.identity import owned_order
from crm.customers.models import Customer
from crm.errors import NotFound
from crm.notices.models import DelayNotice, NoticeChannel
from crm.notices.schemas import DelayNoticeRequest, NoticeRefusal, PendingDelayNotice
from crm.orders.models import Order, OrderStatus
from crm.privacy import mask_email
from crm.staff.service import record_audit

__all__ = [
    "DelayNoticeRequest",
    "PendingDelayNotice",
    "mark_delay_notice_sent",
    "pending_delay_notices",
    "request_delay_notice",
]

_REFUSAL: dict[OrderStatus, NoticeRefusal] = {
    OrderStatus.DELIVERED: "delivered",
    OrderStatus.RETURN_REQUESTED: "delivered",
    OrderStatus.RETURNED: "delivered",
    OrderStatus.REFUNDED: "delivered",
    OrderStatus.CANCELLED: "cancelled",
    OrderStatus.LOST: "lost",
}
"""Orders with nothing left to move; any other status is still on its way
(a processing order moves when it ships)."""


def _answer(
    order: Order,
    channel: NoticeChannel,
    *,
    reason: NoticeRefusal | None = None,
    already: bool = False,
    requested_at: datetime | None = None,
) -> DelayNoticeRequest:
    return DelayNoticeRequest(
        order_number=order.number,
        status=order.status,
        allowed=reason is None,
        reason=reason,
        already_requested=already,
        channel=channel,
        email_masked=mask_email(order.customer.email),
        requested_at=requested_at,
    )


def request_delay_notice(
    session: Session,
    *,
    customer_id: int | None,
    order_number: str,
    actor: str,
    now: datetime,
    channel: NoticeChannel = NoticeChannel.EMAIL,
) -> DelayNoticeRequest:
    """Record that a verified customer wants an e-mail when their parcel moves.

    Only for an order still on its way: a delivered, cancelled or lost order
    is refused with a reason and nothing is recorded. Asking twice keeps one
    request (`already_requested`), and the order's row lock makes that hold
    for two requests at once on PostgreSQL. Asking again after the notice
    went out sets it waiting again: the customer wants the next move too.
    Each new or renewed request is written to the audit log.

    Raises:
        InvalidInput: the order number has no six digits.
        IdentityNotProven: no verified customer, or not their order.
    """
    order = owned_order(
        session, customer_id=customer_id, order_number=order_number, lock=True
    )
    reason = _REFUSAL.get(order.status)
    if reason is not None:
        return _answer(order, channel, reason=reason)
    notice = session.scalar(
        select(DelayNotice).where(
            DelayNotice.order_id == order.id, DelayNotice.channel == channel
        )
    )
    details: dict[str, str] = {"channel": channel.value}
    if notice is None:
        notice = DelayNotice(
            order_id=order.id,
            customer_id=order.customer_id,
            channel=channel,
            created_at=now,
        )
        session.add(notice)
        action = "delay_notice_requested"
    elif notice.notified_at is None:
        return _answer(order, channel, already=True, requested_at=notice.created_at)
    else:
        details["previous_notice_at"] = notice.notified_at.isoformat()
        notice.notified_at = None
        action = "delay_notice_renewed"
    session.flush()
    record_audit(
        session,
        actor=actor,
        action=action,
        entity="order",
        entity_id=order.number,
        details=details,
        now=now,
    )
    return _answer(order, channel, requested_at=notice.created_at)


def pending_delay_notices(session: Session) -> list[PendingDelayNotice]:
    """Every request not notified yet, oldest first: what the sender has to do."""
    rows = session.execute(
        select(
            DelayNotice, Order.number, Order.status, Customer.email, Customer.language
        )
        .join(Order, Order.id == DelayNotice.order_id)
        .join(Customer, Customer.id == DelayNotice.customer_id)
        .where(DelayNotice.notified_at.is_(None))
        .order_by(DelayNotice.created_at, DelayNotice.id)
    ).all()
    return [
        PendingDelayNotice(
            notice_id=notice.id,
            order_number=number,
            order_status=status,
            customer_id=notice.customer_id,
            email=email,
            language=language,
            channel=notice.channel,
            requested_at=notice.created_at,
        )
        for notice, number, status, email, language in rows
    ]


def mark_delay_notice_sent(session: Session, *, notice_id: int, now: datetime) -> None:
    """Record that a request's notice went out, so it leaves the pending list.

    Marking twice keeps the first time: that is when the customer was told.

    Raises:
        NotFound: no request with that id.
    """
    notice = session.get(DelayNotice, notice_id)
    if notice is None:
        raise NotFound(f"no delay notice {notice_id}")
    if notice.notified_at is None:
        notice.notified_at = now
        session.flush()
