"""The shop's return policy, read from `config/returns_policy.yml`, and its rules.

The window, the categories that cannot come back, the label fee and the
refund delays are the shop's to change without touching code: the
eligibility service, the return service and the bot's answers all read
them from here, so that what the bot says and what it enforces agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from crm.clock import SHOP_TZ
from crm.config_files import load_yaml_model
from crm.returns.models import Resolution, ReturnReason
from crm.settings import PROJECT_ROOT

DEFAULT_PATH = PROJECT_ROOT / "config" / "returns_policy.yml"

LEGAL_WITHDRAWAL_DAYS = 14
"""French law gives 14 days to withdraw (Code de la consommation, L221-18) and
14 days to refund (L221-24): a shorter window or a longer refund is illegal."""


class ReturnsPolicyError(ValueError):
    """The return policy file is missing or wrong; names file and field.

    A `ValueError`, not a `ShopdeskError`: the shop's operator must fix the
    file, there is nothing to tell the customer but "something went wrong".
    """


class RefundDelays(BaseModel):
    """How long refunds take, in the words customers are told."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    days_after_receipt: int
    days_after_cancellation: int
    bank_days: int

    @field_validator("days_after_receipt", "days_after_cancellation", "bank_days")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be zero or more days")
        return value

    @field_validator("days_after_receipt", "days_after_cancellation")
    @classmethod
    def _legal(cls, value: int) -> int:
        if value > LEGAL_WITHDRAWAL_DAYS:
            raise ValueError(
                f"French law wants refunds within {LEGAL_WITHDRAWAL_DAYS} days"
            )
        return value


class ExchangePolicy(BaseModel):
    """Whether exchanges are offered, and for which reasons."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    offered: bool
    reasons: frozenset[ReturnReason]


class ReturnAddress(BaseModel):
    """Where parcels come back to: the recipient block of every return label.

    `lines` are the street lines between the name and the postcode, printed
    as given (building, street, "ZA ..."); `country` is ISO 3166-1 alpha-2.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    lines: tuple[str, ...]
    postcode: str
    city: str
    country: str = "FR"

    @field_validator("name", "postcode", "city")
    @classmethod
    def _filled(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("lines")
    @classmethod
    def _street(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        lines = tuple(line.strip() for line in value if line.strip())
        if not 1 <= len(lines) <= 3:
            raise ValueError("give one to three street lines")
        return lines

    @field_validator("country")
    @classmethod
    def _iso(cls, value: str) -> str:
        value = value.strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise ValueError("must be a two-letter country code (FR)")
        return value


class ReturnsPolicy(BaseModel):
    """Everything the shop says about returns, as configured."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window_days: int = 30
    non_returnable_categories: frozenset[str]
    label_fee: Decimal
    free_label_reasons: frozenset[ReturnReason]
    send_within_days: int = LEGAL_WITHDRAWAL_DAYS
    refund: RefundDelays
    exchange: ExchangePolicy
    return_address: ReturnAddress

    @field_validator("label_fee", mode="before")
    @classmethod
    def _exact(cls, value: Any) -> Any:
        # A number in the YAML file is a float; go through its text so that
        # 5.9 becomes Decimal("5.90"), not 5.9000000000000003552713678800500929.
        if isinstance(value, float | int) and not isinstance(value, bool):
            return Decimal(str(value))
        return value

    @field_validator("label_fee")
    @classmethod
    def _cents(cls, value: Decimal) -> Decimal:
        if value < 0 or value != value.quantize(Decimal("0.01")):
            raise ValueError("must be a non-negative amount in euros and cents")
        return value.quantize(Decimal("0.01"))

    @field_validator("window_days")
    @classmethod
    def _legal_window(cls, value: int) -> int:
        if value < LEGAL_WITHDRAWAL_DAYS:
            raise ValueError(
                f"must be at least {LEGAL_WITHDRAWAL_DAYS} days (the legal minimum)"
            )
        return value

    @field_validator("send_within_days")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least one day")
        return value

    @field_validator("non_returnable_categories", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        if isinstance(value, Iterable) and not isinstance(value, str):
            return frozenset(str(item).strip().lower() for item in value)
        return value


def load_returns_policy(path: Path | None = None) -> ReturnsPolicy:
    """Read and check the return policy (cached per file).

    Read once per process: the bot consults it for every line of every
    return question, and the shop changes it rarely (restart to apply).

    Raises:
        ReturnsPolicyError: the file is missing, not YAML, or a field is
            wrong; the message names the file and the field.
    """
    return _load(path or DEFAULT_PATH)


@lru_cache(maxsize=8)
def _load(path: Path) -> ReturnsPolicy:
    return load_yaml_model(path, ReturnsPolicy, ReturnsPolicyError)


def delivery_day(delivered_at: datetime) -> date:
    """The day a parcel arrived, as the customer saw it (Paris date).

    The carrier records UTC: a parcel left at 23:30 UTC in summer arrived at
    01:30 the next day for the customer, and the window starts that day.
    """
    return delivered_at.astimezone(SHOP_TZ).date()


def return_deadline(policy: ReturnsPolicy, delivered_at: datetime) -> date:
    """The last day a return can be opened: delivery day + window, included.

    Delivered on 1 March with a 30-day window: 31 March is still open,
    1 April is not. Calendar days, so leap days count like any other.
    """
    return delivery_day(delivered_at) + timedelta(days=policy.window_days)


def send_by_day(policy: ReturnsPolicy, opened_at: datetime) -> date:
    """The last day to hand the parcel to the carrier, counted from opening.

    Paris day of opening + `send_within_days` (art. L221-23 gives 14 days),
    the same on the chat summary and on the printed label.
    """
    return opened_at.astimezone(SHOP_TZ).date() + timedelta(
        days=policy.send_within_days
    )


def is_category_returnable(policy: ReturnsPolicy, category: str) -> bool:
    """Whether products of this category may come back at all."""
    return category.strip().lower() not in policy.non_returnable_categories


def label_fee(policy: ReturnsPolicy, reason: ReturnReason) -> Decimal:
    """What the return label costs the customer: free when the shop is at fault.

    Damaged, faulty and wrong items (by default) are the shop's or the
    carrier's fault, so the customer must not pay to send them back; a
    change of mind pays the configured fee, taken off the refund.
    """
    if reason in policy.free_label_reasons:
        return Decimal("0.00")
    return policy.label_fee


def exchange_available(
    policy: ReturnsPolicy,
    *,
    reason: ReturnReason,
    items: Iterable[tuple[int, int]],
) -> bool:
    """Whether the customer may have the same items again instead of a refund.

    The catalogue has no variants (sizes, colours): an exchange sends another
    unit of the very SKU ordered. It is offered when the shop offers
    exchanges, the reason is one where the same item again is a remedy
    (damaged, faulty, wrong item by default; not a change of mind), and the
    shelf holds enough of every item today (`items` pairs the product's
    stock with the quantity asked). Stock is checked, not reserved: a
    person switches to a refund if it runs out before the parcel arrives.
    """
    if not policy.exchange.offered or reason not in policy.exchange.reasons:
        return False
    return all(stock >= quantity for stock, quantity in items)


def resolutions(
    policy: ReturnsPolicy,
    *,
    reason: ReturnReason,
    items: Iterable[tuple[int, int]],
) -> tuple[Resolution, ...]:
    """What the customer may choose: a refund always, an exchange if available."""
    if exchange_available(policy, reason=reason, items=items):
        return (Resolution.REFUND, Resolution.EXCHANGE)
    return (Resolution.REFUND,)
