"""Applying the warehouse's and the bank's events: return received, refund issued.

Statuses move as the demo store's do: a received return makes the order
`returned`, a refunded one `refunded`; a refund for a cancelled order leaves
it cancelled. The order row is locked first, as the return services do.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.errors import EventRefused, ReturnNotFound
from crm.events.applied import Applied, locked_order
from crm.events.schemas import RefundIssued, ReturnReceived
from crm.orders.models import Order, OrderStatus
from crm.returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    Return,
    ReturnStatus,
)

_RECEIVED_ALREADY = frozenset(
    {
        ReturnStatus.RECEIVED,
        ReturnStatus.REFUNDED,
        ReturnStatus.EXCHANGED,
        ReturnStatus.REJECTED,
    }
)
_OPEN = frozenset(
    {
        ReturnStatus.REQUESTED,
        ReturnStatus.LABEL_SENT,
        ReturnStatus.IN_TRANSIT,
        ReturnStatus.RECEIVED,
    }
)
_NOTHING_DUE = frozenset({ReturnStatus.CANCELLED, ReturnStatus.REJECTED})


def _return_and_order(session: Session, rma_number: str) -> tuple[Return, Order]:
    """The return and its order, the order row-locked.

    Raises:
        ReturnNotFound: no return has that RMA number.
    """
    order_id = session.scalar(
        select(Return.order_id).where(Return.rma_number == rma_number)
    )
    if order_id is None:
        raise ReturnNotFound(f"no return {rma_number}")
    order = session.scalar(select(Order).where(Order.id == order_id).with_for_update())
    ret = session.scalar(select(Return).where(Return.rma_number == rma_number))
    assert order is not None and ret is not None  # a foreign key, just read
    return ret, order


def receive_return(
    session: Session, event: ReturnReceived, *, now: datetime
) -> Applied:
    """Mark a return's parcel received at the warehouse; the refund clock starts.

    A pending refund is due `refund.days_after_receipt` after this day
    (`crm.returns.refunds`). Saying it again changes nothing, and so does a
    return already closed (it was received to be closed).

    Raises:
        ReturnNotFound: no return has that RMA number.
        EventRefused: the return was cancelled.
    """
    ret, order = _return_and_order(session, event.rma_number)
    if ret.status is ReturnStatus.CANCELLED:
        raise EventRefused(f"return {ret.rma_number} was cancelled: nothing was due")
    if ret.status in _RECEIVED_ALREADY:
        return Applied(
            outcome="already_received",
            order=order,
            entity="return",
            entity_id=ret.rma_number,
            rma_number=ret.rma_number,
        )
    ret.status = ReturnStatus.RECEIVED
    ret.received_at = event.at
    if order.status is OrderStatus.RETURN_REQUESTED:
        order.status = OrderStatus.RETURNED
        order.updated_at = now
    session.flush()
    return Applied(
        outcome="return_received",
        order=order,
        entity="return",
        entity_id=ret.rma_number,
        rma_number=ret.rma_number,
        details={"order": order.number, "received_at": event.at.isoformat()},
    )


def issue_refund(session: Session, event: RefundIssued, *, now: datetime) -> Applied:
    """Mark money as sent back, closing the return it was for.

    With an RMA number, the return's refund is paid (`already_issued` if it
    was). With only an order number, the order's refund still due is paid
    (the one of that amount, else the oldest); with none due, a refund the
    shop made on its own is recorded as issued. The amount paid replaces the
    amount due (the audit keeps both): the bank's record is the truth.

    Raises:
        ReturnNotFound: no return has that RMA number.
        OrderNotFound: no order has that number.
        EventRefused: the return was cancelled or rejected, is an exchange,
            is another order's, or the refunds would pass the order's total.
    """
    ret: Return | None = None
    refund: Refund | None
    if event.rma_number is not None:
        ret, order = _return_and_order(session, event.rma_number)
        if event.order_number is not None and event.order_number != order.number:
            raise EventRefused(
                f"return {ret.rma_number} is order {order.number}'s, "
                f"not {event.order_number}'s"
            )
        if ret.status in _NOTHING_DUE:
            raise EventRefused(
                f"return {ret.rma_number} was {ret.status.value}: no refund is due"
            )
        refund = session.scalar(
            select(Refund)
            .where(Refund.return_id == ret.id)
            .order_by(Refund.id.desc())
            .limit(1)
        )
        if refund is None and ret.resolution is Resolution.EXCHANGE:
            raise EventRefused(
                f"return {ret.rma_number} is an exchange: no refund is due"
            )
    else:
        assert event.order_number is not None  # the schema asks for one of them
        order = locked_order(session, event.order_number)
        refund = _due(session, order, event.amount)
        if refund is not None and refund.return_id is not None:
            ret = session.get(Return, refund.return_id)
    entity, entity_id = ("return", ret.rma_number) if ret else ("order", order.number)
    if refund is not None and refund.status is RefundStatus.ISSUED:
        return Applied(
            outcome="already_issued",
            order=order,
            entity=entity,
            entity_id=entity_id,
            rma_number=ret.rma_number if ret else None,
        )
    _check_total(session, order, event.amount)
    due = refund.amount if refund is not None else None
    if refund is None:
        refund = Refund(
            order_id=order.id,
            return_id=ret.id if ret else None,
            method="original_payment",
            requested_at=event.at,
        )
        session.add(refund)
    refund.amount = event.amount
    refund.status = RefundStatus.ISSUED
    refund.issued_at = event.at
    if ret is not None and ret.status in _OPEN:
        ret.status = ReturnStatus.REFUNDED
        ret.closed_at = event.at
        if order.status in (OrderStatus.RETURN_REQUESTED, OrderStatus.RETURNED):
            order.status = OrderStatus.REFUNDED
            order.updated_at = now
    session.flush()
    return Applied(
        outcome="refund_issued" if due is not None else "refund_recorded",
        order=order,
        entity=entity,
        entity_id=entity_id,
        rma_number=ret.rma_number if ret else None,
        details={
            "order": order.number,
            "amount": str(event.amount),
            "due": str(due) if due is not None else None,
            "currency": order.currency,
        },
    )


def _due(session: Session, order: Order, amount: Decimal) -> Refund | None:
    """The order's refund not paid yet that this payment settles, if any."""
    waiting = session.scalars(
        select(Refund)
        .where(Refund.order_id == order.id, Refund.status != RefundStatus.ISSUED)
        .order_by(Refund.requested_at, Refund.id)
    ).all()
    same = [r for r in waiting if r.amount == amount]
    chosen = same or waiting
    return chosen[0] if chosen else None


def _check_total(session: Session, order: Order, amount: Decimal) -> None:
    """Refuse a payment that would send back more than the order cost."""
    paid = session.scalar(
        select(func.sum(Refund.amount)).where(
            Refund.order_id == order.id, Refund.status == RefundStatus.ISSUED
        )
    )
    paid = paid or Decimal("0.00")
    if paid + amount > order.total:
        raise EventRefused(
            f"refunding {amount} would send back more than order {order.number}'s "
            f"total of {order.total} ({paid} refunded already)"
        )
