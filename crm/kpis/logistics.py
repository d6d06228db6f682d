"""Delivery KPIs of the ops dashboard: on time, preparation and transit times.

Each service is one SQL statement: the range's cohort (`crm.kpis.cohorts`)
as a CTE, aggregated overall and per breakdown (`crm.kpis.counts.rollup`),
never rows counted in Python: a store with a million orders must answer
while the page loads.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from crm.kpis.cohorts import deliveries, first_shipments
from crm.kpis.counts import rate, rollup, weekly_rates, weeks
from crm.kpis.elapsed import in_units, seconds_between
from crm.kpis.filters import DateRange
from crm.kpis.local_time import local_day, local_week
from crm.kpis.schemas import (
    AverageHours,
    CarrierDays,
    CarrierRate,
    DeliveryTime,
    OnTimeDelivery,
    PreparationTime,
    WeeklyHours,
)
from crm.orders.models import Order

HOUR = 3600
DAY = 86400


def on_time_delivery(session: Session, *, period: DateRange) -> OnTimeDelivery:
    """Orders delivered on or before their promised day, of orders delivered.

    The promise is a Paris calendar day, so the delivery's Paris day is
    compared with it: a parcel scanned at 23:30 UTC on the promised day
    arrived the day after in Paris and is late. Orders count in the range
    (and week) of their delivery, with the carrier of the parcel that
    arrived.
    """
    delivered = deliveries(period)
    on_time = local_day(delivered.c.delivered_at) <= Order.promised_delivery_date
    rows = (
        select(
            delivered.c.carrier,
            local_week(delivered.c.delivered_at).label("week"),
            case((on_time, 1), else_=0).label("on_time"),
        )
        .join(Order, Order.id == delivered.c.order_id)
        .cte("delivered_orders")
    )
    found = rollup(
        session,
        rows,
        measures=(func.sum(rows.c.on_time), func.count()),
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
    shipped = first_shipments(period)
    rows = (
        select(
            local_week(shipped.c.shipped_at).label("week"),
            seconds_between(Order.placed_at, shipped.c.shipped_at).label("seconds"),
        )
        .join(Order, Order.id == shipped.c.order_id)
        .cte("shipped_orders")
    )
    found = rollup(
        session,
        rows,
        measures=(func.count(), func.avg(rows.c.seconds)),
        keys=(rows.c.week,),
    )
    (by_week,) = found.by_key
    orders, seconds = found.overall
    return PreparationTime(
        overall=AverageHours(orders=orders, average_hours=in_units(seconds, HOUR)),
        weekly=tuple(
            _weekly_hours(week, by_week.get(week, (0, None))) for week in weeks(period)
        ),
    )


def _weekly_hours(week: date, figures: tuple[Any, ...]) -> WeeklyHours:
    orders, seconds = figures
    return WeeklyHours(week=week, orders=orders, average_hours=in_units(seconds, HOUR))


def delivery_time(session: Session, *, period: DateRange) -> DeliveryTime:
    """Average days (one decimal) from parcel shipped to delivered, by carrier.

    Counts the parcel that arrived for each order delivered in the range,
    from its own shipping time: a carrier is judged on the parcels it
    carried, not on the one it lost before.
    """
    delivered = deliveries(period)
    rows = (
        select(
            delivered.c.carrier,
            seconds_between(delivered.c.shipped_at, delivered.c.delivered_at).label(
                "seconds"
            ),
        )
        .where(delivered.c.shipped_at.is_not(None))
        .cte("carried")
    )
    found = rollup(
        session,
        rows,
        measures=(func.count(), func.avg(rows.c.seconds)),
        keys=(rows.c.carrier,),
    )
    (by_carrier,) = found.by_key
    count, seconds = found.overall
    return DeliveryTime(
        deliveries=count,
        average_days=in_units(seconds, DAY),
        by_carrier=tuple(
            CarrierDays(
                carrier=carrier,
                deliveries=by_carrier[carrier][0],
                average_days=in_units(by_carrier[carrier][1], DAY),
            )
            for carrier in sorted(by_carrier)
        ),
    )
