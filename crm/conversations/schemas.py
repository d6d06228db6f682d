"""Conversation data that leaves `crm`: the handoff packet and the queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from crm.conversations.models import ConversationStatus, HandoffStatus
from crm.orders.schemas import TrackingAnswer
from crm.staff.models import Role

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


class MessageView(BaseModel):
    """One stored chat message, as the widget relay and the console show it."""

    model_config = ConfigDict(frozen=True)

    id: int
    sender_id: str
    author: str  # "customer", "bot", "agent" or "system"
    text: str
    agent_id: int | None = None
    agent_name: str | None = None
    payload: dict[str, Any] | None = None
    at: datetime


class Routing(BaseModel):
    """Who answers the customer's next message, and who else must see it.

    `responder` is "bot" (Rasa answers), "waiting" (a person will; the bot
    keeps quiet) or "agent" (that agent answers).
    """

    model_config = ConfigDict(frozen=True)

    sender_id: str
    responder: str
    agent_id: int | None = None
    language: str | None = None
    open_handoff_id: int | None = None  # a ticket's too: the queue shows them


# -- the agent console (issue 6) ---------------------------------------------------


class QueueItem(BaseModel):
    """One line of the console's queue: a conversation waiting, or one an agent holds.

    `waiting_seconds` counts from the handoff request, also once accepted:
    the customer has been waiting for a person since then.
    """

    model_config = ConfigDict(frozen=True)

    handoff_id: int
    sender_id: str
    reason: str
    language: str
    customer_id: int | None
    customer_name: str | None
    ticket: bool
    waiting_seconds: int
    status: HandoffStatus
    agent_id: int | None
    agent_name: str | None


class AgentQueue(BaseModel):
    """What one agent's queue shows: the line for everyone, and their own chats."""

    model_config = ConfigDict(frozen=True)

    waiting: tuple[QueueItem, ...]
    mine: tuple[QueueItem, ...]


class HandoffInfo(BaseModel):
    """The conversation's latest handoff, with the packet the bot prepared."""

    model_config = ConfigDict(frozen=True)

    id: int
    reason: str
    status: HandoffStatus
    packet: dict[str, Any]
    agent_id: int | None
    agent_name: str | None
    requested_at: datetime
    accepted_at: datetime | None


class NoteView(BaseModel):
    """A private note on a conversation: for agents only, never for the widget."""

    model_config = ConfigDict(frozen=True)

    id: int
    agent_id: int
    agent_name: str
    text: str
    at: datetime


class ConversationDetail(BaseModel):
    """A conversation as the console opens it: transcript, notes, handoff packet.

    `messages` are the latest ones, oldest first (`MESSAGE_LIMIT` in
    `crm.conversations.console`); `notes` never reach the customer.
    """

    model_config = ConfigDict(frozen=True)

    sender_id: str
    status: ConversationStatus
    language: str
    customer_id: int | None
    customer_name: str | None
    handoff: HandoffInfo | None
    messages: tuple[MessageView, ...]
    notes: tuple[NoteView, ...]


class AgentView(BaseModel):
    """A colleague a conversation can be assigned to."""

    model_config = ConfigDict(frozen=True)

    id: int
    first_name: str
    role: Role


class CannedReply(BaseModel):
    """A ready-made answer in one language, for the agent to edit and send."""

    model_config = ConfigDict(frozen=True)

    key: str
    title: str
    text: str


class TrackingResend(BaseModel):
    """What the hub needs to post an order's tracking into a chat.

    Data, not words: the hub phrases `tracking` in `language` (the chat's,
    else the customer's) as the bot would, and posts it to `sender_id`
    (None when the agent is on the phone and there is no chat to post to).
    """

    model_config = ConfigDict(frozen=True)

    sender_id: str | None
    language: str
    tracking: TrackingAnswer
