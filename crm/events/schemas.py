"""Order events as the shop sends them, and what the store answers.

One JSON object per event, told apart by `type` (a discriminated union), so
that a wrong field is named with its path ("lines.0.sku") instead of six
candidate models' errors. Times must carry their offset and are kept in
UTC; money has cents and is never a float. README "Order events API" shows
an example of each.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from crm.customers.models import Language
from crm.errors import InvalidInput
from crm.events.models import EventType
from crm.orders.models import OrderStatus, ShippingMethod
from crm.shipping.models import Carrier, TrackingCode

_CENT = Decimal("0.01")


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT)


UtcTime = Annotated[AwareDatetime, AfterValidator(_utc)]
"""A moment with its offset ("2026-11-02T09:30:00+01:00"), kept in UTC."""

Money = Annotated[
    Decimal, Field(ge=0, max_digits=10, decimal_places=2), AfterValidator(_cents)
]
"""Euros as a JSON string or number with at most two decimals ("12.90")."""

OrderNumber = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
RmaNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)
]
TrackingNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)
]


def _text(most: int) -> Any:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=most)


class _In(BaseModel):
    """Frozen, and unknown fields refused: a misspelt field must not vanish."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _Event(_In):
    """What every event has: the shop's unique id for it, and when it happened."""

    id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    occurred_at: UtcTime


class CustomerIn(_In):
    """Who ordered; matched to an existing customer by e-mail."""

    email: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            to_lower=True,
            max_length=254,
            pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        ),
    ]
    first_name: Annotated[str, _text(80)]
    last_name: Annotated[str, _text(80)]
    language: Language
    postcode: Annotated[str, _text(16)]
    city: Annotated[str, _text(80)] | None = None
    phone: Annotated[str, _text(32)] | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "FR"


class ShipTo(_In):
    """Where the parcel goes (`relay_point` names the relay for relay delivery)."""

    name: Annotated[str, _text(160)]
    line1: Annotated[str, _text(160)]
    line2: Annotated[str, _text(160)] | None = None
    postcode: Annotated[str, _text(16)]
    city: Annotated[str, _text(80)]
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "FR"
    relay_point: Annotated[str, _text(160)] | None = None


class LineIn(_In):
    """One product on the order; `in_stock` feeds the stock-out rate."""

    sku: Annotated[str, _text(32)]
    quantity: int = Field(ge=1, le=10_000)
    unit_price: Money
    in_stock: bool


class Totals(_In):
    """The order's amounts as the shop computed them (discounts included)."""

    subtotal: Money
    shipping_fee: Money
    total: Money
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"


class OrderPlaced(_Event):
    """A new order; `occurred_at` is when it was placed."""

    type: Literal["order_placed"]
    order_number: OrderNumber
    customer: CustomerIn
    ship_to: ShipTo
    lines: list[LineIn] = Field(min_length=1, max_length=200)
    shipping_method: ShippingMethod
    promised_date: date
    totals: Totals


class OrderShipped(_Event):
    """A parcel handed to a carrier; `carrier_cost` is what the carrier charges."""

    type: Literal["order_shipped"]
    order_number: OrderNumber
    carrier: Carrier
    tracking_number: TrackingNumber
    shipped_at: UtcTime
    estimated_delivery: date | None = None
    carrier_cost: Money


class TrackingUpdate(_Event):
    """A carrier scan, for a parcel named by its tracking number or its order.

    With only the order number, the scan is the order's latest outbound
    parcel's. `estimated_delivery` is the carrier's new estimate, if any.
    """

    type: Literal["tracking_event"]
    order_number: OrderNumber | None = None
    tracking_number: TrackingNumber | None = None
    code: TrackingCode
    description: Annotated[str, _text(255)]
    location: Annotated[str, _text(120)]
    at: UtcTime
    estimated_delivery: date | None = None

    @model_validator(mode="after")
    def _names_a_parcel(self) -> TrackingUpdate:
        if self.order_number is None and self.tracking_number is None:
            raise ValueError("give order_number or tracking_number")
        return self


class Delivered(_Event):
    """The order's parcel reached the customer (or their relay point)."""

    type: Literal["delivered"]
    order_number: OrderNumber
    at: UtcTime


class OrderCancelled(_Event):
    """The shop cancelled the order (the customer on the website, a stock-out).

    `reason` is the shop's own words, kept in the audit log. Money goes
    back with a `refund_issued` event, as the shop's payment system says.
    """

    type: Literal["order_cancelled"]
    order_number: OrderNumber
    at: UtcTime
    reason: Annotated[str, _text(200)] | None = None


class ReturnReceived(_Event):
    """A returned parcel reached the warehouse."""

    type: Literal["return_received"]
    rma_number: RmaNumber
    at: UtcTime


class RefundIssued(_Event):
    """Money sent back: for a return (RMA number) or for an order.

    With only the order number, it pays the order's refund still due (the
    one of that amount, else the oldest), or records a refund the shop made
    on its own (a goodwill gesture) when none is due.
    """

    type: Literal["refund_issued"]
    rma_number: RmaNumber | None = None
    order_number: OrderNumber | None = None
    amount: Annotated[Money, Field(gt=0)]
    at: UtcTime

    @model_validator(mode="after")
    def _names_what_is_refunded(self) -> RefundIssued:
        if self.rma_number is None and self.order_number is None:
            raise ValueError("give rma_number or order_number")
        return self


ShopEvent = Annotated[
    OrderPlaced
    | OrderShipped
    | TrackingUpdate
    | Delivered
    | ReturnReceived
    | RefundIssued
    | OrderCancelled,
    Field(discriminator="type"),
]

_EVENT: TypeAdapter[ShopEvent] = TypeAdapter(ShopEvent)
_TAGS = frozenset(kind.value for kind in EventType)
_TAG_ERRORS = {"union_tag_not_found", "union_tag_invalid"}
_MAX_ERRORS = 10


def parse_event(body: bytes | str) -> ShopEvent:
    """Read one event from JSON, or say which fields are wrong and why.

    Raises:
        InvalidInput: not JSON, or not a valid event; the message lists each
            wrong field by its path ("lines.0.sku: field required").
    """
    try:
        return _EVENT.validate_json(body)
    except ValidationError as exc:
        raise InvalidInput(describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """Each error as "path: message", the union's tag left out of the path."""
    parts: list[str] = []
    for error in exc.errors(include_url=False)[:_MAX_ERRORS]:
        loc = list(error["loc"])
        if loc and loc[0] in _TAGS:
            loc = loc[1:]  # pydantic puts the `type` tag first
        if error["type"] in _TAG_ERRORS:
            loc = ["type"]
        path = ".".join(str(part) for part in loc) or "body"
        text = str(error["msg"]).removeprefix("Value error, ")
        text = text[:1].lower() + text[1:]
        if error["type"] == "json_invalid":
            text = f"not JSON ({error['ctx']['error']})"
        parts.append(f"{path}: {text}")
    return "; ".join(parts)


EventOutcome = Literal[
    "order_created",
    "order_shipped",
    "parcel_added",
    "scan_recorded",
    "order_delivered",
    "already_delivered",
    "return_received",
    "already_received",
    "refund_issued",
    "refund_recorded",
    "already_issued",
    "order_cancelled",
    "already_cancelled",
]
"""What an event did. `already_*`: the store held that fact already (the
carrier's scan and the shop's event both said "delivered"): nothing changed.
`parcel_added`: another parcel of an order already on its way;
`refund_recorded`: a refund nothing was due for, kept as issued."""


class EventResult(BaseModel):
    """The store's answer to one event, the same for every retry of it.

    `duplicate` is True when the id had been applied before: this is the
    earlier answer and nothing changed now. `status` is the order's status
    after the event. `past_promise` is True when this event put an order
    still on its way past its promised date (see `late_orders_since`);
    `expected_date` is then the carrier's later estimate, when there is one.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    type: EventType
    duplicate: bool = False
    outcome: EventOutcome
    order_number: str | None = None
    rma_number: str | None = None
    status: OrderStatus | None = None
    past_promise: bool = False
    promised_date: date | None = None
    expected_date: date | None = None
    received_at: datetime


class LateOrder(BaseModel):
    """An order an event put past its promised date: a delay notice to send.

    `order_status` is the order's status now, so that the sender can skip an
    order delivered since; `event_id` is the event that made it late, at
    `detected_at`.
    """

    model_config = ConfigDict(frozen=True)

    order_number: str
    order_status: OrderStatus
    customer_id: int
    promised_date: date
    expected_date: date | None
    detected_at: datetime
    event_id: str
