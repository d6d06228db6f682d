"""Returns and refunds through the trained bot's REST channel, checked in the store."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crm import clock
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order, OrderStatus
from crm.returns.eligibility import check_eligibility
from crm.returns.models import Return, ReturnStatus
from crm.returns.schemas import OrderEligibility
from tests.conversations.test_tracking import Responses, opening, text_of

START = {
    "fr": "bonjour je voudrais renvoyer un article",
    "en": "hi, I'd like to return something I bought",
}


def talk(base_url: str, sender: str, text: str) -> list[dict[str, Any]]:
    body = {"sender": sender, "message": text}
    reply = httpx.post(f"{base_url}/webhooks/rest/webhook", json=body, timeout=60.0)
    reply.raise_for_status()
    return list(reply.json())


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(str(m.get("text", "")) for m in messages)


def returnable_orders(
    store: sessionmaker[Session], taken: list[DemoAccount]
) -> list[tuple[OrderEligibility, str]]:
    """Delivered orders with a returnable line, each with its customer's e-mail."""
    avoid = {account.order_number for account in taken}
    found = []
    with store() as session:
        orders = session.scalars(
            select(Order)
            .where(Order.status == OrderStatus.DELIVERED)
            .order_by(Order.placed_at.desc())
        ).all()
        for order in orders:
            if order.number in avoid:
                continue
            eligibility = check_eligibility(
                session,
                customer_id=order.customer_id,
                order_number=order.number,
                today=clock.today(),
            )
            if eligibility.any_eligible:
                found.append((eligibility, order.customer.email))
    if len(found) < 8:
        pytest.fail("the demo store has too few returnable orders")
    return found


def verify(
    rasa_server: str, sender: str, language: str, number: str, email: str
) -> list[dict[str, Any]]:
    talk(rasa_server, sender, START[language])
    talk(rasa_server, sender, number)
    return talk(rasa_server, sender, email)


def returns_of(store: sessionmaker[Session], number: str) -> list[Return]:
    with store() as session:
        order_id = session.scalar(select(Order.id).where(Order.number == number))
        return list(
            session.scalars(select(Return).where(Return.order_id == order_id)).all()
        )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_return_is_created_for_an_eligible_item(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    order, email = returnable_orders(store, demo_accounts)[["fr", "en"].index(language)]
    number = order.order_number
    before = {r.rma_number for r in returns_of(store, number)}
    sender = f"return-{language}"

    asked = verify(rasa_server, sender, language, number, email)
    offer = asked[-1]
    eligible = [line for line in order.lines if line.eligible]
    skus = [b["payload"] for b in offer["buttons"]]
    assert [f'/inform{{"return_item":"{li.sku}"}}' for li in eligible] == skus
    for line in order.lines:
        if not line.eligible:
            refusal = opening(
                responses, f"utter_return_line_refused_{line.reason}", language
            )
            assert refusal in texts(asked)

    reply = talk(rasa_server, sender, skus[0])
    if texts(reply) == text_of(responses, "utter_ask_return_quantity", language):
        reply = talk(rasa_server, sender, "1")
    assert texts(reply) == text_of(responses, "utter_ask_return_reason", language)
    reply = talk(rasa_server, sender, '/inform{"return_reason":"damaged"}')
    if texts(reply) == text_of(responses, "utter_ask_return_resolution", language):
        reply = talk(rasa_server, sender, '/inform{"return_resolution":"refund"}')
    assert text_of(responses, "utter_return_label_free", language) in texts(reply)
    assert reply[-1]["text"].startswith(
        opening(responses, "utter_return_confirm_refund", language)
    )
    # Nothing is created before the yes.
    assert {r.rma_number for r in returns_of(store, number)} == before

    done = talk(rasa_server, sender, "/affirm")
    created = [r for r in returns_of(store, number) if r.rma_number not in before]
    assert len(created) == 1
    rma = created[0]
    assert rma.status is ReturnStatus.REQUESTED
    assert rma.label_fee == 0
    assert rma.rma_number in texts(done)
    assert f"/returns/label/{rma.label_token}.pdf" in texts(done)

    status = talk(
        rasa_server,
        sender,
        {"fr": "et mon remboursement il en est ou ?", "en": "where's my refund?"}[
            language
        ],
    )
    assert rma.rma_number in texts(status)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_changing_ones_mind_creates_nothing(
    rasa_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    order, email = returnable_orders(store, demo_accounts)[
        2 + ["fr", "en"].index(language)
    ]
    number = order.order_number
    before = returns_of(store, number)
    sender = f"return-stop-{language}"

    offer = verify(rasa_server, sender, language, number, email)[-1]
    reply = talk(rasa_server, sender, offer["buttons"][0]["payload"])
    if texts(reply) == text_of(responses, "utter_ask_return_quantity", language):
        reply = talk(rasa_server, sender, "1")
    stop = {"fr": "en fait non laisse tomber", "en": "actually no, forget it"}[language]
    reply = talk(rasa_server, sender, stop)

    assert texts(reply) == text_of(responses, "utter_return_dropped", language)
    assert len(returns_of(store, number)) == len(before)
