from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.conversations.models import Conversation, Handoff, HandoffStatus
from crm.conversations.queue import accept_handoff, agent_queue
from crm.customers.models import Customer
from crm.errors import NotFound, SurveyNotFound
from crm.kpis.filters import DateRange
from crm.kpis.follow_up import create_follow_up, detractors
from crm.kpis.satisfaction_schemas import FollowUpTask
from crm.orders.models import Order, OrderLine
from crm.shipping.models import Carrier
from crm.staff.models import AuditEntry, Role
from crm.surveys.models import SurveyChannel, SurveyResponse
from tests.crm.kpis_satisfaction.fixtures import (
    MONDAY,
    NOON,
    make_answer,
    make_customer,
    make_order,
    make_product,
)
from tests.factories import make_handoff, make_staff

WEEK = DateRange(start=MONDAY, end=MONDAY + timedelta(days=6))


def unhappy_answer(session: Session) -> SurveyResponse:
    customer = make_customer(session, first_name="Lucie", last_name="Bernard")
    order = make_order(
        session,
        customer=customer,
        number="104233",
        lines=[(make_product(session, sku="PAN"), 1, True)],
    )
    return make_answer(
        session,
        csat=2,
        nps=3,
        ces=6,
        order=order,
        carrier=Carrier.DHL.value,
        language="en",
        comment="Parcel arrived a week late and nobody told me.",
    )


def test_detractors_are_nps_up_to_6_or_csat_up_to_2_newest_first(
    session: Session,
) -> None:
    customer = make_customer(session, first_name="Lucie", last_name="Bernard")
    order = make_order(session, customer=customer, number="104233")
    make_answer(session, nps=6, csat=4, order=order, carrier="dhl", comment="Bof")
    make_answer(
        session,
        csat=2,
        channel=SurveyChannel.CHAT_END,
        submitted_at=NOON + timedelta(hours=1),
    )
    make_answer(session, nps=7, csat=3)  # passive, not unhappy enough
    make_answer(session, nps=10, csat=5)
    make_answer(session, nps=0, submitted_at=NOON - timedelta(days=30))  # before

    page = detractors(session, period=WEEK)

    assert page.total == 2
    first, second = page.items
    assert (first.csat, first.nps, first.order_number) == (2, None, None)
    assert second.customer_name == "Lucie Bernard"
    assert (second.order_number, second.carrier) == ("104233", "dhl")
    assert (second.nps, second.csat, second.comment) == (6, 4, "Bof")
    assert second.follow_up_handoff_id is None


def test_detractors_are_paginated_with_the_total(session: Session) -> None:
    for hour in range(5):
        make_answer(session, nps=hour, submitted_at=NOON + timedelta(hours=hour))

    page = detractors(session, period=WEEK, limit=2, offset=2)

    assert (page.total, page.limit, page.offset) == (5, 2, 2)
    assert [d.nps for d in page.items] == [2, 1]
    assert detractors(session, period=WEEK, limit=2, offset=4).items[0].nps == 0
    assert detractors(session, period=WEEK, limit=2, offset=6).items == ()


def test_a_follow_up_task_waits_in_the_agents_queue(session: Session) -> None:
    answer = unhappy_answer(session)
    ops = make_staff(session, first_name="Olivier", role=Role.OPS)
    agent = make_staff(session, first_name="Claire")

    task = create_follow_up(
        session, response_id=answer.id, actor=f"agent:{ops.id}", now=NOON
    )

    assert task.created
    queue = agent_queue(session, agent_id=agent.id, now=NOON + timedelta(minutes=5))
    [item] = [i for i in queue.waiting if i.handoff_id == task.handoff_id]
    assert item.reason == "detractor_follow_up"
    assert item.customer_name == "Lucie Bernard"
    assert item.language == "en"
    assert item.status is HandoffStatus.TICKET  # after live chats in the queue
    assert item.waiting_seconds == 300
    conversation = session.scalars(
        select(Conversation).where(Conversation.sender_id == task.sender_id)
    ).one()
    assert conversation.channel == "follow_up"
    assert conversation.customer_id == answer.customer_id


def test_the_packet_carries_scores_comment_order_and_customer(
    session: Session,
) -> None:
    answer = unhappy_answer(session)

    task = create_follow_up(session, response_id=answer.id, actor="agent:1", now=NOON)

    packet = session.get_one(Handoff, task.handoff_id).packet
    assert packet["reason"] == "detractor_follow_up"
    assert packet["customer_id"] == answer.customer_id
    assert packet["orders"] == ["104233"]
    assert packet["language"] == "en"
    slots = packet["slots"]
    assert (slots["csat"], slots["nps"], slots["ces"]) == (2, 3, 6)
    assert slots["comment"] == "Parcel arrived a week late and nobody told me."
    assert slots["order_number"] == "104233"
    assert "NPS 3, CSAT 2" in packet["summary"]


def test_a_second_click_returns_the_same_task_and_creates_nothing(
    session: Session,
) -> None:
    answer = unhappy_answer(session)
    first = create_follow_up(session, response_id=answer.id, actor="agent:1", now=NOON)

    again = create_follow_up(
        session, response_id=answer.id, actor="agent:2", now=NOON + timedelta(hours=1)
    )

    assert not again.created
    assert (again.handoff_id, again.sender_id) == (first.handoff_id, first.sender_id)
    assert session.scalar(select(func.count(Handoff.id))) == 1
    assert session.scalar(select(func.count(Conversation.id))) == 1
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "detractor_follow_up_created")
    ).all()
    assert [(a.actor, a.entity, a.entity_id) for a in audit] == [
        ("agent:1", "survey_response", str(answer.id))
    ]


def test_the_detractor_list_shows_the_task_once_created(session: Session) -> None:
    answer = unhappy_answer(session)
    task = create_follow_up(session, response_id=answer.id, actor="agent:1", now=NOON)

    [item] = detractors(session, period=WEEK).items

    assert item.follow_up_handoff_id == task.handoff_id


def test_an_agent_can_take_the_follow_up_like_any_handoff(session: Session) -> None:
    answer = unhappy_answer(session)
    agent = make_staff(session, first_name="Claire")
    task = create_follow_up(session, response_id=answer.id, actor="agent:1", now=NOON)

    detail = accept_handoff(
        session, handoff_id=task.handoff_id, agent_id=agent.id, now=NOON
    )

    assert detail.sender_id == task.sender_id
    assert detail.customer_name == "Lucie Bernard"
    assert detail.handoff is not None
    assert detail.handoff.reason == "detractor_follow_up"
    mine = agent_queue(session, agent_id=agent.id, now=NOON).mine
    assert [i.handoff_id for i in mine] == [task.handoff_id]


def test_an_unknown_answer_is_not_found(session: Session) -> None:
    with pytest.raises(SurveyNotFound) as raised:
        create_follow_up(session, response_id=999_999, actor="agent:1", now=NOON)

    assert isinstance(raised.value, NotFound)
    assert raised.value.http_status == 404


def test_two_clicks_at_once_make_one_task(engine: Engine) -> None:
    """Two ops users, two connections: the second waits and gets the first's task."""
    with Session(engine, expire_on_commit=False) as setup:
        answer_id = unhappy_answer(setup).id
        setup.commit()
    first_done = threading.Event()
    results: dict[str, FollowUpTask] = {}

    def click(name: str, hold: float) -> None:
        with Session(engine, expire_on_commit=False) as own:
            results[name] = create_follow_up(
                own, response_id=answer_id, actor=f"agent:{name}", now=NOON
            )
            first_done.set()
            time.sleep(hold)  # still deciding: the other click must wait
            own.commit()

    first = threading.Thread(target=click, args=("1", 0.3))
    first.start()
    assert first_done.wait(10)
    second = threading.Thread(target=click, args=("2", 0))
    second.start()
    first.join(10)
    second.join(10)
    try:
        assert results["1"].created
        assert not results["2"].created
        assert results["2"].handoff_id == results["1"].handoff_id
        with Session(engine) as check:
            assert check.scalar(select(func.count(Handoff.id))) == 1
    finally:
        _delete_committed(engine, answer_id)


def _delete_committed(engine: Engine, answer_id: int) -> None:
    """Remove what the race test committed: the shared test database stays empty."""
    with Session(engine) as cleanup:
        answer = cleanup.get_one(SurveyResponse, answer_id)
        order = cleanup.get_one(Order, answer.order_id)
        handoff_id = answer.follow_up_handoff_id
        cleanup.execute(
            delete(AuditEntry).where(
                AuditEntry.entity == "survey_response",
                AuditEntry.entity_id == str(answer_id),
            )
        )
        cleanup.delete(answer)
        cleanup.flush()
        if handoff_id is not None:
            handoff = cleanup.get_one(Handoff, handoff_id)
            conversation_id = handoff.conversation_id
            cleanup.delete(handoff)
            cleanup.flush()
            cleanup.execute(
                delete(Conversation).where(Conversation.id == conversation_id)
            )
        cleanup.execute(delete(OrderLine).where(OrderLine.order_id == order.id))
        cleanup.execute(delete(Order).where(Order.id == order.id))
        cleanup.execute(delete(Product).where(Product.sku == "PAN"))
        cleanup.execute(delete(Customer).where(Customer.id == answer.customer_id))
        cleanup.commit()


def test_a_chat_rating_follow_up_points_to_the_chat(session: Session) -> None:
    rated = make_handoff(session, sender_id="w-rated-chat", status=HandoffStatus.CLOSED)
    answer = make_answer(
        session,
        csat=1,
        channel=SurveyChannel.CHAT_END,
        resolution="agent",
        conversation_id=rated.conversation_id,
    )

    task = create_follow_up(session, response_id=answer.id, actor="agent:1", now=NOON)

    packet = session.get_one(Handoff, task.handoff_id).packet
    assert packet["slots"]["chat_sender_id"] == "w-rated-chat"
    assert packet["orders"] == []
    assert packet["summary"] == "Unhappy survey answer (CSAT 1)"
