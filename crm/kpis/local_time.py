"""The shop's calendar inside SQL: Paris day, week and month of a UTC timestamp.

KPIs group by the days the shop lives in (a parcel delivered at 00:30 in
Paris counts for that day, not for the UTC day before) and must do it in
SQL so that a million orders are not pulled into Python. PostgreSQL has
the zone database (`AT TIME ZONE`); SQLite has none, so the store registers
small deterministic functions on every SQLite connection (`crm.db`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from crm.clock import SHOP_TZ


class _LocalDate(TypeDecorator[date]):
    """A DATE read back as `date` whether the driver gives a date or a string."""

    impl = Date
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> date | None:
        """SQLite functions return ISO strings; PostgreSQL returns dates."""
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])


class _Bucket(FunctionElement[date]):
    type = _LocalDate()
    inherit_cache = True
    unit = "day"


class local_day(_Bucket):
    """The Paris calendar day of a UTC timestamp column."""

    inherit_cache = True
    unit = "day"


class local_week(_Bucket):
    """The Monday (Paris calendar) of the week of a UTC timestamp column."""

    inherit_cache = True
    unit = "week"


class local_month(_Bucket):
    """The first day (Paris calendar) of the month of a UTC timestamp column."""

    inherit_cache = True
    unit = "month"


@compiles(_Bucket, "postgresql")
def _bucket_postgresql(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    local = f"({column} AT TIME ZONE '{SHOP_TZ.key}')"
    if element.unit == "day":
        return f"CAST({local} AS DATE)"
    return f"CAST(date_trunc('{element.unit}', {local}) AS DATE)"


@compiles(_Bucket, "sqlite")
def _bucket_sqlite(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    return f"shopdesk_local_{element.unit}({column})"


def _paris_day(stored: str | None) -> date | None:
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHOP_TZ).date()


def _sqlite_day(stored: str | None) -> str | None:
    day = _paris_day(stored)
    return None if day is None else day.isoformat()


def _sqlite_week(stored: str | None) -> str | None:
    day = _paris_day(stored)
    return None if day is None else (day - timedelta(days=day.weekday())).isoformat()


def _sqlite_month(stored: str | None) -> str | None:
    day = _paris_day(stored)
    return None if day is None else day.replace(day=1).isoformat()


def register_sqlite_functions(dbapi_connection: Any) -> None:
    """Give an SQLite connection the `shopdesk_local_*` functions used above."""
    for unit, function in (
        ("day", _sqlite_day),
        ("week", _sqlite_week),
        ("month", _sqlite_month),
    ):
        dbapi_connection.create_function(
            f"shopdesk_local_{unit}", 1, function, deterministic=True
        )


def day_start_utc(day: date) -> datetime:
    """The UTC instant at which a Paris calendar day starts (for range filters).

    Filtering `placed_at >= day_start_utc(start)` keeps the index usable,
    which `local_day(placed_at) >= start` would not.
    """
    return datetime(day.year, day.month, day.day, tzinfo=SHOP_TZ).astimezone(UTC)


class week_of(FunctionElement[date]):
    """The Monday of the week of a DATE column (a day already in Paris time).

    The daily rollups (`crm.kpis.rollup_models`) store Paris days; their
    weekly charts group those days by week in SQL, without a time zone.
    """

    type = _LocalDate()
    inherit_cache = True


@compiles(week_of, "postgresql")
def _week_of_postgresql(element: week_of, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    return f"CAST(date_trunc('week', {column}) AS DATE)"


@compiles(week_of, "sqlite")
def _week_of_sqlite(element: week_of, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    # strftime('%w') counts from Sunday (0); Monday is (w + 6) % 7 days back.
    return (
        f"date({column}, '-' || ((CAST(strftime('%w', {column}) AS INTEGER) + 6) % 7)"
        " || ' days')"
    )


class month_of(FunctionElement[date]):
    """The first day of the month of a DATE column (a day already in Paris time)."""

    type = _LocalDate()
    inherit_cache = True


@compiles(month_of, "postgresql")
def _month_of_postgresql(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    return f"CAST(date_trunc('month', {column}) AS DATE)"


@compiles(month_of, "sqlite")
def _month_of_sqlite(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    return f"date({column}, 'start of month')"


def paris_day(moment: datetime) -> date:
    """The Paris calendar day of an aware (or naive UTC) instant, in Python."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHOP_TZ).date()
