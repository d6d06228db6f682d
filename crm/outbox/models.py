"""The outbox: e-mails to send, written in the same transaction as their cause.

A survey invitation or a delay notice is recorded with the change that
calls for it (the delivery, the late scan); a separate pass sends what is
pending. A crash between the two loses nothing and sends nothing twice,
which writing the e-mail from inside the request could not promise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base
from crm.types import UTCDateTime


class OutboxMessage(Base):
    """One e-mail to send: which template, to whom, in which language, with what.

    The hub renders `template` with `params` when it sends, so the words stay
    in `bot/messages.py` and the signed links use the hub's key, which the
    store never holds.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_pending", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "smtp" or the .eml file's name under var/outbox/.
    delivered_to: Mapped[str | None] = mapped_column(String(255))
