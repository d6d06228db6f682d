"""An agent takes a conversation over through the hub: the bot falls silent."""

from __future__ import annotations

import asyncio
import uuid
from datetime import time
from typing import Any

import httpx
import socketio
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.chat_client import WidgetCustomer
from crm import clock
from crm.conversations.hours import WEEKDAYS, SupportHours
from crm.conversations.schemas import HandoffPacket
from crm.conversations.service import open_handoff
from crm.demo.schemas import DemoAccount
from crm.orders.models import Order, OrderStatus
from crm.staff.models import Role
from crm.staff.service import create_user
from tests.conversations.test_hub_protocol import stored, texts
from tests.conversations.test_tracking import (
    ASK,
    Responses,
    expected,
    one_per_status,
    text_of,
)

ALWAYS_OPEN = SupportHours(
    hours=dict.fromkeys(WEEKDAYS, (time(0, 0), time(23, 59))),
    closed_on_public_holidays=False,
)
PASSWORD = "correct horse battery"


def make_agent(store: sessionmaker[Session], first_name: str) -> str:
    email = f"{first_name.lower()}-{uuid.uuid4().hex[:6]}@shop.example"
    with store() as session:
        create_user(
            session,
            email=email,
            first_name=first_name,
            role=Role.AGENT,
            password=PASSWORD,
            now=clock.now(),
        )
        session.commit()
    return email


def queue_for_a_person(
    store: sessionmaker[Session],
    sender_id: str,
    customer_id: int | None = None,
    language: str = "fr",
) -> int:
    """Queue the conversation as the bot's handoff does, whatever the hour."""
    with store() as session:
        handoff = open_handoff(
            session,
            sender_id=sender_id,
            packet=HandoffPacket(
                reason="customer_asked", language=language, customer_id=customer_id
            ),
            now=clock.now(),
            hours=ALWAYS_OPEN,
        )
        session.commit()
    return handoff.id


def logged_in(hub: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=hub, timeout=30)
    reply = client.post("/agent/login", data={"email": email, "password": PASSWORD})
    assert reply.status_code == 303 and reply.headers["location"].startswith("/agent")
    return client


async def console_socket(
    hub: str, client: httpx.Client, watched: str
) -> tuple[socketio.AsyncClient, asyncio.Queue[dict[str, Any]]]:
    token = client.get("/agent/api/socket-token").json()["token"]
    sio = socketio.AsyncClient(reconnection=False)
    seen: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def on_message(data: dict[str, Any]) -> None:
        await seen.put(data)

    sio.on("message", on_message, namespace="/agent")
    await sio.connect(
        hub, namespaces=["/agent"], auth={"token": token}, transports=["websocket"]
    )
    await sio.emit("watch", {"sender_id": watched}, namespace="/agent")
    await asyncio.sleep(0.2)
    return sio, seen


def test_an_agent_accepts_replies_live_and_hands_back_to_the_bot(
    hub_server: str, responses: Responses, store: sessionmaker[Session]
) -> None:
    email = make_agent(store, "Claire")

    async def scenario() -> dict[str, Any]:
        customer = WidgetCustomer(hub_server, language="fr")
        sender_id = await customer.open()
        await customer.turn(ASK["fr"])
        handoff_id = queue_for_a_person(store, sender_id)
        agent = logged_in(hub_server, email)
        queue = agent.get("/agent/api/queue").json()
        sio, seen = await console_socket(hub_server, agent, sender_id)

        waiting_reply = await customer.turn("vous êtes là ?")  # nobody has it yet
        accepted = agent.post(f"/agent/api/handoffs/{handoff_id}/accept")
        joined = await customer.next_message()
        while_agent = await customer.turn("mon colis n'est jamais arrivé")
        at_console = await asyncio.wait_for(seen.get(), 10)
        while at_console["author"] != "customer" or "jamais" not in at_console["text"]:
            at_console = await asyncio.wait_for(seen.get(), 10)
        sent = agent.post(
            f"/agent/api/conversations/{sender_id}/messages",
            json={"text": "Je regarde tout de suite."},
        )
        live = await customer.next_message()
        note = agent.post(
            f"/agent/api/conversations/{sender_id}/notes",
            json={"text": "client énervé, colis 2e fois"},
        )
        released = agent.post(f"/agent/api/conversations/{sender_id}/release")
        back = await customer.next_message()
        bot_again = await customer.turn(ASK["fr"])
        await sio.disconnect()
        await customer.close()
        return {
            "sender_id": sender_id,
            "queue": queue,
            "waiting_reply": waiting_reply,
            "accepted": accepted.status_code,
            "joined": joined,
            "while_agent": while_agent,
            "sent": sent.status_code,
            "live": live,
            "note": note.status_code,
            "released": released.status_code,
            "back": back,
            "bot_again": bot_again,
        }

    seen = asyncio.run(scenario())
    sender_id = seen["sender_id"]
    assert sender_id in [item["sender_id"] for item in seen["queue"]["waiting"]]
    assert "conseiller va vous répondre" in " ".join(texts(seen["waiting_reply"]))
    assert seen["accepted"] == 200
    assert "Claire" in seen["joined"]["text"]
    assert seen["while_agent"] == []  # the bot stays silent while Claire has it
    assert seen["sent"] == 201
    assert seen["live"]["text"] == "**Claire** : Je regarde tout de suite."
    assert seen["note"] == 201
    assert seen["released"] == 200
    assert "Claire" in seen["back"]["text"]
    assert texts(seen["bot_again"]) == [
        text_of(responses, "utter_ask_order_number", "fr")
    ]
    kept = stored(store, sender_id)
    assert ("customer", "mon colis n'est jamais arrivé") in kept
    assert ("agent", "Je regarde tout de suite.") in kept
    assert all("énervé" not in text for _, text in kept)  # notes stay private


def test_the_agent_sees_the_customer_360_and_resends_the_tracking_into_the_chat(
    hub_server: str,
    store: sessionmaker[Session],
    demo_accounts: list[DemoAccount],
) -> None:
    account = one_per_status(demo_accounts)[OrderStatus.IN_TRANSIT]
    email = make_agent(store, "Yanis")
    with store() as session:
        customer_id = session.scalar(
            select(Order.customer_id).where(Order.number == account.order_number)
        )

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        customer = WidgetCustomer(hub_server, language="en")
        sender_id = await customer.open()
        await customer.turn("where is my order?")
        await customer.turn(account.order_number)
        await customer.turn(account.email)
        handoff_id = queue_for_a_person(store, sender_id, customer_id, "en")
        agent = logged_in(hub_server, email)
        assert agent.post(f"/agent/api/handoffs/{handoff_id}/accept").is_success
        await customer.next_message()  # Yanis joined
        overview = agent.get(f"/agent/api/customers/{customer_id}").json()
        resent = agent.post(
            f"/agent/api/orders/{account.order_number}/resend-tracking",
            json={"sender_id": sender_id},
        ).json()
        in_chat = await customer.next_message()
        await customer.close()
        return overview, resent, in_chat

    overview, resent, in_chat = asyncio.run(scenario())
    answer = expected(store, account.order_number)
    order = next(o for o in overview["orders"] if o["number"] == account.order_number)
    assert order["shipments"][0]["tracking_number"] == answer.tracking_number
    assert overview["customer"]["email"] == account.email
    assert resent["posted"] is True
    assert in_chat["text"] == resent["text"]
    assert str(answer.tracking_number) in in_chat["text"]
    assert "Here is the tracking" in in_chat["text"]  # the chat's language


def test_the_console_socket_refuses_a_forged_token(hub_server: str) -> None:
    async def scenario() -> bool:
        sio = socketio.AsyncClient(reconnection=False)
        try:
            await sio.connect(
                hub_server,
                namespaces=["/agent"],
                auth={"token": "forged.token.value"},
                transports=["websocket"],
            )
        except socketio.exceptions.ConnectionError:
            return False
        await sio.disconnect()
        return True

    assert asyncio.run(scenario()) is False
