"""Order data that leaves `crm`: what the bot and the console show."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from crm.orders.models import OrderStatus, ShippingMethod
from crm.shipping.models import Carrier, TrackingCode


class OrderLineView(BaseModel):
    """One line: product names in both languages so either can be shown."""

    model_config = ConfigDict(frozen=True)

    sku: str
    name_fr: str
    name_en: str
    quantity: int
    unit_price: Decimal
    returnable: bool


class TrackingEventView(BaseModel):
    """One carrier scan."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    occurred_at: datetime
    location: str
    code: TrackingCode
    description: str


class ShipmentView(BaseModel):
    """A parcel with its latest scan first in `events`."""

    model_config = ConfigDict(frozen=True)

    carrier: Carrier
    tracking_number: str
    shipped_at: datetime | None
    estimated_delivery: date | None
    delivered_at: datetime | None
    events: tuple[TrackingEventView, ...]


class OrderView(BaseModel):
    """An order as a verified customer or an agent may see it."""

    model_config = ConfigDict(frozen=True)

    number: str
    customer_id: int
    status: OrderStatus
    placed_at: datetime
    shipping_method: ShippingMethod
    promised_delivery_date: date
    ship_city: str
    ship_postcode: str
    total: Decimal
    currency: str
    lines: tuple[OrderLineView, ...]
    shipments: tuple[ShipmentView, ...]


class OrderSummary(BaseModel):
    """One row of a customer's order list."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    number: str
    status: OrderStatus
    placed_at: datetime
    total: Decimal


class Situation(StrEnum):
    """What a customer needs to hear about an order, one answer per value.

    Coarser than `OrderStatus` where the status changes nothing for the
    customer (shipped or in transit: "on its way"), finer where the dates do
    (in transit after the promised date: "late").
    """

    PROCESSING = "processing"
    ON_THE_WAY = "on_the_way"
    OUT_FOR_DELIVERY = "out_for_delivery"
    LATE = "late"
    DELIVERED = "delivered"
    LOST = "lost"
    CANCELLED = "cancelled"
    RETURN_IN_PROGRESS = "return_in_progress"
    RETURNED = "returned"
    REFUNDED = "refunded"


class TrackingAnswer(BaseModel):
    """Everything the bot says to "where is my order?", for a verified customer.

    Dates are the shop's local (Paris) dates. `expected_date` is the carrier's
    estimate while it is still ahead, the delivery day once delivered, and
    None when nobody knows (not shipped, lost, or the estimate has passed).
    `days_late` counts calendar days after the promised date (0 if not late).
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    status: OrderStatus
    situation: Situation
    carrier: Carrier | None
    carrier_name: str | None
    tracking_number: str | None
    tracking_url: str | None
    last_event: TrackingEventView | None
    placed_at: datetime
    promised_date: date
    expected_date: date | None
    days_late: int
    delivered_at: datetime | None
    expected_ship_date: date | None
    shipping_method: ShippingMethod
    lines: tuple[OrderLineView, ...]
    stockout: bool = False
    """An item was out of stock when ordered (why the parcel leaves later)."""
    relay_point: str | None = None
    """The relay point a relay order goes to (or waits at)."""
    at_relay_point: bool = False
    """The parcel waits at the relay point: to collect, not to wait for."""
    ship_city: str = ""
    total: Decimal = Decimal("0.00")
    currency: str = "EUR"


class NewAddress(BaseModel):
    """A delivery address as the customer gives it (checked by `validate_address`).

    No name: an address change keeps the recipient; a parcel for someone
    else is a new order.
    """

    model_config = ConfigDict(frozen=True)

    line1: str
    line2: str | None = None
    postcode: str
    city: str
    country: str = "FR"


ChangeRefusal = Literal[
    "already_shipped",
    "delivered",
    "lost",
    "cancelled",
    "already_cancelled",
    "relay_point",
    "other_country",
    "low_carbon_unavailable",
]
"""Why an order cannot be changed or cancelled (the bot has one answer each)."""


class ChangeResult(BaseModel):
    """Whether an address change or a cancellation is (or was) allowed, and why not.

    `refund_amount` is what the customer gets back: the amount due after a
    cancellation, and in a preview the amount a cancellation would refund.
    `address` is the address recorded, for the bot to read back.
    """

    model_config = ConfigDict(frozen=True)

    allowed: bool
    reason: ChangeRefusal | None = None
    order_number: str
    status: OrderStatus
    refund_amount: Decimal | None = None
    currency: str = "EUR"
    address: NewAddress | None = None
