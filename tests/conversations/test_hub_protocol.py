"""The widget's socket.io protocol through the running hub, relayed to the bot."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.chat_client import WidgetCustomer
from crm.conversations.models import Conversation, Message
from crm.demo.schemas import DemoAccount
from crm.orders.models import OrderStatus
from tests.conversations.test_tracking import (
    ASK,
    Responses,
    expected,
    handed_over,
    one_per_status,
    opening,
    text_of,
)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [str(m.get("text", "")) for m in messages]


def stored(store: sessionmaker[Session], sender_id: str) -> list[tuple[str, str]]:
    with store() as session:
        rows = session.execute(
            select(Message.author, Message.text)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.sender_id == sender_id)
            .order_by(Message.id)
        ).all()
    return [(author.value, text) for author, text in rows]


async def opened(
    hub: str, language: str = "fr", session_id: str | None = None
) -> WidgetCustomer:
    customer = WidgetCustomer(hub, language=language)
    await customer.open(session_id)
    return customer


def test_a_reload_keeps_the_conversation_and_a_made_up_id_gets_a_new_one(
    hub_server: str,
) -> None:
    async def scenario() -> tuple[str, str, str]:
        first = await opened(hub_server)
        assert first.session_id is not None
        await first.close()
        again = await opened(hub_server, session_id=first.session_id)
        made_up = await opened(hub_server, session_id="../../etc/passwd")
        await again.close()
        await made_up.close()
        return first.session_id, str(again.session_id), str(made_up.session_id)

    first, again, made_up = asyncio.run(scenario())
    assert SESSION_ID.match(first)
    assert again == first
    assert made_up != first and SESSION_ID.match(made_up)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_customer_tracks_an_order_through_the_hub_and_every_message_is_kept(
    hub_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]

    async def scenario() -> tuple[str, list[list[dict[str, Any]]]]:
        customer = await opened(hub_server, language)
        turns = [
            await customer.turn(ASK[language]),
            await customer.turn(account.order_number),
            await customer.turn(account.email),
        ]
        await customer.close()
        return str(customer.session_id), turns

    sender_id, (asked, proof, told) = asyncio.run(scenario())
    assert texts(asked) == [text_of(responses, "utter_ask_order_number", language)]
    assert texts(proof) == [
        text_of(
            responses,
            "utter_ask_identity_proof",
            language,
            order_number=account.order_number,
        )
    ]
    answer = expected(store, account.order_number)
    assert str(answer.tracking_number) in " ".join(texts(told))

    kept = stored(store, sender_id)
    assert [author for author, _ in kept[:4]] == ["customer", "bot", "customer", "bot"]
    assert kept[0][1] == ASK[language]
    assert kept[2][1] == account.order_number
    assert kept[-1][0] == "bot"
    assert [text for author, text in kept if author == "bot"] == texts(
        asked + proof + told
    )


def test_two_quick_messages_are_answered_in_the_order_they_were_sent(
    hub_server: str, responses: Responses, demo_accounts: list[DemoAccount]
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]

    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        customer = await opened(hub_server, "fr")
        await customer.send(ASK["fr"])
        await customer.send(account.order_number)  # no wait for the first answer
        first = await customer.answers()
        second = await customer.answers()
        await customer.close()
        return first, second

    first, second = asyncio.run(scenario())
    assert texts(first) == [text_of(responses, "utter_ask_order_number", "fr")]
    assert texts(second)[0].startswith(
        opening(responses, "utter_ask_identity_proof", "fr")
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_10kb_message_is_kept_and_the_customer_is_told_to_be_brief(
    hub_server: str,
    responses: Responses,
    store: sessionmaker[Session],
    language: str,
) -> None:
    pasted = "Bonjour, " + "mon colis est arrivé abîmé et " * 340  # about 10 kB

    async def scenario() -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
        customer = await opened(hub_server, language)
        told = await customer.turn(pasted)
        after = await customer.turn(ASK[language])
        await customer.close()
        return str(customer.session_id), told, after

    sender_id, told, after = asyncio.run(scenario())
    assert len(told) == 1
    assert str(len(pasted)) in told[0]["text"]
    assert ("too long" if language == "en" else "trop long") in told[0]["text"]
    assert stored(store, sender_id)[0] == ("customer", pasted)
    # the conversation goes on: the bot reads the next, shorter message
    assert texts(after) == [text_of(responses, "utter_ask_order_number", language)]


def test_buttons_reach_the_widget_as_quick_replies_and_their_payload_works(
    hub_server: str, responses: Responses
) -> None:
    async def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        customer = await opened(hub_server, "en")
        answers = await customer.turn("are you a robot?")
        clicked = await customer.turn(answers[0]["quick_replies"][0]["payload"])
        await customer.close()
        return answers, clicked

    answers, clicked = asyncio.run(scenario())
    button = responses["utter_bot_identity"][1]["buttons"][0]
    assert answers[0]["text"] == text_of(responses, "utter_bot_identity", "en")
    assert answers[0]["quick_replies"] == [
        {"content_type": "text", "title": button["title"], "payload": button["payload"]}
    ]
    assert handed_over(responses, "en") in " ".join(texts(clicked))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pages_language_reaches_the_bot(
    hub_server: str,
    responses: Responses,
    demo_accounts: list[DemoAccount],
    language: str,
) -> None:
    # An order number alone says nothing of the customer's language: the
    # page's language (the widget's customData) decides the answer's.
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]

    async def scenario() -> list[dict[str, Any]]:
        customer = await opened(hub_server, language)
        answers = await customer.turn(account.order_number)
        await customer.close()
        return answers

    answers = asyncio.run(scenario())
    assert texts(answers)[0] == text_of(
        responses,
        "utter_ask_identity_proof",
        language,
        order_number=account.order_number,
    )
