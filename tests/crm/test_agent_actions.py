from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.customers.models import Language
from crm.errors import (
    ConversationNotFound,
    IdentityNotProven,
    OrderNotFound,
    ReturnNotAllowed,
)
from crm.orders.agent_actions import (
    agent_cancel_order,
    agent_open_return,
    agent_resend_tracking,
    order_owner,
)
from crm.orders.models import Order, OrderStatus
from crm.orders.schemas import Situation
from crm.returns.models import ReturnReason
from crm.returns.schemas import ReturnCreate, ReturnLineRequest
from crm.staff.models import AuditEntry
from tests.crm.return_helpers import delivered_order
from tests.factories import (
    make_customer,
    make_handoff,
    make_order,
    make_shipment,
    make_staff,
)

NOW = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def _audit(session: Session) -> list[tuple[str, str, str]]:
    return [
        (a.actor, a.action, a.entity_id)
        # Only this test's entries: other tests commit theirs (at the real time).
        for a in session.scalars(
            select(AuditEntry).where(AuditEntry.at == NOW).order_by(AuditEntry.id)
        )
    ]


def test_resend_tracking_gives_the_bots_answer_in_the_chats_language(
    session: Session,
) -> None:
    claire = make_staff(session)
    camille = make_customer(session)
    order = make_order(
        session, customer=camille, number="104233", status=OrderStatus.IN_TRANSIT
    )
    make_shipment(session, order=order)
    make_handoff(session, sender_id="w-track", customer=camille, language="en")

    resend = agent_resend_tracking(
        session,
        order_number="#104233",
        sender_id="w-track",
        agent_id=claire.id,
        now=NOW,
    )

    assert (resend.sender_id, resend.language) == ("w-track", "en")
    assert resend.tracking.order_number == "104233"
    assert resend.tracking.situation in {Situation.ON_THE_WAY, Situation.LATE}
    assert resend.tracking.tracking_number == "6A12345678901"
    assert resend.tracking.tracking_url is not None
    assert _audit(session) == [(f"agent:{claire.id}", "tracking_resent", "104233")]


def test_without_a_chat_the_customers_own_language_is_used(session: Session) -> None:
    claire = make_staff(session)
    camille = make_customer(session, language=Language.EN)
    make_order(session, customer=camille, number="104233")

    resend = agent_resend_tracking(
        session, order_number="104233", sender_id=None, agent_id=claire.id, now=NOW
    )

    assert (resend.sender_id, resend.language) == (None, "en")
    assert resend.tracking.situation is Situation.PROCESSING


def test_an_order_is_never_posted_into_another_customers_chat(
    session: Session,
) -> None:
    claire = make_staff(session)
    camille = make_customer(session)
    other = make_customer(session, email="other@example.fr")
    make_order(session, customer=camille, number="104233")
    make_handoff(session, sender_id="w-other", customer=other)
    make_handoff(session, sender_id="w-anonymous", customer=None)

    for chat in ("w-other", "w-anonymous"):
        with pytest.raises(IdentityNotProven):
            agent_resend_tracking(
                session,
                order_number="104233",
                sender_id=chat,
                agent_id=claire.id,
                now=NOW,
            )
        with pytest.raises(IdentityNotProven):
            agent_cancel_order(
                session,
                order_number="104233",
                sender_id=chat,
                agent_id=claire.id,
                now=NOW,
            )
    assert _audit(session) == []


def test_unknown_orders_and_chats_are_not_found(session: Session) -> None:
    claire = make_staff(session)
    make_order(session, customer=make_customer(session), number="104233")

    with pytest.raises(OrderNotFound):
        order_owner(session, order_number="999999")
    with pytest.raises(ConversationNotFound):
        agent_cancel_order(
            session,
            order_number="104233",
            sender_id="w-gone",
            agent_id=claire.id,
            now=NOW,
        )


def test_an_agent_cancels_an_unshipped_order_in_their_name(session: Session) -> None:
    claire = make_staff(session)
    camille = make_customer(session)
    make_order(session, customer=camille, number="104233")
    make_handoff(session, sender_id="w-cancel", customer=camille)

    result = agent_cancel_order(
        session,
        order_number="104233",
        sender_id="w-cancel",
        agent_id=claire.id,
        now=NOW,
    )

    assert result.allowed
    assert session.scalar(select(Order.status)) is OrderStatus.CANCELLED
    assert _audit(session) == [(f"agent:{claire.id}", "order_cancelled", "104233")]


def test_an_agent_cannot_cancel_a_shipped_order_either(session: Session) -> None:
    claire = make_staff(session)
    camille = make_customer(session)
    order = make_order(
        session, customer=camille, number="104233", status=OrderStatus.IN_TRANSIT
    )
    make_shipment(session, order=order)

    result = agent_cancel_order(
        session, order_number="104233", sender_id=None, agent_id=claire.id, now=NOW
    )

    assert (result.allowed, result.reason) == (False, "already_shipped")
    assert _audit(session) == []


def test_an_agent_opens_a_return_by_the_bots_rules(session: Session) -> None:
    claire = make_staff(session)
    camille = make_customer(session)
    delivered_order(session, customer=camille, delivered_at=NOW - timedelta(days=5))
    request = ReturnCreate(
        order_number="104233",
        lines=(ReturnLineRequest(sku="KIT-104233", quantity=2),),
        reason=ReturnReason.DAMAGED,
    )

    created = agent_open_return(
        session, request=request, sender_id=None, agent_id=claire.id, now=NOW
    )

    assert created.free_label
    assert created.label_path.startswith("/returns/label/")
    assert _audit(session) == [
        (f"agent:{claire.id}", "return_opened", created.rma_number)
    ]
    with pytest.raises(ReturnNotAllowed):  # nothing left to send back
        agent_open_return(
            session, request=request, sender_id=None, agent_id=claire.id, now=NOW
        )
