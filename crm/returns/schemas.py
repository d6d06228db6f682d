"""Return data that leaves `crm`: eligibility, quotes, RMAs and refund status."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from crm.customers.models import Language
from crm.orders.models import OrderStatus
from crm.returns.models import RefundStatus, Resolution, ReturnReason, ReturnStatus

IneligibleReason = Literal[
    "order_cancelled",
    "not_delivered",
    "non_returnable_category",
    "non_returnable_item",
    "already_returned",
    "window_closed",
]
"""Why a line cannot go back (the bot has one answer each, in both languages).

`non_returnable_category` comes from the policy's category list;
`non_returnable_item` from a product marked not returnable in the catalogue
although its category is. Checked in this order: the first that applies is
the one the customer hears.
"""

NotDeliveredHint = Literal["cancel_order", "refuse_parcel", "report_lost"]
"""What to offer instead of a return before delivery: cancel while the
warehouse holds the order, refuse the parcel once shipped (it comes back
free), or report it to a person when the carrier lost it."""

NextStep = Literal[
    "download_label",
    "pack_items",
    "drop_off_parcel",
    "refund_after_receipt",
    "exchange_after_receipt",
]
"""What the customer does and gets after opening a return, in order."""


class LineEligibility(BaseModel):
    """Whether one order line can go back, how many, until when, or why not.

    `returnable_quantity` is what is left once the quantities in returns
    that are still going (not cancelled or rejected) are taken off; it is 0
    whenever `eligible` is False. `deadline` is the last day (included) and
    is known as soon as the order is delivered, even for a refused line.
    """

    model_config = ConfigDict(frozen=True)

    sku: str
    name_fr: str
    name_en: str
    category: str
    ordered_quantity: int
    returnable_quantity: int
    unit_price: Decimal
    eligible: bool
    reason: IneligibleReason | None = None
    deadline: date | None = None


class OrderEligibility(BaseModel):
    """Every line of one order, for the bot to list as buttons with reasons.

    `hint` is set only when the order is not delivered yet.
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    status: OrderStatus
    placed_at: datetime
    delivered_on: date | None
    deadline: date | None
    hint: NotDeliveredHint | None = None
    lines: tuple[LineEligibility, ...]

    @property
    def any_eligible(self) -> bool:
        """Whether at least one line can still go back."""
        return any(line.eligible for line in self.lines)


class ReturnLineRequest(BaseModel):
    """One item the customer wants to send back, and how many."""

    model_config = ConfigDict(frozen=True)

    sku: str
    quantity: int = Field(ge=1)


class ReturnDraft(BaseModel):
    """What the customer picked so far: enough to quote fee and options."""

    model_config = ConfigDict(frozen=True)

    order_number: str
    lines: tuple[ReturnLineRequest, ...] = Field(min_length=1)
    reason: ReturnReason


class ReturnCreate(ReturnDraft):
    """A confirmed return request: the draft plus refund or exchange."""

    resolution: Resolution = Resolution.REFUND
    comment: str | None = Field(default=None, max_length=1000)


class ReturnedLine(BaseModel):
    """One item in a return, named in both languages."""

    model_config = ConfigDict(frozen=True)

    sku: str
    name_fr: str
    name_en: str
    quantity: int
    unit_price: Decimal


class ReturnQuote(BaseModel):
    """The summary the customer confirms: fee, choices, money back.

    `refund_amount` is what a refund would pay: the items' price minus the
    label fee (never below zero), plus `delivery_refund`, the original
    delivery fee when this return completes the whole order (art. L221-24).
    `resolutions` always holds refund, and exchange only when
    `exchange_available` says so.
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    reason: ReturnReason
    lines: tuple[ReturnedLine, ...]
    items_value: Decimal
    label_fee: Decimal
    free_label: bool
    delivery_refund: Decimal = Decimal("0.00")
    refund_amount: Decimal
    resolutions: tuple[Resolution, ...]
    currency: str


class ReturnCreated(BaseModel):
    """A return just opened: the RMA to quote, the fee, and what happens next.

    `send_by` is the last day to hand the parcel to the carrier;
    `refund_amount` is None for an exchange. `label_path` is where the hub
    serves the label PDF (`/returns/label/<label_token>.pdf`, no login): the
    token is the only credential, so show it to this customer only, in their
    own verified chat, and never log it.
    """

    model_config = ConfigDict(frozen=True)

    rma_number: str
    order_number: str
    status: ReturnStatus
    reason: ReturnReason
    resolution: Resolution
    lines: tuple[ReturnedLine, ...]
    label_fee: Decimal
    free_label: bool
    refund_amount: Decimal | None
    currency: str
    created_at: datetime
    send_by: date
    refund_days_after_receipt: int
    next_steps: tuple[NextStep, ...]
    label_token: str
    label_path: str


class RefundView(BaseModel):
    """Money owed back, with the day it should arrive while it is still pending.

    `expected_by` is the policy's promise: for a return, from the day the
    parcel reached the shop (None while it has not); for a cancellation,
    from the request. `overdue` says that day has passed: a person should
    look at it.
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    rma_number: str | None
    amount: Decimal
    currency: str
    status: RefundStatus
    requested_at: datetime
    issued_at: datetime | None
    expected_by: date | None
    overdue: bool


class ReturnSummary(BaseModel):
    """One return as the customer asks about it ("where is my refund?")."""

    model_config = ConfigDict(frozen=True)

    rma_number: str
    order_number: str
    status: ReturnStatus
    reason: ReturnReason
    resolution: Resolution
    lines: tuple[ReturnedLine, ...]
    label_fee: Decimal
    created_at: datetime
    received_at: datetime | None
    closed_at: datetime | None
    refund: RefundView | None


class ReturnsAndRefunds(BaseModel):
    """A customer's returns and the refunds not tied to one (cancellations).

    The delays are the policy's, for the bot to say what to expect:
    `bank_days` working days more before the money shows on the account.
    """

    model_config = ConfigDict(frozen=True)

    returns: tuple[ReturnSummary, ...]
    other_refunds: tuple[RefundView, ...]
    refund_days_after_receipt: int
    bank_days: int


class PostalAddress(BaseModel):
    """A name and address as a carrier reads it, street lines in order."""

    model_config = ConfigDict(frozen=True)

    name: str
    lines: tuple[str, ...]
    postcode: str
    city: str
    country: str


class LabelItem(BaseModel):
    """One item in the parcel, named in the customer's language."""

    model_config = ConfigDict(frozen=True)

    sku: str
    name: str
    quantity: int


class ReturnLabel(BaseModel):
    """Everything printed on a return label, in the customer's language.

    `sender` is the customer as the order was shipped to them; `recipient`
    is the shop's return address from the policy. `created_on` and
    `send_by` are Paris days; `label_fee` is 0.00 when `free_label`.
    """

    model_config = ConfigDict(frozen=True)

    rma_number: str
    order_number: str
    language: Language
    created_on: date
    send_by: date
    sender: PostalAddress
    recipient: PostalAddress
    items: tuple[LabelItem, ...]
    reason: ReturnReason
    resolution: Resolution
    free_label: bool
    label_fee: Decimal
    currency: str
