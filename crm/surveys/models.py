"""Satisfaction surveys: invitations sent after delivery, and the answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base
from crm.types import UTCDateTime, enum_column


class InvitationStatus(StrEnum):
    """Life of a survey invitation."""

    SCHEDULED = "scheduled"
    SENT = "sent"
    ANSWERED = "answered"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class SurveyChannel(StrEnum):
    """Where the answer came from (e-mail link, widget form, end-of-chat CSAT)."""

    EMAIL = "email"
    WIDGET = "widget"
    CHAT_END = "chat_end"


class SurveyInvitation(Base):
    """One invitation per delivered order; `token_id` is what the link carries."""

    __tablename__ = "survey_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    token_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[InvitationStatus] = mapped_column(enum_column(InvitationStatus))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SurveyResponse(Base):
    """One set of answers, linked to what it judges (order and/or conversation)."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_submitted", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitations.id"), unique=True
    )
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id"), index=True
    )
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[SurveyChannel] = mapped_column(enum_column(SurveyChannel))
    language: Mapped[str] = mapped_column(String(2))
    csat: Mapped[int | None] = mapped_column(Integer)  # 1-5
    nps: Mapped[int | None] = mapped_column(Integer)  # 0-10
    ces: Mapped[int | None] = mapped_column(Integer)  # 1-7
    comment: Mapped[str | None] = mapped_column(Text)
    topics: Mapped[list[str] | None] = mapped_column(JSON)
    handled_by_agent: Mapped[bool | None] = mapped_column()
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The order's outbound carrier when answered: a snapshot, so "by carrier"
    # needs no join through a million shipments (and a re-shipped parcel does
    # not move an old answer to another carrier).
    carrier: Mapped[str | None] = mapped_column(String(20), index=True)
    # "bot" or "agent": who resolved the conversation judged, or the order's
    # support contact, if any (NULL: no conversation about it).
    resolution: Mapped[str | None] = mapped_column(String(10))
    # The task an ops user created in the agents' queue for a detractor.
    follow_up_handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoffs.id"))


class SurveyResponseTopic(Base):
    """One topic a comment was tagged with (by meaning), one row per topic.

    A row per topic rather than a JSON list: topic counts are a GROUP BY
    with an index, the same on SQLite and PostgreSQL.
    """

    __tablename__ = "survey_response_topics"
    __table_args__ = (Index("ix_survey_response_topics_topic", "topic"),)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)
    score: Mapped[float] = mapped_column()
