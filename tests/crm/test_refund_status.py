from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.errors import IdentityNotProven
from crm.orders.models import Order, OrderStatus
from crm.returns.models import (
    Refund,
    RefundStatus,
    Resolution,
    Return,
    ReturnReason,
    ReturnStatus,
)
from crm.returns.refunds import list_returns_and_refunds
from crm.returns.schemas import ReturnCreate, ReturnLineRequest
from crm.returns.service import open_return
from tests.crm.return_helpers import delivered_order, existing_return
from tests.factories import make_customer, make_detailed_order

DELIVERED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
OPENED = datetime(2026, 6, 10, 14, 0, tzinfo=UTC)


def _open(session: Session, customer_id: int, reason: ReturnReason) -> Return:
    created = open_return(
        session,
        customer_id=customer_id,
        request=ReturnCreate(
            order_number="104233",
            lines=(ReturnLineRequest(sku="KIT-104233", quantity=1),),
            reason=reason,
            resolution=(
                Resolution.EXCHANGE
                if reason is ReturnReason.FAULTY
                else Resolution.REFUND
            ),
        ),
        actor="bot",
        now=OPENED,
    )
    return session.scalars(
        select(Return).where(Return.rma_number == created.rma_number)
    ).one()


def _refund(
    session: Session,
    order: Order,
    *,
    requested: datetime,
    status: RefundStatus = RefundStatus.PENDING,
    issued: datetime | None = None,
    return_id: int | None = None,
) -> Refund:
    refund = Refund(
        order_id=order.id,
        return_id=return_id,
        amount=Decimal("30.70"),
        status=status,
        method="original_payment",
        requested_at=requested,
        issued_at=issued,
    )
    session.add(refund)
    session.flush()
    return refund


def test_refund_due_days_after_the_parcel_reaches_the_shop(session: Session) -> None:
    customer = make_customer(session)
    delivered_order(session, customer=customer, delivered_at=DELIVERED)
    ret = _open(session, customer.id, ReturnReason.CHANGED_MIND)
    # 22:30 UTC on 20 June is 21 June in Paris: due 5 days later, on the 26th.
    ret.received_at = datetime(2026, 6, 20, 22, 30, tzinfo=UTC)
    ret.status = ReturnStatus.RECEIVED
    session.flush()

    on_time = list_returns_and_refunds(
        session, customer_id=customer.id, today=date(2026, 6, 26)
    )
    late = list_returns_and_refunds(
        session, customer_id=customer.id, today=date(2026, 6, 27)
    )

    summary = on_time.returns[0]
    assert summary.rma_number == ret.rma_number
    assert summary.status is ReturnStatus.RECEIVED
    assert [(li.sku, li.quantity) for li in summary.lines] == [("KIT-104233", 1)]
    assert summary.refund is not None
    assert summary.refund.amount == Decimal("11.00")  # 16.90 - 5.90 label
    assert summary.refund.expected_by == date(2026, 6, 26)
    assert not summary.refund.overdue
    assert late.returns[0].refund is not None
    assert late.returns[0].refund.overdue
    assert (on_time.refund_days_after_receipt, on_time.bank_days) == (5, 3)


def test_no_due_date_before_the_parcel_is_in(session: Session) -> None:
    customer = make_customer(session)
    delivered_order(session, customer=customer, delivered_at=DELIVERED)
    _open(session, customer.id, ReturnReason.CHANGED_MIND)

    answer = list_returns_and_refunds(
        session, customer_id=customer.id, today=date(2026, 8, 1)
    )

    refund = answer.returns[0].refund
    assert refund is not None
    assert (refund.status, refund.expected_by, refund.overdue) == (
        RefundStatus.PENDING,
        None,
        False,
    )


def test_exchange_has_no_refund(session: Session) -> None:
    customer = make_customer(session)
    delivered_order(session, customer=customer, delivered_at=DELIVERED)
    _open(session, customer.id, ReturnReason.FAULTY)

    answer = list_returns_and_refunds(
        session, customer_id=customer.id, today=date(2026, 6, 11)
    )

    assert answer.returns[0].resolution is Resolution.EXCHANGE
    assert answer.returns[0].refund is None


def test_issued_refund_shows_when_without_a_promise(session: Session) -> None:
    customer = make_customer(session)
    order = delivered_order(session, customer=customer, delivered_at=DELIVERED)
    ret = existing_return(
        session,
        order=order,
        quantity=1,
        status=ReturnStatus.REFUNDED,
        received_at=datetime(2026, 6, 15, 9, tzinfo=UTC),
    )
    issued = datetime(2026, 6, 17, 10, tzinfo=UTC)
    _refund(
        session,
        order,
        requested=datetime(2026, 6, 6, 9, tzinfo=UTC),
        status=RefundStatus.ISSUED,
        issued=issued,
        return_id=ret.id,
    )

    answer = list_returns_and_refunds(
        session, customer_id=customer.id, today=date(2026, 7, 1)
    )

    refund = answer.returns[0].refund
    assert refund is not None
    assert refund.rma_number == ret.rma_number
    assert (refund.status, refund.issued_at, refund.expected_by) == (
        RefundStatus.ISSUED,
        issued,
        None,
    )
    assert not refund.overdue


def test_cancelled_order_refund_due_days_after_the_request(session: Session) -> None:
    customer = make_customer(session)
    order = make_detailed_order(
        session, customer=customer, number="104233", status=OrderStatus.CANCELLED
    )
    _refund(session, order, requested=datetime(2026, 11, 2, 23, 30, tzinfo=UTC))

    answer = list_returns_and_refunds(
        session, customer_id=customer.id, today=date(2026, 11, 6)
    )

    assert answer.returns == ()
    (refund,) = answer.other_refunds
    assert refund.order_number == "104233"
    assert refund.rma_number is None
    # 23:30 UTC on 2 November is 00:30 on the 3rd in Paris: due the 6th.
    assert (refund.expected_by, refund.overdue) == (date(2026, 11, 6), False)


def test_only_the_customers_own_returns_newest_first(session: Session) -> None:
    customer = make_customer(session)
    other = make_customer(session, email="other@example.fr")
    mine = delivered_order(session, customer=customer, delivered_at=DELIVERED)
    theirs = delivered_order(
        session, customer=other, number="104234", delivered_at=DELIVERED
    )
    existing_return(
        session,
        order=mine,
        quantity=1,
        rma="RMA-2026-000001",
        created_at=datetime(2026, 6, 3, tzinfo=UTC),
    )
    existing_return(
        session,
        order=mine,
        quantity=1,
        rma="RMA-2026-000002",
        created_at=datetime(2026, 6, 5, tzinfo=UTC),
    )
    existing_return(session, order=theirs, quantity=1, rma="RMA-2026-000003")

    answer = list_returns_and_refunds(
        session, customer_id=customer.id, today=date(2026, 6, 11)
    )

    assert [r.rma_number for r in answer.returns] == [
        "RMA-2026-000002",
        "RMA-2026-000001",
    ]
    with pytest.raises(IdentityNotProven):
        list_returns_and_refunds(session, customer_id=None, today=date(2026, 6, 11))
