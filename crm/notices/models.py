"""Customers' "tell me when my parcel moves" requests, kept until the notice goes.

A domain of its own: the bot records the request (issue 4) and the proactive
delay notices (issue 7) send it; neither is an order change nor a parcel scan.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base
from crm.types import UTCDateTime, enum_column


class NoticeChannel(StrEnum):
    """How the customer is told; e-mail only for now (issue 7's outbox)."""

    EMAIL = "email"


class DelayNotice(Base):
    """One customer's request to be told when an order's parcel moves.

    One row per order and channel: asking twice keeps one request.
    `notified_at` is NULL until the notice is sent; a request made again
    after that sets it back to NULL (the audit log keeps when it was sent).
    """

    __tablename__ = "delay_notices"
    __table_args__ = (
        UniqueConstraint("order_id", "channel", name="uq_delay_notices_order_channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[NoticeChannel] = mapped_column(enum_column(NoticeChannel))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class ProactiveNotice(Base):
    """The shop telling a customer their order is late, before they ask.

    One row per order and new expected day: a parcel that slips twice is
    told twice. `emailed_at` is set when the outbox sent the e-mail,
    `shown_in_chat_at` when the widget showed it; the dashboard compares
    notified orders with the where-is-my-order chats that followed.
    """

    __tablename__ = "proactive_notices"
    __table_args__ = (
        UniqueConstraint(
            "order_id", "expected_on", name="uq_proactive_notices_order_day"
        ),
        Index("ix_proactive_notices_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    promised_on: Mapped[date] = mapped_column(Date)
    # NULL: the carrier gave no new day (no scan for too long, or an incident).
    expected_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shown_in_chat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
