"""Delay-notice data that leaves `crm`: the bot's answer, and the sender's list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from crm.customers.models import Language
from crm.notices.models import NoticeChannel
from crm.orders.models import OrderStatus

NoticeRefusal = Literal["delivered", "cancelled", "lost"]
"""Why nothing was recorded: the parcel has arrived (returns included), will
never leave, or is lost (a person takes over). The bot names each."""


class DelayNoticeRequest(BaseModel):
    """The outcome of "tell me when my parcel moves" for one order.

    `allowed` False: nothing was recorded, `reason` says why. Otherwise the
    request stands; `already_requested` says it stood before this call, so
    that the bot does not promise twice as if it were new. `email_masked`
    ("c***@example.fr") is the address the notice goes to, for display.
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    status: OrderStatus
    allowed: bool
    reason: NoticeRefusal | None = None
    already_requested: bool = False
    channel: NoticeChannel = NoticeChannel.EMAIL
    email_masked: str
    requested_at: datetime | None = None


class PendingDelayNotice(BaseModel):
    """A request not notified yet, with what the sender needs to write it.

    `email` is the real address (the sender writes to it; never log it
    unmasked), `language` the one to write in; `order_status` lets the
    sender skip an order cancelled since the request.
    """

    model_config = ConfigDict(frozen=True)

    notice_id: int
    order_number: str
    order_status: OrderStatus
    customer_id: int
    email: str
    language: Language
    channel: NoticeChannel
    requested_at: datetime


class SentNotice(BaseModel):
    """A proactive delay notice just recorded and queued for e-mail."""

    model_config = ConfigDict(frozen=True)

    order_number: str
    promised_on: date
    expected_on: date | None
    reason: str


class ChatNotice(BaseModel):
    """A delay notice for the widget to show: the order, promise and new day."""

    model_config = ConfigDict(frozen=True)

    order_number: str
    promised_on: date
    expected_on: date | None
