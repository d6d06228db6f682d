"""The date range every dashboard figure is computed over (Paris calendar days)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute

from crm.kpis.local_time import day_start_utc

MAX_RANGE_DAYS = 731  # two years: beyond that a chart by week stops being readable


class DateRange(BaseModel):
    """From `start` to `end`, both Paris days included.

    Services filter timestamps with `start_utc <= column < end_utc`, which
    keeps the columns' indexes usable.
    """

    model_config = ConfigDict(frozen=True)

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError("the end date is before the start date")
        if (self.end - self.start).days > MAX_RANGE_DAYS:
            raise ValueError(f"a range is at most {MAX_RANGE_DAYS} days")
        return self

    @property
    def start_utc(self) -> datetime:
        """The instant the first day starts (included)."""
        return day_start_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """The instant the day after the last one starts (excluded)."""
        return day_start_utc(self.end + timedelta(days=1))

    @property
    def days(self) -> int:
        """How many days the range covers."""
        return (self.end - self.start).days + 1


def on_days(
    column: InstrumentedAttribute[date] | ColumnElement[date], period: DateRange
) -> ColumnElement[bool]:
    """`start <= column <= end` for a column of Paris days (the daily rollups)."""
    return and_(column >= period.start, column <= period.end)
