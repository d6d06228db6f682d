"""Delivery KPIs of the ops dashboard: on time, preparation and transit times.

Each service reads the daily rollups (`crm.kpis.rollup_models`), rebuilt
first for any day a change made stale, and sums a range's days in one
statement per figure (`crm.kpis.counts.rollup`): a year of a million
orders is a few thousand rows, where joining the parcels and orders
themselves took seconds. Rates and averages are computed from the sums,
never averaged from daily averages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm.kpis.counts import rate, rollup, weekly_rates, weeks
from crm.kpis.elapsed import in_units
from crm.kpis.filters import DateRange, on_days
from crm.kpis.local_time import week_of
from crm.kpis.rollup_build import refresh_rollups
from crm.kpis.rollup_models import DailyDelivery, DailyPreparation
from crm.kpis.schemas import (
    AverageHours,
    CarrierDays,
    CarrierRate,
    DeliveryTime,
    OnTimeDelivery,
    PreparationTime,
    WeeklyHours,
)

HOUR = 3600
DAY = 86400


def mean(total: Any, count: Any) -> float | None:
    """`total / count` from two SQL sums; None over nothing."""
    return float(total) / int(count) if count else None


def on_time_delivery(session: Session, *, period: DateRange) -> OnTimeDelivery:
    """Orders delivered on or before their promised day, of orders delivered.

    The promise is a Paris calendar day, so the delivery's Paris day is
    compared with it: a parcel scanned at 23:30 UTC on the promised day
    arrived the day after in Paris and is late. Orders count in the range
    (and week) of their delivery, with the carrier of the parcel that
    arrived (`DailyDelivery`).
    """
    refresh_rollups(session)
    rows = (
        select(
            DailyDelivery.carrier,
            week_of(DailyDelivery.day).label("week"),
            DailyDelivery.on_time,
            DailyDelivery.deliveries,
        )
        .where(on_days(DailyDelivery.day, period))
        .cte("delivered_days")
    )
    found = rollup(
        session,
        rows,
        measures=(func.sum(rows.c.on_time), func.sum(rows.c.deliveries)),
        keys=(rows.c.carrier, rows.c.week),
    )
    by_carrier, by_week = found.by_key
    return OnTimeDelivery(
        overall=rate(*found.overall),
        by_carrier=tuple(
            CarrierRate(carrier=carrier, rate=rate(*by_carrier[carrier]))
            for carrier in sorted(by_carrier)
        ),
        weekly=weekly_rates(
            {week: rate(*figures) for week, figures in by_week.items()}, period
        ),
    )


def preparation_time(session: Session, *, period: DateRange) -> PreparationTime:
    """Average hours from order placed to first parcel shipped, by shipping week.

    Orders count when their first parcel left in the range: the figure
    describes the warehouse's work in those weeks, whenever the customer
    ordered.
    """
    refresh_rollups(session)
    rows = (
        select(
            week_of(DailyPreparation.day).label("week"),
            DailyPreparation.orders,
            DailyPreparation.seconds,
        )
        .where(on_days(DailyPreparation.day, period))
        .cte("shipped_days")
    )
    found = rollup(
        session,
        rows,
        measures=(func.sum(rows.c.orders), func.sum(rows.c.seconds)),
        keys=(rows.c.week,),
    )
    (by_week,) = found.by_key
    return PreparationTime(
        overall=_hours(found.overall),
        weekly=tuple(
            _weekly_hours(week, by_week.get(week, (0, None))) for week in weeks(period)
        ),
    )


def _hours(figures: tuple[Any, ...]) -> AverageHours:
    orders, seconds = figures
    return AverageHours(
        orders=int(orders or 0), average_hours=in_units(mean(seconds, orders), HOUR)
    )


def _weekly_hours(week: date, figures: tuple[Any, ...]) -> WeeklyHours:
    hours = _hours(figures)
    return WeeklyHours(
        week=week, orders=hours.orders, average_hours=hours.average_hours
    )


def _days(figures: tuple[Any, ...]) -> float | None:
    count, seconds = figures
    return in_units(mean(seconds, count), DAY)


def delivery_time(session: Session, *, period: DateRange) -> DeliveryTime:
    """Average days (one decimal) from parcel shipped to delivered, by carrier.

    Counts the parcel that arrived for each order delivered in the range,
    from its own shipping time: a carrier is judged on the parcels it
    carried, not on the one it lost before.
    """
    refresh_rollups(session)
    rows = (
        select(
            DailyDelivery.carrier,
            DailyDelivery.transit_count,
            DailyDelivery.transit_seconds,
        )
        .where(on_days(DailyDelivery.day, period), DailyDelivery.transit_count > 0)
        .cte("carried_days")
    )
    found = rollup(
        session,
        rows,
        measures=(func.sum(rows.c.transit_count), func.sum(rows.c.transit_seconds)),
        keys=(rows.c.carrier,),
    )
    (by_carrier,) = found.by_key
    count, seconds = found.overall
    return DeliveryTime(
        deliveries=int(count or 0),
        average_days=in_units(mean(seconds, count), DAY),
        by_carrier=tuple(
            CarrierDays(
                carrier=carrier,
                deliveries=int(by_carrier[carrier][0]),
                average_days=_days(by_carrier[carrier]),
            )
            for carrier in sorted(by_carrier)
        ),
    )
