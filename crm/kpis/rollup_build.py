"""Rebuilding the daily rollups from the store, for the days marked stale.

Each rollup day is recomputed from the orders, parcels and returns with
the same cohorts as before (`crm.kpis.cohorts`), grouped by Paris day,
and written with `INSERT … SELECT`: no row of the store reaches Python.
Contiguous stale days are rebuilt together, so a history import that
marks a year costs one pass over that year, not 365.

Two dashboard calls may find the same stale days: on PostgreSQL the
first takes a transaction-scoped advisory lock and rebuilds; the other
does not wait and reads the rows as they were (seconds old), which is
better than a page that stalls. SQLite has one writer at a time anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Select,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from crm.catalog.models import Product
from crm.kpis.answer_counts import answer_aggregates
from crm.kpis.cohorts import deliveries, first_shipments, within
from crm.kpis.counts import count_if
from crm.kpis.elapsed import seconds_between
from crm.kpis.filters import DateRange
from crm.kpis.local_time import local_day, paris_day
from crm.kpis.rollup_marks import forget_marked
from crm.kpis.rollup_models import (
    NO_REGION,
    DailyAnswerCategory,
    DailyCost,
    DailyDelivery,
    DailyPreparation,
    DailyProduct,
    DailyReturn,
    KpiStaleDay,
    LateDelivery,
)
from crm.orders.models import Order, OrderLine, OrderStatus
from crm.returns.models import Return, ReturnLine, ReturnStatus
from crm.shipping.models import Shipment, ShipmentDirection
from crm.surveys.models import SurveyResponse

RowsSelect = Select[*tuple[Any, ...]]  # a SELECT of any columns

# Arbitrary constant naming the rebuild among PostgreSQL advisory locks.
REBUILD_LOCK = 7_380_115_021

# A cancelled request never sent anything back; a rejected one was refused
# by the shop (out of window, not returnable) and the item stays with the
# customer or is sent back to them.
NOT_RETURNED = (ReturnStatus.CANCELLED, ReturnStatus.REJECTED)

ROLLUPS = (
    DailyDelivery,
    LateDelivery,
    DailyPreparation,
    DailyCost,
    DailyProduct,
    DailyReturn,
    DailyAnswerCategory,
)


def refresh_rollups(session: Session) -> int:
    """Rebuild every stale day, then forget the marks; return how many days.

    Called before a rollup is read, inside the reader's transaction: the
    figures it reads include every change that transaction can see. With
    nothing stale this is one indexed query.
    """
    if session.scalar(select(KpiStaleDay.day).limit(1)) is None:
        return 0
    if not _lock(session):
        return 0
    marks = session.execute(select(KpiStaleDay.id, KpiStaleDay.day)).all()
    days = sorted({day for _, day in marks})
    for span in _runs(days):
        _rebuild(session, span)
    ids = [mark_id for mark_id, _ in marks]
    for start in range(0, len(ids), 5_000):  # the marks read, not newer ones
        chunk = ids[start : start + 5_000]
        session.execute(delete(KpiStaleDay).where(KpiStaleDay.id.in_(chunk)))
    forget_marked(session)  # a later change in this transaction marks anew
    session.flush()
    return len(days)


def rebuild_all(session: Session) -> int:
    """Rebuild the rollups from scratch over every day the store has orders.

    For stores written without the ORM (the demo seeder's bulk inserts);
    returns how many days were covered.
    """
    for table in (*ROLLUPS, KpiStaleDay):
        session.execute(delete(table))
    forget_marked(session)
    first = session.scalar(select(func.min(Order.placed_at)))
    if first is None:
        session.flush()
        return 0
    # Parcels arrive and returns open after the last order was placed.
    last = max(
        moment
        for moment in (
            session.scalar(select(func.max(Order.placed_at))),
            session.scalar(select(func.max(Shipment.shipped_at))),
            session.scalar(select(func.max(Shipment.delivered_at))),
            session.scalar(select(func.max(Return.created_at))),
            session.scalar(select(func.max(SurveyResponse.submitted_at))),
        )
        if moment is not None
    )
    span = DateRange(start=paris_day(first), end=paris_day(last))
    for part in _chunks(span):
        _rebuild(session, part)
    session.flush()
    return span.days


def _lock(session: Session) -> bool:
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        session.scalar(select(func.pg_try_advisory_xact_lock(literal(REBUILD_LOCK))))
    )


def _runs(days: list[date]) -> Iterator[DateRange]:
    """Consecutive days as ranges (at most two years each, as ranges must be)."""
    start = previous = days[0]
    for day in days[1:]:
        if day != previous + timedelta(days=1):
            yield from _chunks(DateRange(start=start, end=previous))
            start = day
        previous = day
    yield from _chunks(DateRange(start=start, end=previous))


def _chunks(span: DateRange) -> Iterator[DateRange]:
    step = timedelta(days=365)
    start = span.start
    while start <= span.end:
        end = min(start + step - timedelta(days=1), span.end)
        yield DateRange(start=start, end=end)
        start = end + timedelta(days=1)


def _rebuild(session: Session, span: DateRange) -> None:
    """Replace the rollup rows of every day in `span` by recomputed ones."""
    for table in ROLLUPS:
        session.execute(
            delete(table).where(table.day >= span.start, table.day <= span.end)
        )
    for table, query in (
        (DailyDelivery, _deliveries(span)),
        (LateDelivery, _late_deliveries(span)),
        (DailyPreparation, _preparation(span)),
        (DailyCost, _costs(span)),
        (DailyProduct, _products(span)),
        (DailyReturn, _returns(span)),
        (DailyAnswerCategory, _answer_categories(span)),
    ):
        columns = [column.name for column in query.selected_columns]
        session.execute(insert(table).from_select(columns, query))


def _deliveries(span: DateRange) -> RowsSelect:
    delivered = deliveries(span)
    day = local_day(delivered.c.delivered_at)
    region = case(
        (Order.ship_country == "FR", func.substr(Order.ship_postcode, 1, 2)),
        else_=literal(NO_REGION),
    )
    transit = seconds_between(delivered.c.shipped_at, delivered.c.delivered_at)
    return (
        select(
            day.label("day"),
            delivered.c.carrier.label("carrier"),
            region.label("region"),
            func.count().label("deliveries"),
            count_if(day <= Order.promised_delivery_date).label("on_time"),
            func.count(delivered.c.shipped_at).label("transit_count"),
            func.coalesce(func.sum(transit), 0.0).label("transit_seconds"),
        )
        .join(Order, Order.id == delivered.c.order_id)
        .group_by(day, delivered.c.carrier, region)
    )


def _late_deliveries(span: DateRange) -> RowsSelect:
    delivered = deliveries(span)
    day = local_day(delivered.c.delivered_at)
    return (
        select(day.label("day"), delivered.c.order_id.label("order_id"))
        .join(Order, Order.id == delivered.c.order_id)
        .where(day > Order.promised_delivery_date)
    )


def _preparation(span: DateRange) -> RowsSelect:
    shipped = first_shipments(span)
    day = local_day(shipped.c.shipped_at)
    return (
        select(
            day.label("day"),
            func.count().label("orders"),
            func.sum(seconds_between(Order.placed_at, shipped.c.shipped_at)).label(
                "seconds"
            ),
        )
        .join(Order, Order.id == shipped.c.order_id)
        .group_by(day)
    )


def _costs(span: DateRange) -> RowsSelect:
    """Each carrier's day: first orders, orders new to it, and what it charged.

    Return labels never used (no `shipped_at`) cost nothing.
    """
    zero, one = literal(0), literal(1)
    outbound = Shipment.direction == ShipmentDirection.OUTBOUND
    charged = select(
        local_day(Shipment.shipped_at).label("day"),
        Shipment.carrier.label("carrier"),
        zero.label("first_orders"),
        zero.label("carrier_orders"),
        case((outbound, Shipment.carrier_cost), else_=0).label("outbound_cost"),
        case((~outbound, Shipment.carrier_cost), else_=0).label("return_cost"),
    ).where(within(Shipment.shipped_at, span))
    first = first_shipments(span)
    first_ever = select(
        local_day(first.c.shipped_at), first.c.carrier, one, zero, zero, zero
    )
    new = first_shipments(span, per_carrier=True)
    new_to_carrier = select(
        local_day(new.c.shipped_at), new.c.carrier, zero, one, zero, zero
    )
    parts = union_all(charged, first_ever, new_to_carrier).subquery("parts")
    return select(
        parts.c.day,
        parts.c.carrier,
        *(
            func.sum(parts.c[name]).label(name)
            for name in (
                "first_orders",
                "carrier_orders",
                "outbound_cost",
                "return_cost",
            )
        ),
    ).group_by(parts.c.day, parts.c.carrier)


def _products(span: DateRange) -> RowsSelect:
    """Each product's day: delivered, placed, missing, sold and opened units.

    Three sources with days of their own (delivery, order, return opened)
    as one UNION ALL of partial rows, summed per day and product.
    """
    zero = literal(0)
    delivered = deliveries(span)
    from_deliveries = select(
        local_day(delivered.c.delivered_at).label("day"),
        OrderLine.product_id,
        OrderLine.quantity.label("delivered_units"),
        zero.label("placed_lines"),
        zero.label("missing_lines"),
        zero.label("sold_units"),
        zero.label("opened_units"),
    ).join(OrderLine, OrderLine.order_id == delivered.c.order_id)
    from_orders = (
        select(
            local_day(Order.placed_at),
            OrderLine.product_id,
            zero,
            literal(1),
            case((OrderLine.in_stock_at_order, 0), else_=1),
            case((Order.status == OrderStatus.CANCELLED, 0), else_=OrderLine.quantity),
            zero,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(within(Order.placed_at, span))
    )
    from_returns = (
        select(
            local_day(Return.created_at),
            OrderLine.product_id,
            zero,
            zero,
            zero,
            zero,
            ReturnLine.quantity,
        )
        .join(ReturnLine, ReturnLine.return_id == Return.id)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .where(within(Return.created_at, span), Return.status != ReturnStatus.CANCELLED)
    )
    parts = union_all(from_deliveries, from_orders, from_returns).subquery("parts")
    return select(
        parts.c.day,
        parts.c.product_id,
        *(
            func.sum(parts.c[name]).label(name)
            for name in (
                "delivered_units",
                "placed_lines",
                "missing_lines",
                "sold_units",
                "opened_units",
            )
        ),
    ).group_by(parts.c.day, parts.c.product_id)


def _returns(span: DateRange) -> RowsSelect:
    delivered = deliveries(span)
    day = local_day(delivered.c.delivered_at)
    return (
        select(
            day.label("day"),
            OrderLine.product_id,
            Return.reason,
            func.sum(ReturnLine.quantity).label("units"),
        )
        .select_from(delivered)
        .join(OrderLine, OrderLine.order_id == delivered.c.order_id)
        .join(ReturnLine, ReturnLine.order_line_id == OrderLine.id)
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.status.not_in(NOT_RETURNED))
        .group_by(day, OrderLine.product_id, Return.reason)
    )


def _answer_categories(span: DateRange) -> RowsSelect:
    """Answers per day and category of their order, each once per category."""
    per_category = (
        select(
            local_day(SurveyResponse.submitted_at).label("day"),
            SurveyResponse.id,
            SurveyResponse.csat,
            SurveyResponse.nps,
            SurveyResponse.ces,
            Product.category,
        )
        .distinct()
        .join(OrderLine, OrderLine.order_id == SurveyResponse.order_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(within(SurveyResponse.submitted_at, span))
        .subquery("answer_categories")
    )
    c = per_category.c
    return select(
        c.day, c.category, *answer_aggregates(c.id, c.csat, c.nps, c.ces)
    ).group_by(c.day, c.category)
