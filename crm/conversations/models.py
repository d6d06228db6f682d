"""Chat conversations, every message in them, and handoffs to people."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base
from crm.types import UTCDateTime, enum_column


class ConversationStatus(StrEnum):
    """Who holds the conversation now."""

    BOT = "bot"
    WAITING = "waiting"  # handed off, no agent yet
    AGENT = "agent"
    CLOSED = "closed"


class Author(StrEnum):
    """Who wrote a message."""

    CUSTOMER = "customer"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


class HandoffStatus(StrEnum):
    """Life of a handoff in the agents' queue."""

    WAITING = "waiting"
    ACCEPTED = "accepted"
    TICKET = "ticket"  # outside business hours: follow-up by e-mail
    RETURNED_TO_BOT = "returned_to_bot"
    CLOSED = "closed"


class Conversation(Base):
    """One chat, keyed by the widget's session id (Rasa's sender id)."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_started", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(20), default="widget")
    status: Mapped[ConversationStatus] = mapped_column(enum_column(ConversationStatus))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[str | None] = mapped_column(String(10))
    # When the end-of-chat rating was asked: asked once, whichever hub asks.
    csat_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id"
    )


class Message(Base):
    """One message, whoever wrote it; buttons and other extras in `payload`."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_conversation_sent", "conversation_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    author: Mapped[Author] = mapped_column(enum_column(Author))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Handoff(Base):
    """A conversation passed to people, with the packet the agent needs."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("ix_handoffs_status_requested", "status", "requested_at"),
        Index("ix_handoffs_requested", "requested_at"),  # first-response times
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id"), index=True
    )
    reason: Mapped[str] = mapped_column(String(40))
    status: Mapped[HandoffStatus] = mapped_column(enum_column(HandoffStatus))
    packet: Mapped[dict[str, Any]] = mapped_column(JSON)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))


class AgentNote(Base):
    """A private note an agent leaves on a conversation, never shown to the customer.

    Kept apart from `messages` so that no query for the widget, the
    transcript sent by e-mail or the bot can pick one up by mistake.
    """

    __tablename__ = "agent_notes"
    __table_args__ = (
        Index("ix_agent_notes_conversation_created", "conversation_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    agent_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConversationTopic(Base):
    """What a conversation was about (where is my order, return, refund...).

    Written by the actions when they serve a topic, first time only: the
    support KPIs count where-is-my-order contacts per 100 orders from it.
    """

    __tablename__ = "conversation_topics"
    __table_args__ = (
        Index("ix_conversation_topics_topic_first", "topic", "first_at"),
        # Which late orders led to a chat (the delay notices' effect).
        Index("ix_conversation_topics_order", "order_id", "topic", "first_at"),
    )

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
