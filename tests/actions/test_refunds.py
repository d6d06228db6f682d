from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from actions.common import format_day
from actions.refunds import ActionRefundStatus
from actions.returns import ActionOpenReturn
from crm import clock
from crm.orders.models import Order
from crm.returns.models import Refund, RefundStatus, ReturnStatus
from tests.actions.conftest import responses, said
from tests.actions.return_orders import (
    BOTTLE,
    WRAPS,
    Built,
    add_order,
    build,
    new_customer,
    run,
    verified,
)
from tests.crm.return_helpers import existing_return


def days_ago(days: int) -> datetime:
    return clock.now() - timedelta(days=days)


def paris_day(moment: datetime) -> str:
    return format_day(moment.astimezone(clock.SHOP_TZ).date(), "fr")


def with_refund(
    store: sessionmaker[Session],
    *,
    status: ReturnStatus,
    refund: RefundStatus,
    received: datetime | None = None,
    issued: datetime | None = None,
    built: Built | None = None,
) -> Built:
    """A return of the first line of a new order (or of `built`), and its refund."""
    built = built or build(store, delivered_days_ago=12)
    with store() as session:
        order = session.scalars(select(Order).where(Order.number == built.number)).one()
        ret = existing_return(
            session,
            order=order,
            quantity=1,
            status=status,
            rma=f"RMA-2026-{built.number}",
            created_at=days_ago(10),
            received_at=received,
        )
        session.add(
            Refund(
                order_id=order.id,
                return_id=ret.id,
                amount=Decimal("11.00"),
                status=refund,
                requested_at=ret.created_at,
                issued_at=issued,
            )
        )
        session.commit()
    return built


async def test_no_return_nor_refund_offers_to_send_something_back(
    store: sessionmaker[Session],
) -> None:
    built = build(store)

    _, fr = await run(ActionRefundStatus(), verified(built))
    _, en = await run(ActionRefundStatus(), verified(built, language="en"))

    assert responses(fr) == ["utter_refunds_none"]
    assert "ni retour ni remboursement" in said(fr)[0]
    assert "any return or refund" in said(en, "en")[0]


async def test_return_just_opened_waits_for_the_parcel(
    store: sessionmaker[Session],
) -> None:
    built = build(store, (WRAPS,))
    _, opened = await run(
        ActionOpenReturn(),
        verified(
            built,
            return_items=built.skus[0],
            return_quantity="2",
            return_reason="changed_mind",
            return_resolution="refund",
        ),
    )
    rma = opened.messages[0]["rma_number"]

    _, fr = await run(ActionRefundStatus(), verified(built))
    _, en = await run(ActionRefundStatus(), verified(built, language="en"))

    assert responses(fr) == [
        "utter_return_state_requested",
        "utter_refund_after_parcel",
        "utter_refund_delays",
    ]
    text = said(fr)
    assert rma in text[0]
    assert built.number in text[0]
    assert format_day(clock.today(), "fr") in text[0]
    assert "27,90" in text[1]
    assert "sous 5 jours" in text[2]
    assert "3 jours ouvrés" in text[2]
    english = said(en, "en")
    assert "waiting for your parcel" in english[0]
    assert "€27.90" in english[1]
    assert "as soon as we receive" in english[1]


async def test_parcel_received_gives_the_day_the_refund_is_due(
    store: sessionmaker[Session],
) -> None:
    received = days_ago(2)
    built = with_refund(
        store,
        status=ReturnStatus.RECEIVED,
        refund=RefundStatus.PENDING,
        received=received,
    )

    _, dispatcher = await run(ActionRefundStatus(), verified(built))

    assert responses(dispatcher) == [
        "utter_return_state_received",
        "utter_refund_pending",
        "utter_refund_delays",
    ]
    due = received.astimezone(clock.SHOP_TZ).date() + timedelta(days=5)
    assert f"au plus tard le {format_day(due, 'fr')}" in said(dispatcher)[1]
    assert "11,00" in said(dispatcher)[1]


async def test_refund_paid_says_when(store: sessionmaker[Session]) -> None:
    issued = days_ago(3)
    built = with_refund(
        store,
        status=ReturnStatus.REFUNDED,
        refund=RefundStatus.ISSUED,
        received=days_ago(5),
        issued=issued,
    )

    _, dispatcher = await run(ActionRefundStatus(), verified(built, language="en"))

    assert responses(dispatcher)[:2] == [
        "utter_return_state_refunded",
        "utter_refund_issued",
    ]
    day = format_day(issued.astimezone(clock.SHOP_TZ).date(), "en")
    assert f"paid on {day}" in said(dispatcher, "en")[1]


async def test_refund_past_its_day_apologises_and_offers_a_person(
    store: sessionmaker[Session],
) -> None:
    built = with_refund(
        store,
        status=ReturnStatus.RECEIVED,
        refund=RefundStatus.PENDING,
        received=days_ago(9),
    )

    _, dispatcher = await run(ActionRefundStatus(), verified(built, language="en"))

    assert responses(dispatcher)[1] == "utter_refund_overdue"
    assert "should already have been paid, sorry" in said(dispatcher, "en")[1]


async def test_failed_refund_is_said_with_what_follows(
    store: sessionmaker[Session],
) -> None:
    built = with_refund(
        store,
        status=ReturnStatus.RECEIVED,
        refund=RefundStatus.FAILED,
        received=days_ago(3),
    )

    _, dispatcher = await run(ActionRefundStatus(), verified(built))

    assert responses(dispatcher)[1] == "utter_refund_failed"
    assert "le paiement a échoué" in said(dispatcher)[1]


async def test_refund_of_a_cancelled_order_is_told_without_a_return(
    store: sessionmaker[Session],
) -> None:
    built = build(store, delivered_days_ago=None)
    requested = days_ago(1)
    with store() as session:
        order = session.scalars(select(Order).where(Order.number == built.number)).one()
        session.add(
            Refund(
                order_id=order.id,
                amount=Decimal("21.80"),
                status=RefundStatus.PENDING,
                requested_at=requested,
            )
        )
        session.commit()

    _, dispatcher = await run(ActionRefundStatus(), verified(built))

    assert responses(dispatcher) == ["utter_refund_pending", "utter_refund_delays"]
    due = requested.astimezone(clock.SHOP_TZ).date() + timedelta(days=3)
    assert format_day(due, "fr") in said(dispatcher)[0]
    assert "21,80" in said(dispatcher)[0]


async def test_only_the_latest_three_returns_are_told(
    store: sessionmaker[Session],
) -> None:
    with store() as session:
        customer = new_customer(session)
        orders = [add_order(session, customer, (BOTTLE,)) for _ in range(4)]
        session.commit()
    for built in orders:
        with_refund(
            store,
            status=ReturnStatus.REQUESTED,
            refund=RefundStatus.PENDING,
            built=built,
        )

    _, dispatcher = await run(ActionRefundStatus(), verified(orders[0]))

    states = [
        m for m in dispatcher.messages if m["response"].startswith("utter_return")
    ]
    assert [m["rma_number"] for m in states] == [
        f"RMA-2026-{built.number}" for built in reversed(orders[1:])
    ]
    assert responses(dispatcher)[-1] == "utter_refund_delays"


async def test_unverified_customer_is_told_to_prove_it(
    store: sessionmaker[Session],
) -> None:
    _, dispatcher = await run(ActionRefundStatus(), {})

    assert responses(dispatcher) == ["utter_error_identity_not_proven"]
