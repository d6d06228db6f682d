"""Customer data that leaves `crm`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from crm.conversations.models import ConversationStatus
from crm.customers.models import Language
from crm.orders.models import OrderStatus
from crm.returns.models import RefundStatus, ReturnStatus
from crm.shipping.models import Carrier, ShipmentDirection, TrackingCode


class CustomerView(BaseModel):
    """A customer as an agent sees them (the bot shows less)."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    email: str
    first_name: str
    last_name: str
    phone: str | None
    language: Language
    postcode: str
    city: str
    country: str
    survey_opt_out: bool
    marketing_opt_out: bool


# -- the agent console's customer 360 (issue 6) ------------------------------------


class CustomerCard(BaseModel):
    """Who the customer is, at the top of the console's customer panel."""

    model_config = ConfigDict(frozen=True)

    id: int
    first_name: str
    last_name: str
    email: str
    phone: str | None
    language: Language


class OverviewLine(BaseModel):
    """One order line, and whether it can go back today (the return rules' verdict).

    `refusal` is the eligibility code when it cannot ("window_closed",
    "not_delivered"...); `returnable_quantity` what a return may still take.
    """

    model_config = ConfigDict(frozen=True)

    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    returnable: bool
    refusal: str | None
    returnable_quantity: int


class OverviewEvent(BaseModel):
    """One carrier scan, in the carrier's words."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    description: str
    location: str
    code: TrackingCode


class OverviewShipment(BaseModel):
    """A parcel, outbound or a return, with its scans newest first.

    `status` is "delivered" once delivered, else the latest scan's code
    (None before any scan); `promised_on` is the day promised to the
    customer, `estimated_delivery` the carrier's latest estimate.
    """

    model_config = ConfigDict(frozen=True)

    direction: ShipmentDirection
    carrier: Carrier
    carrier_name: str
    tracking_number: str
    tracking_url: str
    status: str | None
    promised_on: date | None
    estimated_delivery: date | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    events: tuple[OverviewEvent, ...]


class OverviewOrder(BaseModel):
    """An order with its lines, parcels, and what an agent may still do with it.

    `cancellable` is the cancellation rule's answer (warehouse still holds
    it); `return_deadline` the last day to send items back once delivered.
    """

    model_config = ConfigDict(frozen=True)

    number: str
    status: OrderStatus
    placed_at: datetime
    total: Decimal
    currency: str
    cancellable: bool
    return_deadline: date | None
    lines: tuple[OverviewLine, ...]
    shipments: tuple[OverviewShipment, ...]


class OverviewReturn(BaseModel):
    """A return (RMA) and its refund, if it is a refund."""

    model_config = ConfigDict(frozen=True)

    rma: str
    order_number: str
    status: ReturnStatus
    created_at: datetime
    refund_status: RefundStatus | None
    refund_amount: Decimal | None


class OverviewRefund(BaseModel):
    """Money owed back without a return: a cancelled order."""

    model_config = ConfigDict(frozen=True)

    order_number: str
    amount: Decimal
    status: RefundStatus
    requested_at: datetime
    issued_at: datetime | None


class OverviewSurvey(BaseModel):
    """A survey answer: after an order (`order_number`) or after a chat."""

    model_config = ConfigDict(frozen=True)

    order_number: str | None
    csat: int | None
    nps: int | None
    ces: int | None
    comment: str | None
    answered_at: datetime


class OverviewConversation(BaseModel):
    """An earlier (or the current) chat of the customer."""

    model_config = ConfigDict(frozen=True)

    sender_id: str
    started_at: datetime
    status: ConversationStatus
    resolved_by: str | None


class CustomerOverview(BaseModel):
    """Everything the console shows beside a chat, newest first in each list."""

    model_config = ConfigDict(frozen=True)

    customer: CustomerCard
    orders: tuple[OverviewOrder, ...]
    returns: tuple[OverviewReturn, ...]
    other_refunds: tuple[OverviewRefund, ...]
    surveys: tuple[OverviewSurvey, ...]
    conversations: tuple[OverviewConversation, ...]
