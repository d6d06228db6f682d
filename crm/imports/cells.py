"""Reading one CSV row's cells as typed values, each error naming its column.

Spreadsheets are forgiving where JSON is not, so the cells are read the way
shops' exports and French Excel write them: a decimal comma is taken as well
as a dot ("12,50"), a time without offset is the shop's local time (Paris),
"yes"/"oui"/"1" are true. Anything else is refused with the column and the
value, so that the shop can find the cell. Every error of a row is
collected, not only the first: one pass fixes a row.

Personal data (e-mail, names, phone, address) is never quoted back: error
messages end up in terminals and shared files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ValidationError

from crm.clock import SHOP_TZ
from crm.errors import InvalidInput
from crm.imports.schemas import RowError
from crm.orders.service import normalise_order_number

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

PERSONAL = frozenset(
    {
        "email",
        "first_name",
        "last_name",
        "phone",
        "ship_name",
        "ship_line1",
        "ship_line2",
        "billing_postcode",
        "ship_postcode",
    }
)
"""Columns whose values an error message does not repeat."""

_NUMBER = re.compile(r"^-?\d+(?:\.\d+|,\d{1,2})?$")
_INTEGER = re.compile(r"^\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")  # French exports group digits with NBSP
_OFFSET_APART = re.compile(r"\s+([+-]\d{2}:?\d{2}|Z)$")  # "09:30:00 +0100"
_TRUE = frozenset({"true", "yes", "y", "1", "oui", "o", "vrai"})
_FALSE = frozenset({"false", "no", "n", "0", "non", "faux"})
_HINTS = {
    "email": "not an e-mail address",
    "order_number": "not a six-digit order number",
    "ship_country": "not a two-letter country code such as FR",
    "currency": "not a three-letter currency code such as EUR",
}


def quoted(field: str, value: object) -> str:
    """` ("value")` to end a message with, or nothing for personal columns."""
    if field in PERSONAL:
        return ""
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f' ("{text}")'


class Cells:
    """One row's cells by column name, read one at a time into typed values.

    A reader returns None when the cell cannot be used and records why in
    `errors`; the caller builds the event only when `errors` stays empty.
    `lines` says which line a value came from when it is not `line` (an
    order's fields may be on any of its rows).
    """

    def __init__(
        self,
        line: int,
        values: Mapping[str, str],
        lines: Mapping[str, int] | None = None,
    ) -> None:
        self.line = line
        self.values = values
        self.lines = lines or {}
        self.errors: list[RowError] = []

    def line_of(self, field: str) -> int:
        """The CSV line the value of `field` came from."""
        return self.lines.get(field, self.line)

    def fail(self, field: str, reason: str) -> None:
        """Record that `field` cannot be used, and why."""
        line = self.line_of(field)
        self.errors.append(RowError(line=line, field=field, reason=reason))

    def text(self, field: str, *, required: bool = False) -> str | None:
        """The cell stripped, None when blank (an error if `required`)."""
        value = (self.values.get(field) or "").strip()
        if value:
            return value
        if required:
            self.fail(field, "missing")
        return None

    def _read(
        self, field: str, required: bool, parse: Callable[[str], T], what: str
    ) -> T | None:
        raw = self.text(field, required=required)
        if raw is None:
            return None
        try:
            return parse(raw)
        except (ValueError, InvalidOperation):
            self.fail(field, f"{what}{quoted(field, raw)}")
            return None

    def order_number(self, field: str = "order_number") -> str | None:
        """The six digits, from "204233", "#204233" or "EB-204233" as the bot reads."""
        raw = self.text(field, required=True)
        if raw is None:
            return None
        try:
            return normalise_order_number(raw)
        except InvalidInput:
            self.fail(field, f"not a six-digit order number{quoted(field, raw)}")
            return None

    def decimal(self, field: str, *, required: bool = False) -> Decimal | None:
        """A number with a dot, or a comma and at most two decimals ("12,50")."""
        return self._read(field, required, _decimal, "not a number")

    def integer(self, field: str, *, required: bool = False) -> int | None:
        """A whole number written with digits only."""
        return self._read(field, required, _integer, "not a whole number")

    def moment(self, field: str, *, required: bool = False) -> datetime | None:
        """An ISO 8601 date and time; without offset, the shop's local time."""
        return self._read(
            field,
            required,
            _moment,
            "not an ISO 8601 date and time such as 2026-11-02T09:30:00+01:00",
        )

    def day(self, field: str, *, required: bool = False) -> date | None:
        """An ISO 8601 day, YYYY-MM-DD."""
        return self._read(
            field, required, date.fromisoformat, "not a date such as 2026-11-05"
        )

    def flag(self, field: str, *, default: bool) -> bool | None:
        """Yes or no, in English or French, or 1/0; `default` when blank."""
        raw = self.text(field)
        if raw is None:
            return default
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        self.fail(field, f"not yes or no{quoted(field, raw)}")
        return None

    def choice(self, field: str, kind: type[E], *, required: bool = False) -> E | None:
        """An enumeration's value, case and spaces forgiven ("Mondial Relay")."""
        raw = self.text(field, required=required)
        if raw is None:
            return None
        key = re.sub(r"[\s-]+", "_", raw.lower())
        try:
            return kind(key)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            self.fail(field, f"unknown value{quoted(field, raw)}: one of {allowed}")
            return None


def _decimal(raw: str) -> Decimal:
    compact = _SPACES.sub("", raw)
    if not _NUMBER.match(compact):
        raise ValueError(raw)
    return Decimal(compact.replace(",", "."))


def _integer(raw: str) -> int:
    if not _INTEGER.match(raw):
        raise ValueError(raw)
    return int(raw)


def _moment(raw: str) -> datetime:
    text = _OFFSET_APART.sub(r"\1", raw)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHOP_TZ)
    return moment


def describe(
    exc: ValidationError, locate: Callable[[tuple[int | str, ...]], tuple[int, str]]
) -> list[RowError]:
    """The schema's refusals as row errors, each on the line and column it names.

    `locate` turns the schema's path ("lines", 2, "sku") into the CSV line
    and column the value came from.
    """
    errors = exc.errors(include_url=False)
    if len(errors) > 1:  # an id made of a wrong value is wrong because of it
        errors = [error for error in errors if tuple(error["loc"]) != ("id",)]
    found: list[RowError] = []
    for error in errors:
        line, field = locate(tuple(error["loc"]))
        found.append(RowError(line=line, field=field, reason=_reason(field, error)))
    return found


def _reason(field: str, error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = quoted(field, error.get("input", ""))
    if kind == "string_pattern_mismatch":
        return _HINTS.get(field, "not in the expected form") + value
    if kind == "string_too_long":
        return f"longer than {ctx['max_length']} characters{value}"
    if kind in {"string_too_short", "missing"}:
        return "missing"
    if kind == "decimal_max_places":
        return f"more than {ctx['decimal_places']} decimals{value}"
    if kind == "decimal_max_digits":
        return f"too large{value}"
    if kind == "greater_than_equal" and str(ctx.get("ge")) == "0":
        return f"must not be negative{value}"
    if kind == "greater_than" and str(ctx.get("gt")) == "0":
        return f"must be more than 0{value}"
    if kind == "too_long":
        return f"more than {ctx['max_length']} lines in one order"
    text = str(error["msg"]).removeprefix("Value error, ")
    return text[:1].lower() + text[1:] + value
