"""The end-of-chat rating: asked after a goodbye or an agent's close, kept once."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.chat_client import WidgetCustomer
from crm.conversations.models import Conversation
from crm.surveys.models import SurveyChannel, SurveyResponse
from tests.conversations.test_hub_agents import (
    logged_in,
    make_agent,
    queue_for_a_person,
)


def ratings(store: sessionmaker[Session], sender_id: str) -> list[tuple[Any, ...]]:
    with store() as session:
        rows = session.execute(
            select(
                SurveyResponse.csat, SurveyResponse.resolution, SurveyResponse.channel
            )
            .join(Conversation, Conversation.id == SurveyResponse.conversation_id)
            .where(Conversation.sender_id == sender_id)
        ).all()
    return [tuple(row) for row in rows]


def test_goodbye_to_the_bot_asks_a_rating_kept_once(
    hub_server: str, store: sessionmaker[Session]
) -> None:
    async def scenario() -> dict[str, Any]:
        customer = WidgetCustomer(hub_server, language="fr")
        sender_id = await customer.open()
        await customer.turn("bonjour")
        goodbye = await customer.turn("merci au revoir")
        buttons = next(m for m in goodbye if m.get("quick_replies"))["quick_replies"]
        four = next(b for b in buttons if b["payload"].endswith(" 4"))
        thanked = await customer.turn(four["payload"])
        again = await customer.turn(buttons[-1]["payload"])
        await customer.close()
        return {
            "sender_id": sender_id,
            "goodbye": goodbye,
            "buttons": buttons,
            "thanked": thanked,
            "again": again,
        }

    seen = asyncio.run(scenario())
    said = " ".join(str(m.get("text", "")) for m in seen["goodbye"])
    assert "Au revoir" in said
    assert "comment avons-nous répondu" in said
    assert len(seen["buttons"]) == 5
    assert "Merci pour votre note" in seen["thanked"][0]["text"]
    assert "déjà noté" in seen["again"][0]["text"]
    assert ratings(store, seen["sender_id"]) == [(4, "bot", SurveyChannel.CHAT_END)]


def test_agent_closing_the_chat_asks_a_rating_marked_as_a_persons(
    hub_server: str, store: sessionmaker[Session]
) -> None:
    email = make_agent(store, "Inès")

    async def scenario() -> dict[str, Any]:
        customer = WidgetCustomer(hub_server, language="en")
        sender_id = await customer.open()
        await customer.turn("hello")
        handoff_id = queue_for_a_person(store, sender_id, language="en")
        agent = logged_in(hub_server, email)
        assert agent.post(f"/agent/api/handoffs/{handoff_id}/accept").is_success
        await customer.next_message()  # Inès joined
        assert agent.post(f"/agent/api/conversations/{sender_id}/close").is_success
        question = await customer.next_message()
        while not question.get("quick_replies"):
            question = await customer.next_message()
        low = await customer.turn(question["quick_replies"][-1]["payload"])
        await customer.close()
        return {"sender_id": sender_id, "question": question, "low": low}

    seen = asyncio.run(scenario())
    assert "how well did we answer" in seen["question"]["text"]
    assert "sorry" in seen["low"][0]["text"]
    assert ratings(store, seen["sender_id"]) == [(1, "agent", SurveyChannel.CHAT_END)]
