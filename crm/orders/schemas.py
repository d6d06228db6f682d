"""Order data that leaves `crm`: what the bot and the console show."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

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
