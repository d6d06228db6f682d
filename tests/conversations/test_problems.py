"""Problem reports through the trained bot, checked in the store."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm.conversations.models import Conversation, Handoff
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order
from crm.problems.models import ProblemKind, ProblemReport
from crm.returns.models import Return
from tests.conversations.test_returns import returnable_orders, talk, texts
from tests.conversations.test_tracking import Responses, handed_over, text_of


def reports_of(store: sessionmaker[Session], number: str) -> list[ProblemReport]:
    with store() as session:
        order_id = session.scalar(select(Order.id).where(Order.number == number))
        return list(
            session.scalars(
                select(ProblemReport).where(ProblemReport.order_id == order_id)
            ).all()
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_damaged_item_gets_a_free_label_return(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    order, email = returnable_orders(store, demo_accounts)[
        4 + ["fr", "en"].index(language)
    ]
    number = order.order_number
    sender = f"problem-{language}"
    start = {"fr": "jai un souci avec ma commande", "en": "problem with my order"}

    talk(rasa_server, sender, start[language])
    talk(rasa_server, sender, number)
    asked = talk(rasa_server, sender, email)
    assert asked[-1]["text"] == text_of(responses, "utter_ask_problem_kind", language)
    asked = talk(rasa_server, sender, '/inform{"problem_kind":"damaged"}')
    sku = next(line.sku for line in order.lines if line.eligible)
    assert f'/inform{{"return_item":"{sku}"}}' in [
        b["payload"] for b in asked[-1]["buttons"]
    ]
    done = talk(rasa_server, sender, f'/inform{{"return_item":"{sku}"}}')

    reports = reports_of(store, number)
    assert [r.kind for r in reports] == [ProblemKind.DAMAGED]
    with store() as session:
        opened = session.get(Return, reports[0].return_id)
        assert opened is not None
        assert opened.label_fee == 0
        assert opened.rma_number in texts(done)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_parcel_not_received_is_recorded_and_goes_to_a_person(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    order, email = returnable_orders(store, demo_accounts)[
        6 + ["fr", "en"].index(language)
    ]
    number = order.order_number
    sender = f"not-received-{language}"
    asked = {"fr": "ou est ma commande", "en": "where is my order"}[language]

    talk(rasa_server, sender, asked)
    talk(rasa_server, sender, number)
    tracked = talk(rasa_server, sender, email)
    button = tracked[-1]["buttons"][0]["payload"]
    reply = talk(rasa_server, sender, button)

    assert text_of(
        responses, "utter_problem_handoff_not_received", language, order_number=number
    ) in texts(reply)
    assert handed_over(responses, language) in texts(reply)
    reports = reports_of(store, number)
    assert [(r.kind, r.order_line_id) for r in reports] == [
        (ProblemKind.NOT_RECEIVED, None)
    ]
    with store() as session:
        handoff = session.scalars(
            select(Handoff).join(Conversation).where(Conversation.sender_id == sender)
        ).one()
    assert handoff.reason == "problem_not_received"
    assert number in handoff.packet["orders"]
    assert any(line["author"] == "customer" for line in handoff.packet["transcript"])
