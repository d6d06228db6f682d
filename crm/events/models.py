"""Events the shop's order system and the carriers sent in, kept once each.

The row is the idempotency record of `POST /api/v1/events`: an event id seen
before is answered from here and changes nothing again. It also keeps what
each event did, so that issue 7's proactive delay notices can find the
orders an event put past their promised date (`past_promise`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base
from crm.types import UTCDateTime, enum_column


class EventType(StrEnum):
    """What happened, as the shop names it in the event's `type`."""

    ORDER_PLACED = "order_placed"
    ORDER_SHIPPED = "order_shipped"
    TRACKING_EVENT = "tracking_event"
    DELIVERED = "delivered"
    RETURN_RECEIVED = "return_received"
    REFUND_ISSUED = "refund_issued"
    ORDER_CANCELLED = "order_cancelled"


class InboundEvent(Base):
    """One event applied to the store, under the shop's own id for it.

    `event_id` is unique: that is what makes a retried request harmless.
    `payload` is the event as parsed (UTC times, money with cents), compared
    with a later request of the same id, and `payload_sha256` its digest:
    the payload holds customers' names and addresses, so it is forgotten
    after a while (`crm.events.retention`) and the digest compares alone.
    `result` is the answer given, sent again to a retry (no personal data).
    `past_promise` marks the event that made an order late.
    Only applied events are kept: a refused one leaves no row, so the shop
    may send it again once the store can take it.
    """

    __tablename__ = "inbound_events"
    __table_args__ = (
        Index("ix_inbound_events_past_promise_received", "past_promise", "received_at"),
        Index("ix_inbound_events_received", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), unique=True)
    type: Mapped[EventType] = mapped_column(enum_column(EventType))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(40))
    past_promise: Mapped[bool] = mapped_column(Boolean, default=False)
    # none_as_null: an erased payload is SQL NULL, not the JSON value null.
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    payload_sha256: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
