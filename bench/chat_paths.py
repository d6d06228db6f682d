"""The two ways a scripted customer reaches the bot in `bench/chat_load.py`.

Through the hub, as the rasa-webchat widget does (socket.io, `WidgetCustomer`),
and straight to Rasa's REST channel, as the hub itself does. Both speak the
same scripts with the same metadata, so the difference between their
latencies is what the hub costs: relaying, storing every message, routing.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from bot.chat_client import WidgetCustomer
from bot.rasa_client import REST_WEBHOOK
from crm.demo.schemas import DemoAccount
from crm.orders.models import OrderStatus

ASK = {"fr": "où est ma commande ?", "en": "where is my order?"}
TURN_TIMEOUT = 60.0
# A lost parcel goes to a person (issue 6): after that the bot is silent and
# the hub answers alone, which would measure the hub without Rasa.
HANDED_OVER = frozenset({OrderStatus.LOST})
ERROR_SAMPLES = 5


class TurnFailed(RuntimeError):
    """A turn got no answer from the bot, or not the one the script expects."""


@dataclass(frozen=True)
class Script:
    """One customer's tracking conversation: ask, give the number, prove it."""

    account: DemoAccount
    language: str

    @property
    def messages(self) -> list[str]:
        """What the customer types, turn by turn."""
        return [ASK[self.language], self.account.order_number, self.account.email]

    def check_last(self, answers: list[str]) -> None:
        """The tracking answer names the order, or the bot did not answer it.

        Raises:
            TurnFailed: the last answer does not mention the order number.
        """
        if self.account.order_number not in " ".join(answers):
            raise TurnFailed(f"no tracking answer: {answers[:2]!r}")


def scripts_for(accounts: list[DemoAccount], customers: int) -> list[Script]:
    """One script per customer, each on its own order, French and English in turn.

    Raises:
        ValueError: fewer usable demo orders than customers.
    """
    usable = [a for a in accounts if a.status not in HANDED_OVER]
    if len(usable) < customers:
        raise ValueError(f"{customers} customers but {len(usable)} usable orders")
    # Round-robin over statuses: every situation the bot tells is in the mix.
    by_status: dict[OrderStatus, list[DemoAccount]] = {}
    for account in usable:
        by_status.setdefault(account.status, []).append(account)
    mixed: list[DemoAccount] = []
    while len(mixed) < customers:
        for group in by_status.values():
            if group and len(mixed) < customers:
                mixed.append(group.pop(0))
    return [Script(a, ("fr", "en")[i % 2]) for i, a in enumerate(mixed)]


class Chat(Protocol):
    """One open conversation on one path."""

    async def say(self, text: str) -> list[str]:
        """Send one message; return the bot's answers once all have arrived."""
        ...

    async def close(self) -> None:
        """End the conversation (leave the page)."""
        ...


class ChatPath(Protocol):
    """A way to the bot: `open` starts a new conversation in a language."""

    name: str

    async def open(self, language: str) -> Chat:
        """Start a new conversation."""
        ...

    async def aclose(self) -> None:
        """Release what the path holds (pooled connections)."""
        ...


def _texts(items: list[dict[str, Any]]) -> list[str]:
    return [str(item["text"]) for item in items if item.get("text")]


class HubChat:
    """A widget conversation: a socket.io session on the hub."""

    def __init__(self, customer: WidgetCustomer) -> None:
        self.customer = customer

    async def say(self, text: str) -> list[str]:
        """One turn through the hub; the hub's own words count as failures.

        The hub speaks for itself ("the bot is down", "no answer", "a person
        will answer") only when Rasa did not answer the turn.

        Raises:
            TurnFailed: no bot answer.
        """
        answers = await self.customer.turn(text, timeout=TURN_TIMEOUT)
        return bot_texts(answers)

    async def close(self) -> None:
        """Disconnect the socket."""
        await self.customer.close()


def bot_texts(answers: list[dict[str, Any]]) -> list[str]:
    """The texts of a hub turn's answers, if the bot (not the hub) gave them.

    Raises:
        TurnFailed: no text, or a message the hub said itself.
    """
    system = [a for a in answers if (a.get("metadata") or {}).get("author")]
    if system or not _texts(answers):
        raise TurnFailed(f"hub answered itself: {answers[:2]!r}")
    return _texts(answers)


class HubPath:
    """Customers on rasa-webchat's socket.io protocol, through the hub."""

    name = "hub"

    def __init__(self, hub_url: str) -> None:
        self.hub_url = hub_url

    async def open(self, language: str) -> HubChat:
        """Connect a new widget and get a new session (a first page load)."""
        customer = WidgetCustomer(self.hub_url, language=language)
        try:
            await customer.open()
        except BaseException:
            await customer.close()
            raise
        return HubChat(customer)

    async def aclose(self) -> None:
        """Nothing pooled: each widget closes its own socket."""


class DirectChat:
    """A conversation on Rasa's REST channel, under a fresh sender id."""

    def __init__(self, client: httpx.AsyncClient, language: str) -> None:
        self.client = client
        self.language = language
        self.sender = uuid.uuid4().hex

    async def say(self, text: str) -> list[str]:
        """One POST, with the metadata the hub sends (the page's language).

        Raises:
            TurnFailed: not a 200, or no text in the answer.
        """
        body = {
            "sender": self.sender,
            "message": text,
            "metadata": {"language": self.language},
        }
        response = await self.client.post(REST_WEBHOOK, json=body)
        if response.status_code != 200:
            raise TurnFailed(f"Rasa answered HTTP {response.status_code}")
        texts = _texts([i for i in response.json() if isinstance(i, dict)])
        if not texts:
            raise TurnFailed("Rasa answered nothing")
        return texts

    async def close(self) -> None:
        """Nothing to close: the client's connections are pooled."""


class DirectPath:
    """Customers posting to Rasa's REST channel, as the hub's RasaClient does."""

    name = "direct"

    def __init__(self, rasa_url: str) -> None:
        # Pooled keep-alive connections, the same limits as the hub's client.
        self.client = httpx.AsyncClient(
            base_url=rasa_url,
            timeout=TURN_TIMEOUT,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
        )

    async def open(self, language: str) -> DirectChat:
        """A new sender id: a new conversation for Rasa."""
        return DirectChat(self.client, language)

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.client.aclose()


@dataclass
class Tally:
    """Turn latencies and failures of one path in one scenario."""

    latencies: list[float] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds per process

    def failed(self, exc: BaseException) -> None:
        """Count a failure; keep the first few messages to print."""
        self.errors += 1
        if len(self.error_samples) < ERROR_SAMPLES:
            self.error_samples.append(f"{type(exc).__name__}: {exc}"[:200])

    def merge(self, other: Tally) -> None:
        """Add another round of the same path and scenario."""
        self.latencies += other.latencies
        self.opens += other.opens
        self.errors += other.errors
        room = ERROR_SAMPLES - len(self.error_samples)
        self.error_samples += other.error_samples[: max(room, 0)]
        self.wall += other.wall
        for part, seconds in other.cpu.items():
            self.cpu[part] = self.cpu.get(part, 0.0) + seconds

    def summary(self) -> dict[str, Any]:
        """Turns, turns/s and p50/p95/p99 in milliseconds, for the table and JSON."""
        out: dict[str, Any] = {
            "turns": len(self.latencies),
            "errors": self.errors,
            "seconds": round(self.wall, 1),
            "turns_per_s": round(len(self.latencies) / self.wall, 1)
            if self.wall
            else None,
        }
        out.update(percentiles(self.latencies))
        if self.opens:
            out["open_p50_ms"] = percentiles(self.opens)["p50_ms"]
        if self.cpu and self.latencies:
            turns = len(self.latencies)
            split = dict(self.cpu)
            if "machine" in split:  # the rest: work beside the benchmark
                split["not ours"] = 2 * split["machine"] - sum(split.values())
            out["cpu_ms_per_turn"] = {
                part: round(seconds * 1000 / turns, 1)
                for part, seconds in split.items()
            }
            out["cpu_cores_busy"] = round(self.cpu.get("machine", 0.0) / self.wall, 2)
        if self.error_samples:
            out["error_samples"] = self.error_samples
        return out


def percentiles(latencies: list[float]) -> dict[str, float | None]:
    """p50, p95, p99 and max in ms (None below two samples)."""
    if len(latencies) < 2:
        only = round(latencies[0] * 1000, 1) if latencies else None
        return {"p50_ms": only, "p95_ms": only, "p99_ms": only, "max_ms": only}
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }


async def timed(chat: Chat, text: str) -> tuple[list[str], float]:
    """One turn and how long the customer waited for all its answers."""
    started = time.perf_counter()
    answers = await chat.say(text)
    return answers, time.perf_counter() - started


async def quiet_close(chat: Chat) -> None:
    """Close, ignoring a socket that is already gone (its failure was counted)."""
    with suppress(Exception):
        await asyncio.wait_for(chat.close(), 10)
