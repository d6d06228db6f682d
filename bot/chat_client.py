"""A scripted widget customer over socket.io, as rasa-webchat talks to the hub.

Used by the protocol tests and `bench/chat_load.py`; it speaks exactly the
events the widget does, plus the hub's `turn_done` marker so a script knows
when all answers to a message have arrived.
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

from bot.relay import TURN_DONE

SOCKET_PATH = "/socket.io/"


class ChatClosed(RuntimeError):
    """The hub did not confirm a session or answer in time."""


class WidgetCustomer:
    """One customer's widget: a socket, a session id, and what the hub sent."""

    def __init__(self, hub_url: str, *, language: str = "fr") -> None:
        self.hub_url = hub_url
        self.language = language
        self.session_id: str | None = None
        self.client = socketio.AsyncClient(reconnection=False)
        self.inbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self._confirmed: asyncio.Future[str] | None = None
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self._on_bot)
        self.client.on(TURN_DONE, self._on_done)

    async def _on_confirm(self, data: dict[str, Any]) -> None:
        if self._confirmed and not self._confirmed.done():
            self._confirmed.set_result(str(data["session_id"]))

    async def _on_bot(self, data: dict[str, Any]) -> None:
        await self.inbox.put(("bot", data))

    async def _on_done(self, data: dict[str, Any]) -> None:
        await self.inbox.put(("done", data))

    async def open(self, session_id: str | None = None, timeout: float = 10) -> str:
        """Connect and ask for a session (an earlier one, as after a reload)."""
        self._confirmed = asyncio.get_running_loop().create_future()
        await self.client.connect(
            self.hub_url, socketio_path=SOCKET_PATH, transports=["websocket"]
        )
        await self.client.emit("session_request", {"session_id": session_id})
        try:
            self.session_id = await asyncio.wait_for(self._confirmed, timeout)
        except TimeoutError as exc:
            raise ChatClosed("the hub did not confirm a session") from exc
        return self.session_id

    async def send(self, text: str) -> None:
        """Type one message, as the widget emits it."""
        await self.client.emit(
            "user_uttered",
            {
                "message": text,
                "customData": {"language": self.language},
                "session_id": self.session_id,
            },
        )

    async def turn(self, text: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Send `text` and return every `bot_uttered` until the turn is done."""
        await self.send(text)
        return await self.answers(timeout)

    async def answers(self, timeout: float = 60) -> list[dict[str, Any]]:
        """The messages that arrive until the hub marks the end of a turn."""
        received: list[dict[str, Any]] = []
        while True:
            try:
                kind, data = await asyncio.wait_for(self.inbox.get(), timeout)
            except TimeoutError as exc:
                raise ChatClosed(f"no end of turn after {received}") from exc
            if kind == "done":
                return received
            received.append(data)

    async def next_message(self, timeout: float = 10) -> dict[str, Any]:
        """The next `bot_uttered` (an agent's reply arrives without a turn)."""
        while True:
            try:
                kind, data = await asyncio.wait_for(self.inbox.get(), timeout)
            except TimeoutError as exc:
                raise ChatClosed("nothing arrived") from exc
            if kind == "bot":
                return data

    async def close(self) -> None:
        """Leave the page."""
        await self.client.disconnect()
