"""Conversation data that leaves `crm`: the handoff packet and the queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crm.conversations.models import HandoffStatus

TRANSCRIPT_LIMIT = 60  # the last turns: enough to read, not a whole history


class TranscriptLine(BaseModel):
    """One message of the conversation, as the agent will read it."""

    model_config = ConfigDict(frozen=True)

    author: str  # "customer", "bot" or "agent"
    text: str
    at: datetime | None = None


class HandoffPacket(BaseModel):
    """What an agent needs to take over without asking again.

    `slots` are the answers already collected (order number, the return
    being prepared...); `orders` the order numbers discussed; `summary` a
    line saying why the bot handed over and what it had done.
    """

    model_config = ConfigDict(frozen=True)

    reason: str = Field(max_length=40)
    language: str = Field(max_length=2)
    customer_id: int | None = None
    orders: tuple[str, ...] = ()
    slots: dict[str, Any] = Field(default_factory=dict)
    summary: str = Field(default="", max_length=1000)
    transcript: tuple[TranscriptLine, ...] = Field(
        default=(), max_length=TRANSCRIPT_LIMIT
    )


class HandoffView(BaseModel):
    """A handoff as the customer is told about it.

    `ticket` means the team is away: a follow-up by e-mail, the team is back
    at `reopens_at`. Otherwise `expected_wait_minutes` is announced.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    sender_id: str
    reason: str
    status: HandoffStatus
    requested_at: datetime
    ticket: bool
    expected_wait_minutes: int | None
    reopens_at: datetime | None
    already_open: bool


class QueueEntry(BaseModel):
    """One conversation waiting for a person, for the agents' queue."""

    model_config = ConfigDict(frozen=True)

    handoff_id: int
    sender_id: str
    reason: str
    language: str
    customer_id: int | None
    ticket: bool
    waiting_seconds: int
