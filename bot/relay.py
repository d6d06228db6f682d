"""The chat relay: widget messages to Rasa or to an agent, and answers back.

Who answers is the store's decision (`crm.conversations.messages.routing`);
this module only moves messages. One message per conversation is in flight
at a time and they are handled in the order they came: Rasa's ticket lock
would otherwise make a customer's second quick message wait in 1-second
steps (shared/rasa-performance.md), and answers could cross.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
import socketio
from sqlalchemy.orm import Session, sessionmaker

from bot.chat_csat import ask_csat, asks_csat, csat_score, take_csat
from bot.messages import message
from bot.rasa_client import RasaClient, RasaUnavailable
from crm import clock
from crm.conversations.messages import (
    MAX_BOT_MESSAGE_CHARS,
    record_message,
    record_turn,
    too_long_for_bot,
)
from crm.conversations.models import Author
from crm.conversations.schemas import MessageView
from crm.db import session_scope

logger = logging.getLogger(__name__)
T = TypeVar("T")

CUSTOMER_NAMESPACE = "/"
AGENT_NAMESPACE = "/agent"
AGENTS_ROOM = "agents"
TURN_DONE = "turn_done"


def conversation_room(sender_id: str) -> str:
    """The console room of agents watching one conversation."""
    return f"conv:{sender_id}"


class Lanes:
    """One FIFO lock per conversation, dropped when nobody waits on it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Wait for the conversation's turn; callers get it in call order."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


def to_widget(reply: dict[str, Any]) -> dict[str, Any]:
    """A Rasa REST answer as rasa-webchat expects it (as Rasa's socket.io sends it)."""
    out: dict[str, Any] = {}
    if reply.get("text"):
        out["text"] = reply["text"]
    buttons = reply.get("buttons") or []
    if buttons:
        out["quick_replies"] = [
            {
                "content_type": "text",
                "title": b.get("title"),
                "payload": b.get("payload"),
            }
            for b in buttons
            if isinstance(b, dict)
        ]
    if reply.get("image"):
        out["attachment"] = {"type": "image", "payload": {"src": reply["image"]}}
    if isinstance(reply.get("custom"), dict):
        out.update(reply["custom"])
    return out


class Relay:
    """Moves chat messages between widgets, Rasa and agents, storing each one."""

    def __init__(
        self,
        *,
        sio: socketio.AsyncServer,
        rasa: RasaClient,
        session_factory: sessionmaker[Session],
        support_email: str,
    ) -> None:
        self.sio = sio
        self.rasa = rasa
        self._sessions = session_factory
        self._support_email = support_email
        self.lanes = Lanes()
        # Conversations already told "a person will answer": said once per wait.
        self._told_waiting: set[str] = set()

    async def store(self, work: Callable[[Session], T]) -> T:
        """Run store work in a worker thread: a slow query must not stall every chat."""

        def run() -> T:
            with session_scope(self._sessions) as session:
                return work(session)

        return await anyio.to_thread.run_sync(run)

    async def from_customer(
        self, sender_id: str, text: str, language: str | None
    ) -> None:
        """Store the customer's message, then let the bot or the agent have it.

        Whatever happens, the turn ends with `turn_done`, and a failure the
        customer must know about is said: a widget must never wait forever.
        """
        async with self.lanes.hold(sender_id):
            responder = "error"
            try:
                responder = await self._relay_turn(sender_id, text, language)
            except Exception:  # the store is down, or a bug: say so, log it
                logger.exception("conversation %s: turn failed", sender_id[:8])
                words = message(
                    "chat_failed", language, support_email=self._support_email
                )
                await self.sio.emit(
                    "bot_uttered",
                    {"text": words, "metadata": {"author": "system"}},
                    room=sender_id,
                    namespace=CUSTOMER_NAMESPACE,
                )
            finally:
                # Not part of rasa-webchat's protocol (it ignores it): tells
                # scripted clients (tests, bench/chat_load.py) the turn is over.
                await self.sio.emit(
                    TURN_DONE,
                    {"responder": responder},
                    room=sender_id,
                    namespace=CUSTOMER_NAMESPACE,
                )

    async def _relay_turn(self, sender_id: str, text: str, language: str | None) -> str:
        now = clock.now()
        (stored,), route = await self.store(
            lambda session: record_turn(
                session,
                sender_id=sender_id,
                author=Author.CUSTOMER,
                messages=[(text, None)],
                now=now,
                language=language,
            )
        )
        await self._to_console(stored)
        spoken = route.language or language
        score = csat_score(text)
        if score is not None:  # a rating button, never for Rasa
            await take_csat(self, sender_id, score, spoken)
            return "csat"
        if route.responder == "bot":
            self._told_waiting.discard(sender_id)
            await self._bot_turn(sender_id, text, spoken, route.open_handoff_id)
        elif route.responder == "waiting" and sender_id not in self._told_waiting:
            self._told_waiting.add(sender_id)
            await self.say(sender_id, message("chat_waiting", spoken), Author.SYSTEM)
        return route.responder

    async def _bot_turn(
        self,
        sender_id: str,
        text: str,
        language: str | None,
        handoff_before: int | None,
    ) -> None:
        if too_long_for_bot(text):
            words = message(
                "chat_too_long",
                language,
                length=len(text),
                limit=MAX_BOT_MESSAGE_CHARS,
            )
            await self.say(sender_id, words, Author.SYSTEM)
            return
        try:
            replies = await self.rasa.send(
                sender_id, text, {"language": language} if language else {}
            )
        except RasaUnavailable as exc:
            logger.warning("conversation %s: %s", sender_id[:8], exc)
            words = message(
                "chat_bot_down", language, support_email=self._support_email
            )
            await self.say(sender_id, words, Author.SYSTEM)
            return
        ends = any(asks_csat(reply) for reply in replies)
        outgoing = [to_widget(reply) for reply in replies if not asks_csat(reply)]
        outgoing = [item for item in outgoing if item]
        if not outgoing:  # the action server failed, most often
            await self.say(
                sender_id, message("chat_no_answer", language), Author.SYSTEM
            )
            return
        now = clock.now()

        stored, route = await self.store(
            lambda session: record_turn(
                session,
                sender_id=sender_id,
                author=Author.BOT,
                messages=[
                    (
                        str(item.get("text", "")),
                        {k: v for k, v in item.items() if k != "text"} or None,
                    )
                    for item in outgoing
                ],
                now=now,
            )
        )
        for item, kept in zip(outgoing, stored, strict=True):
            await self.sio.emit(
                "bot_uttered", item, room=sender_id, namespace=CUSTOMER_NAMESPACE
            )
            await self._to_console(kept)
        if route.open_handoff_id != handoff_before:
            # The bot handed over, or filed a ticket: the queue grew.
            await self.queue_changed()
        if ends:
            await ask_csat(self, sender_id, language)

    async def say(
        self,
        sender_id: str,
        text: str,
        author: Author,
        *,
        agent_id: int | None = None,
        shown: str | None = None,
    ) -> MessageView:
        """Store and send a message from the hub, the system or an agent.

        `shown` is what the widget displays when it differs from what is
        stored (an agent's reply, under the agent's name).
        """
        now = clock.now()
        stored = await self.store(
            lambda session: record_message(
                session,
                sender_id=sender_id,
                author=author,
                text=text,
                now=now,
                agent_id=agent_id,
            )
        )
        await self.deliver(stored, shown=shown)
        return stored

    async def deliver(self, stored: MessageView, *, shown: str | None = None) -> None:
        """Send an already stored message to the widget and to watching agents."""
        await self.sio.emit(
            "bot_uttered",
            {"text": shown or stored.text, "metadata": {"author": stored.author}},
            room=stored.sender_id,
            namespace=CUSTOMER_NAMESPACE,
        )
        await self._to_console(stored)

    async def _to_console(self, stored: MessageView) -> None:
        await self.sio.emit(
            "message",
            {
                "id": stored.id,
                "sender_id": stored.sender_id,
                "author": stored.author,
                "text": stored.text,
                "agent_name": stored.agent_name,
                "at": stored.at.isoformat(),
            },
            room=conversation_room(stored.sender_id),
            namespace=AGENT_NAMESPACE,
        )

    async def resume_bot(self, sender_id: str) -> None:
        """Give the conversation back to the bot, with no stale question pending.

        Holds the conversation's lane, so a message the customer sends at
        that moment reaches Rasa only after the reset.
        """
        async with self.lanes.hold(sender_id):
            try:
                await self.rasa.end_open_flow(sender_id)
            except RasaUnavailable as exc:  # the next message will say Rasa is down
                logger.warning("conversation %s: %s", sender_id[:8], exc)

    async def queue_changed(self) -> None:
        """Tell every console to fetch the queue again."""
        await self.sio.emit("queue", {}, room=AGENTS_ROOM, namespace=AGENT_NAMESPACE)

    async def conversation_changed(self, sender_id: str, status: str) -> None:
        """Tell consoles a conversation changed hands (accepted, released, closed)."""
        self._told_waiting.discard(sender_id)
        await self.sio.emit(
            "conversation",
            {"sender_id": sender_id, "status": status},
            room=AGENTS_ROOM,
            namespace=AGENT_NAMESPACE,
        )
        await self.queue_changed()
