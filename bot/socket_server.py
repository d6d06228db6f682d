"""The hub's socket.io server: the widget's protocol, and the live console.

Customers (namespace "/") speak the protocol rasa-webchat speaks to Rasa's
own socket.io channel (`session_request`/`session_confirm`, `user_uttered`,
`bot_uttered`), so the widget needs no change; the hub then calls Rasa over
REST, which keeps Rasa free to run several workers. Agents (namespace
"/agent") connect with a signed token from the console API.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import anyio
import socketio
from sqlalchemy.orm import Session, sessionmaker

from bot.auth import CONSOLE_ROLES, read_socket_token
from bot.relay import AGENT_NAMESPACE, AGENTS_ROOM, CUSTOMER_NAMESPACE, Relay
from bot.relay import conversation_room as room_of
from bot.settings import HubSettings
from bot.welcome import welcome_back
from crm.db import session_scope
from crm.staff.service import active_user

logger = logging.getLogger(__name__)

# Session ids are ours (uuid4 hex): a widget offering anything else gets a new one.
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def new_server(settings: HubSettings) -> socketio.AsyncServer:
    """An ASGI socket.io server accepting the widget from the configured origins."""
    origins: str | list[str] = settings.widget_origins.strip()
    if origins != "*":
        origins = [o.strip() for o in str(origins).split(",") if o.strip()]
    return socketio.AsyncServer(
        async_mode="asgi",
        cors_allowed_origins=origins,
        # Customers' messages are small; a 10 kB paste must still get through
        # to be kept and answered ("too long"), a megabyte must not.
        max_http_buffer_size=100_000,
        logger=False,
        engineio_logger=False,
    )


def customer_language(data: dict[str, Any]) -> str | None:
    """The page's language, as the widget's `customData` carries it."""
    custom = data.get("customData")
    language = custom.get("language") if isinstance(custom, dict) else None
    return language if isinstance(language, str) else None


def register_handlers(
    sio: socketio.AsyncServer,
    relay: Relay,
    settings: HubSettings,
    session_factory: sessionmaker[Session],
) -> None:
    """Wire the customer and agent events to the relay."""
    sessions: dict[str, str] = {}  # socket id -> conversation (sender) id

    @sio.on("session_request", namespace=CUSTOMER_NAMESPACE)  # type: ignore[untyped-decorator]
    async def session_request(sid: str, data: Any) -> None:
        asked = data.get("session_id") if isinstance(data, dict) else None
        session_id = (
            asked if isinstance(asked, str) and SESSION_ID.match(asked) else None
        )
        session_id = session_id or uuid.uuid4().hex
        sessions[sid] = session_id
        await sio.enter_room(sid, session_id, namespace=CUSTOMER_NAMESPACE)
        await sio.emit(
            "session_confirm",
            {"session_id": session_id},
            to=sid,
            namespace=CUSTOMER_NAMESPACE,
        )
        if session_id == asked:  # a returning widget: a customer we may know
            await welcome_back(relay, session_id)

    @sio.on("user_uttered", namespace=CUSTOMER_NAMESPACE)  # type: ignore[untyped-decorator]
    async def user_uttered(sid: str, data: Any) -> None:
        # No await before the relay takes its place in the conversation's
        # lane: two quick messages keep their order.
        session_id = sessions.get(sid)
        if session_id is None or not isinstance(data, dict):
            return  # the widget always asks for a session first
        text = data.get("message")
        if not isinstance(text, str) or not text.strip():
            return
        await relay.from_customer(session_id, text, customer_language(data))

    @sio.on("disconnect", namespace=CUSTOMER_NAMESPACE)  # type: ignore[untyped-decorator]
    async def customer_gone(sid: str, *_: Any) -> None:
        sessions.pop(sid, None)

    @sio.on("connect", namespace=AGENT_NAMESPACE)  # type: ignore[untyped-decorator]
    async def agent_connect(sid: str, environ: Any, auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        staff_id = read_socket_token(settings, token)

        def allowed() -> bool:
            if staff_id is None:
                return False
            with session_scope(session_factory) as session:
                user = active_user(session, staff_id)
            return user is not None and user.role in CONSOLE_ROLES

        if not await anyio.to_thread.run_sync(allowed):
            raise socketio.exceptions.ConnectionRefusedError("login required")
        await sio.enter_room(sid, AGENTS_ROOM, namespace=AGENT_NAMESPACE)

    @sio.on("watch", namespace=AGENT_NAMESPACE)  # type: ignore[untyped-decorator]
    async def watch(sid: str, data: Any) -> None:
        sender_id = data.get("sender_id") if isinstance(data, dict) else None
        if isinstance(sender_id, str) and SESSION_ID.match(sender_id):
            await sio.enter_room(sid, room_of(sender_id), namespace=AGENT_NAMESPACE)

    @sio.on("unwatch", namespace=AGENT_NAMESPACE)  # type: ignore[untyped-decorator]
    async def unwatch(sid: str, data: Any) -> None:
        sender_id = data.get("sender_id") if isinstance(data, dict) else None
        if isinstance(sender_id, str):
            await sio.leave_room(sid, room_of(sender_id), namespace=AGENT_NAMESPACE)
