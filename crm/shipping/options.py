"""The shop's delivery options, read from `config/delivery_options.yml`.

Methods, prices, delivery times, the free-delivery threshold, countries and
the relay network are the shop's to change without touching code or the
bot's responses: the bot reads them from here, and so do the rules that
promise a delivery date or say when an order leaves the warehouse.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    field_validator,
    model_validator,
)

from crm.clock import SHOP_TZ
from crm.config_files import load_yaml_model
from crm.errors import InvalidInput
from crm.orders.models import ShippingMethod
from crm.settings import PROJECT_ROOT
from crm.shipping.calendar import WorkingDays
from crm.shipping.models import Carrier

DEFAULT_PATH = PROJECT_ROOT / "config" / "delivery_options.yml"

_CALENDAR = WorkingDays()  # Monday-Friday minus French holidays, cached per day


class DeliveryConfigError(ValueError):
    """The delivery configuration file is missing or wrong; names file and field.

    A `ValueError`, not a `ShopdeskError`: the shop's operator must fix the
    file, there is nothing to tell the customer but "something went wrong".
    """


def _money(value: Any) -> Any:
    """Read prices written as numbers exactly too (4.9 -> Decimal("4.90"))."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


class Country(BaseModel):
    """A country the shop delivers to, named in both languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name_fr: str
    name_en: str

    @field_validator("code")
    @classmethod
    def _iso_code(cls, value: str) -> str:
        if len(value) != 2 or not value.isalpha():
            raise ValueError("must be a two-letter ISO country code such as FR")
        return value.upper()


class RelayNetwork(BaseModel):
    """The relay-point network parcels can be collected from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    carrier: Carrier
    finder_url: str
    hold_days: int


class DeliveryMethod(BaseModel):
    """One way to deliver: price in France and abroad, time, where it is offered.

    `days` is the promise in working days from the day the order is prepared;
    abroad and stock-outs add the options' extra days. `cities` limits a
    method to some cities (the bike couriers of the low-carbon option).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: ShippingMethod
    name_fr: str
    name_en: str
    description_fr: str
    description_en: str
    price_france: Decimal
    price_abroad: Decimal | None
    days: int
    free_from: Decimal | None
    countries: tuple[str, ...]
    cities: tuple[str, ...] | None = None

    _prices = field_validator(
        "price_france", "price_abroad", "free_from", mode="before"
    )(_money)

    @field_validator("price_france", "price_abroad", "free_from")
    @classmethod
    def _cents(cls, value: Decimal | None) -> Decimal | None:
        if value is None:
            return None
        if value < 0 or value != value.quantize(Decimal("0.01")):
            raise ValueError("must be a non-negative amount in euros and cents")
        return value.quantize(Decimal("0.01"))

    @field_validator("days")
    @classmethod
    def _positive_days(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least one working day")
        return value

    @field_validator("countries")
    @classmethod
    def _upper(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(code.upper() for code in value)

    def price_for(self, country: str) -> Decimal | None:
        """The fee before any free-delivery threshold; None where not offered."""
        if country.upper() not in self.countries:
            return None
        return self.price_france if country.upper() == "FR" else self.price_abroad


class DeliveryOptions(BaseModel):
    """Everything the shop says about delivery, as configured."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    methods: tuple[DeliveryMethod, ...]
    free_shipping_threshold: Decimal
    countries: tuple[Country, ...]
    cutoff: time
    relay_network: RelayNetwork
    preparation_days: int = 0
    abroad_extra_days: int = 0
    stockout_extra_days: int = 0

    _threshold = field_validator("free_shipping_threshold", mode="before")(_money)

    @field_validator("cutoff", mode="before")
    @classmethod
    def _quoted_time(cls, value: Any) -> Any:
        # Unquoted, YAML 1.1 reads 14:00 as the number 840 (base 60), which
        # pydantic would take for 00:14:00.
        if not isinstance(value, str | time):
            raise ValueError('write the time in quotes, like "14:00"')
        return value

    @field_validator("methods")
    @classmethod
    def _every_method_once(
        cls, value: tuple[DeliveryMethod, ...]
    ) -> tuple[DeliveryMethod, ...]:
        codes = [m.code for m in value]
        missing = sorted(set(ShippingMethod) - set(codes))
        if missing or len(codes) != len(set(codes)):
            raise ValueError(
                f"list each method exactly once ({', '.join(ShippingMethod)})"
            )
        return value

    @model_validator(mode="after")
    def _countries_known(self) -> DeliveryOptions:
        known = {c.code for c in self.countries}
        for method in self.methods:
            unknown = sorted(set(method.countries) - known)
            if unknown:
                raise ValueError(
                    f"methods.{method.code}.countries: {', '.join(unknown)}"
                    " is not in countries"
                )
            abroad = any(c != "FR" for c in method.countries)
            if abroad and method.price_abroad is None:
                raise ValueError(
                    f"methods.{method.code}.price_abroad: needed, the method is"
                    " offered outside France"
                )
        return self

    def method(self, code: ShippingMethod | str) -> DeliveryMethod:
        """The configured method with this code (every code is configured)."""
        wanted = ShippingMethod(code)
        return next(m for m in self.methods if m.code is wanted)

    def country(self, code: str) -> Country | None:
        """The served country with this ISO code, or None."""
        return next((c for c in self.countries if c.code == code.upper()), None)


def load_delivery_options(path: Path | None = None) -> DeliveryOptions:
    """Read and check the delivery configuration (cached per file).

    Read once per process: the bot asks on every "how much is delivery?",
    and the shop changes the file rarely (restart to apply).

    Raises:
        DeliveryConfigError: the file is missing, not YAML, or a field is
            wrong; the message names the file and the field.
    """
    return _load(path or DEFAULT_PATH)


@lru_cache(maxsize=8)
def _load(path: Path) -> DeliveryOptions:
    return load_yaml_model(path, DeliveryOptions, DeliveryConfigError)


def _plain(text: str) -> str:
    """Fold accents, case, hyphens, apostrophes: "Saint-Étienne" = "saint etienne"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for mark in "-'\u2019.":
        folded = folded.replace(mark, " ")
    return " ".join(folded.casefold().split())


def is_low_carbon_available(options: DeliveryOptions, city: str) -> bool:
    """Whether a bike courier delivers in `city`, however the customer spells it.

    "Lyon 3e" and "Paris 11" count as Lyon and Paris: customers often add the
    arrondissement to the city.
    """
    cities = options.method(ShippingMethod.LOW_CARBON).cities
    wanted = _plain(city)
    if not wanted:
        return False
    if cities is None:
        return True
    for served in map(_plain, cities):
        if wanted == served:
            return True
        rest = wanted.removeprefix(served + " ")
        if rest != wanted and rest[:1].isdigit():
            return True
    return False


def methods_for(
    options: DeliveryOptions, country: str, city: str | None = None
) -> tuple[DeliveryMethod, ...]:
    """The methods a customer in `country` (and `city`, if known) may choose."""
    found = []
    for method in options.methods:
        if country.upper() not in method.countries:
            continue
        if (
            method.code is ShippingMethod.LOW_CARBON
            and city is not None
            and not is_low_carbon_available(options, city)
        ):
            continue
        found.append(method)
    return tuple(found)


def country_code(options: DeliveryOptions, raw: str) -> str | None:
    """The served country a customer means by "FR", "France" or "belgique"."""
    wanted = _plain(raw)
    for country in options.countries:
        names = (country.code, country.name_fr, country.name_en)
        if wanted in {_plain(name) for name in names}:
            return country.code
    return None


def shipping_fee(
    options: DeliveryOptions,
    method: ShippingMethod,
    *,
    subtotal: Decimal,
    country: str,
) -> Decimal:
    """The delivery fee of a basket: the method's price, or free from its threshold.

    Raises:
        InvalidInput: the method is not offered in that country.
    """
    configured = options.method(method)
    price = configured.price_for(country)
    if price is None:
        raise InvalidInput(f"{method.value} delivery is not offered in {country}")
    if configured.free_from is not None and subtotal >= configured.free_from:
        return Decimal("0.00")
    return price


def preparation_day(options: DeliveryOptions, placed_at: datetime) -> date:
    """The working day the warehouse starts on an order.

    An order placed after the cut-off (Paris time), or on a weekend or a
    holiday, is prepared the next working day.
    """
    local = placed_at.astimezone(SHOP_TZ)
    day = local.date()
    if not _CALENDAR.is_working(day) or local.time() >= options.cutoff:
        day = _CALENDAR.next_working(day + timedelta(days=1))
    return day


def expected_ship_date(
    options: DeliveryOptions, *, placed_at: datetime, stockout: bool
) -> date:
    """When an order should leave the warehouse, as planned at checkout.

    An item out of stock when ordered holds the whole parcel until it comes
    in (the shop sends one parcel per order).
    """
    extra = options.preparation_days + (options.stockout_extra_days if stockout else 0)
    return _CALENDAR.add(preparation_day(options, placed_at), extra)


def promised_date(
    options: DeliveryOptions,
    method: ShippingMethod,
    *,
    placed_at: datetime,
    country: str,
    stockout: bool,
) -> date:
    """The delivery date promised at checkout, in working days.

    The method's time counts from the preparation day; abroad and a
    stock-out add the configured extra days.
    """
    extra = (options.abroad_extra_days if country.upper() != "FR" else 0) + (
        options.stockout_extra_days if stockout else 0
    )
    days = options.method(method).days + extra
    return _CALENDAR.add(preparation_day(options, placed_at), days)


def next_working_day(day: date) -> date:
    """`day` if the warehouse and carriers work that day, else the next such day."""
    return _CALENDAR.next_working(day)
