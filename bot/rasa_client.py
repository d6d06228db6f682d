"""Rasa's REST channel, as the hub calls it: one POST per customer message.

No rules here: the relay decides when to call and what to tell the customer
when Rasa cannot answer.
"""

from __future__ import annotations

from typing import Any

import httpx

REST_WEBHOOK = "/webhooks/rest/webhook"


class RasaUnavailable(RuntimeError):
    """Rasa did not answer (down, restarting, too slow, or a 5xx)."""


class RasaClient:
    """A pooled HTTP client to one Rasa server (or a balancer before several)."""

    def __init__(self, base_url: str, *, timeout: float) -> None:
        # No keep-alive: Rasa's Sanic workers share the port, and the kernel
        # spreads new connections between them; a pooled connection stays
        # with one worker, and bench/chat_load.py saw the other one idle.
        # A loopback connection costs far less than the turn it carries.
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=0),
        )

    async def send(
        self, sender_id: str, text: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Hand one message to the bot and return its answers, in order.

        Raises:
            RasaUnavailable: no answer, or not a list of messages.
        """
        try:
            response = await self._client.post(
                REST_WEBHOOK,
                json={"sender": sender_id, "message": text, "metadata": metadata},
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa did not answer: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")
        body = response.json()
        if not isinstance(body, list):
            raise RasaUnavailable("Rasa's answer was not a list of messages")
        return [item for item in body if isinstance(item, dict)]

    async def end_open_flow(self, sender_id: str) -> None:
        """Close any form the bot had open in this conversation, keeping its slots.

        After a person has had the conversation, the question the bot asked
        before (an order number, say) is stale: the customer's next message
        must start afresh, while what they proved (their identity) still holds.
        Uses Rasa's HTTP API (`--enable-api`, loopback only).

        Raises:
            RasaUnavailable: Rasa refused or did not answer.
        """
        events = [
            {"event": "active_loop", "name": None},
            {"event": "slot", "name": "requested_slot", "value": None},
            {"event": "action", "name": "action_listen"},
        ]
        try:
            response = await self._client.post(
                f"/conversations/{sender_id}/tracker/events",
                params={"include_events": "NONE"},
                json=events,
            )
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa did not answer: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise RasaUnavailable(f"Rasa answered HTTP {response.status_code}")

    async def close(self) -> None:
        """Close pooled connections (at hub shutdown)."""
        await self._client.aclose()
