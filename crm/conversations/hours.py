"""When people answer chats (`config/support.yml`), and the wait to tell a customer.

Outside these hours a handoff becomes a ticket answered by e-mail rather
than a wait nobody will end; inside them the customer is told roughly how
long, from the queue in front of them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from crm.clock import SHOP_TZ
from crm.config_files import load_yaml_model
from crm.settings import PROJECT_ROOT
from crm.shipping.calendar import french_holidays

DEFAULT_PATH = PROJECT_ROOT / "config" / "support.yml"
WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
LOOKAHEAD_DAYS = 14  # a shop closed two weeks running says "later" anyway


class SupportHoursError(ValueError):
    """`config/support.yml` is missing or wrong; the message names the field."""


class SupportHours(BaseModel):
    """Opening hours per weekday, holidays, and how the wait is estimated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hours: dict[str, tuple[time, time] | None]
    closed_on_public_holidays: bool = True
    minimum_wait_minutes: int = Field(default=2, ge=0)
    minutes_per_waiting_customer: int = Field(default=4, ge=0)

    @field_validator("hours")
    @classmethod
    def _known_days(
        cls, value: dict[str, tuple[time, time] | None]
    ) -> dict[str, tuple[time, time] | None]:
        unknown = set(value) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown day(s): {', '.join(sorted(unknown))}")
        for day, span in value.items():
            if span is not None and span[0] >= span[1]:
                raise ValueError(f"{day}: opening must come before closing")
        return value

    def span(self, day: date) -> tuple[time, time] | None:
        """Opening and closing time on that day, or None when closed."""
        if self.closed_on_public_holidays and day in french_holidays(day.year):
            return None
        return self.hours.get(WEEKDAYS[day.weekday()])


def load_support_hours(path: Path | None = None) -> SupportHours:
    """Read and check the support hours (cached per file).

    Raises:
        SupportHoursError: the file is missing, not YAML, or a field is wrong.
    """
    return _load(path or DEFAULT_PATH)


@lru_cache(maxsize=4)
def _load(path: Path) -> SupportHours:
    return load_yaml_model(path, SupportHours, SupportHoursError)


def is_open(hours: SupportHours, now: datetime) -> bool:
    """Whether a person can pick up a chat at `now`."""
    local = now.astimezone(SHOP_TZ)
    span = hours.span(local.date())
    return span is not None and span[0] <= local.time() < span[1]


def next_opening(hours: SupportHours, now: datetime) -> datetime | None:
    """When the team is next there (now if open), or None if not in two weeks."""
    local = now.astimezone(SHOP_TZ)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        span = hours.span(day)
        if span is None:
            continue
        opening = datetime.combine(day, span[0], SHOP_TZ)
        closing = datetime.combine(day, span[1], SHOP_TZ)
        if local < closing:
            return max(opening, local)
    return None


def expected_wait_minutes(hours: SupportHours, waiting_before: int) -> int:
    """The wait to announce with `waiting_before` conversations ahead in the queue."""
    return max(
        hours.minimum_wait_minutes,
        hours.minutes_per_waiting_customer * waiting_before,
    )
