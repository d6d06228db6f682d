"""When Rasa or the store fails, the customer is told and never left waiting."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.chat_client import WidgetCustomer
from bot.messages import message
from bot.stack import free_port, temporary_hub
from crm.conversations.models import Message
from crm.db import make_engine, make_session_factory
from crm.migrate import upgrade_to_head

SUPPORT = "service-client@boutique-eco.example"


def one_turn(hub: str, text: str, language: str) -> list[dict[str, Any]]:
    async def scenario() -> list[dict[str, Any]]:
        customer = WidgetCustomer(hub, language=language)
        await customer.open()
        answers = await customer.turn(text, timeout=30)
        await customer.close()
        return answers

    return asyncio.run(scenario())


def test_rasa_down_is_said_and_the_message_is_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade_to_head(url)
    nobody = f"http://127.0.0.1:{free_port()}"
    with temporary_hub(url, nobody, tmp_path, secret_key="k" * 32) as hub:
        answers = one_turn(hub, "où est ma commande 104233 ?", "fr")
    assert [a["text"] for a in answers] == [
        message("chat_bot_down", "fr", support_email=SUPPORT)
    ]
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        kept = session.scalars(select(Message.text).order_by(Message.id)).all()
    engine.dispose()
    assert kept[0] == "où est ma commande 104233 ?"


def test_a_store_that_fails_is_said_and_the_turn_still_ends(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'not-migrated.db'}"  # no tables: every write fails
    nobody = f"http://127.0.0.1:{free_port()}"
    with temporary_hub(url, nobody, tmp_path, secret_key="k" * 32) as hub:
        answers = one_turn(hub, "where is my order?", "en")
    assert [a["text"] for a in answers] == [
        message("chat_failed", "en", support_email=SUPPORT)
    ]
