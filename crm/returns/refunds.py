"""Answering "where is my refund?": a customer's returns, refunds and their dates.

Customers ask about money, not about RMAs: each return comes with its
refund, and the day the refund is due by the policy, so that the bot can
say "by Friday" and hand over to a person once that day has passed.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from crm.clock import SHOP_TZ
from crm.errors import IdentityNotProven
from crm.orders.models import Order, OrderLine
from crm.returns.models import Refund, RefundStatus, Return, ReturnLine
from crm.returns.policy import ReturnsPolicy, load_returns_policy
from crm.returns.schemas import (
    RefundView,
    ReturnedLine,
    ReturnsAndRefunds,
    ReturnSummary,
)

__all__ = ["list_returns_and_refunds"]


def list_returns_and_refunds(
    session: Session,
    *,
    customer_id: int | None,
    today: date,
    limit: int = 10,
    policy: ReturnsPolicy | None = None,
) -> ReturnsAndRefunds:
    """A verified customer's latest returns and other refunds, newest first.

    A pending refund's `expected_by` is the policy's promise: for a return,
    `refund.days_after_receipt` after the day the parcel reached the shop
    (none before: the customer still has to send it); for a cancelled
    order, `refund.days_after_cancellation` after the request. The bank's
    own delay comes on top and is given apart, as customers are told.

    Raises:
        IdentityNotProven: no verified customer.
    """
    if customer_id is None:
        raise IdentityNotProven("no verified customer to list refunds for")
    policy = policy or load_returns_policy()
    returns = session.scalars(
        select(Return)
        .join(Order, Order.id == Return.order_id)
        .where(Order.customer_id == customer_id)
        .order_by(Return.created_at.desc(), Return.id.desc())
        .limit(limit)
        .options(
            selectinload(Return.lines)
            .selectinload(ReturnLine.order_line)
            .selectinload(OrderLine.product)
        )
    ).all()
    orders = {
        order_id: (number, currency)
        for order_id, number, currency in session.execute(
            select(Order.id, Order.number, Order.currency).where(
                Order.customer_id == customer_id
            )
        )
    }
    refunds = session.scalars(
        select(Refund)
        .join(Order, Order.id == Refund.order_id)
        .where(Order.customer_id == customer_id)
        .order_by(Refund.requested_at.desc(), Refund.id.desc())
    ).all()
    by_return = {r.return_id: r for r in refunds if r.return_id is not None}
    rmas = {r.id: r.rma_number for r in returns}
    summaries = []
    for ret in returns:
        refund = by_return.get(ret.id)
        summaries.append(
            ReturnSummary(
                rma_number=ret.rma_number,
                order_number=orders[ret.order_id][0],
                status=ret.status,
                reason=ret.reason,
                resolution=ret.resolution,
                lines=tuple(_line(line) for line in ret.lines),
                label_fee=ret.label_fee,
                created_at=ret.created_at,
                received_at=ret.received_at,
                closed_at=ret.closed_at,
                refund=(
                    _refund(refund, ret, orders, rmas, policy, today)
                    if refund is not None
                    else None
                ),
            )
        )
    others = [r for r in refunds if r.return_id is None][:limit]
    return ReturnsAndRefunds(
        returns=tuple(summaries),
        other_refunds=tuple(
            _refund(r, None, orders, rmas, policy, today) for r in others
        ),
        refund_days_after_receipt=policy.refund.days_after_receipt,
        bank_days=policy.refund.bank_days,
    )


def _line(line: ReturnLine) -> ReturnedLine:
    product = line.order_line.product
    return ReturnedLine(
        sku=product.sku,
        name_fr=product.name_fr,
        name_en=product.name_en,
        quantity=line.quantity,
        unit_price=line.order_line.unit_price,
    )


def _refund(
    refund: Refund,
    ret: Return | None,
    orders: dict[int, tuple[str, str]],
    rmas: dict[int, str],
    policy: ReturnsPolicy,
    today: date,
) -> RefundView:
    expected = _expected_by(refund, ret, policy)
    number, currency = orders[refund.order_id]
    return RefundView(
        order_number=number,
        rma_number=rmas.get(refund.return_id) if refund.return_id else None,
        amount=refund.amount,
        currency=currency,
        status=refund.status,
        requested_at=refund.requested_at,
        issued_at=refund.issued_at,
        expected_by=expected,
        overdue=expected is not None and today > expected,
    )


def _expected_by(
    refund: Refund, ret: Return | None, policy: ReturnsPolicy
) -> date | None:
    """The day a pending refund is due; None once paid, failed, or not started.

    `ret` is None for a refund without a return (a cancelled order).
    """
    if refund.status is not RefundStatus.PENDING:
        return None
    if ret is None:
        start = refund.requested_at.astimezone(SHOP_TZ).date()
        return start + timedelta(days=policy.refund.days_after_cancellation)
    if ret.received_at is None:
        return None
    start = ret.received_at.astimezone(SHOP_TZ).date()
    return start + timedelta(days=policy.refund.days_after_receipt)
