"""Marking the rollup days an ORM change makes stale, whoever made it.

Orders, lines, parcels and returns change through many services (the
events API, the history import, the bot's returns, agents' tools); a
hook on every flush sees them all, where a call in each service would
sooner or later be forgotten. It marks, for each order touched, every
Paris day the rollups may count it on: the day it was placed, each of its
parcels' shipping and delivery days, each of its returns' opening days,
and the days a changed timestamp held before (a delivery moved from
Monday to Tuesday changes both). A whole order is marked, not one row,
because a replacement parcel delivered on Friday takes the order off the
day its first parcel arrived.

A survey answer marks the day it was submitted (the category rollup).
Bulk inserts that bypass the ORM (the demo seeder) call
`crm.kpis.rollup_build.rebuild_all` instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select, union
from sqlalchemy.orm import Session, UOWTransaction

from crm.kpis.local_time import local_day, paris_day
from crm.kpis.rollup_models import KpiStaleDay
from crm.orders.models import Order, OrderLine
from crm.returns.models import Return, ReturnLine
from crm.shipping.models import Shipment
from crm.surveys.models import SurveyResponse

MARKED = "kpi_marked_days"  # session.info key: days this transaction marked
KNOWN = "kpi_known_orders"  # session.info key: orders whose days are marked

# The timestamps of each tracked table that place a row on a rollup day.
TIMES: dict[type, tuple[str, ...]] = {
    Order: ("placed_at",),
    OrderLine: (),
    Shipment: ("shipped_at", "delivered_at"),
    Return: ("created_at",),
    ReturnLine: (),
    SurveyResponse: ("submitted_at",),  # its own day only: no order days
}


def _order_of(instance: Any, session: Session) -> int | None:
    if isinstance(instance, SurveyResponse):
        return None
    if isinstance(instance, Order):
        return int(instance.id) if instance.id is not None else None
    if isinstance(instance, ReturnLine):
        return session.scalar(
            select(Return.order_id).where(Return.id == instance.return_id)
        )
    order_id = getattr(instance, "order_id", None)
    return int(order_id) if order_id is not None else None


def _moments(instance: Any) -> Iterable[datetime]:
    """The instance's timestamps now and before this flush."""
    state = inspect(instance)
    for name in TIMES[type(instance)]:
        history = state.attrs[name].history
        for moment in (*history.added, *history.unchanged, *history.deleted):
            if isinstance(moment, datetime):
                yield moment


def _days_of_orders(session: Session, order_ids: set[int]) -> set[date]:
    """Every day the store now places these orders, their parcels and returns on."""
    ids = sorted(order_ids)
    query = union(
        select(local_day(Order.placed_at).label("day")).where(Order.id.in_(ids)),
        select(local_day(Shipment.shipped_at)).where(
            Shipment.order_id.in_(ids), Shipment.shipped_at.is_not(None)
        ),
        select(local_day(Shipment.delivered_at)).where(
            Shipment.order_id.in_(ids), Shipment.delivered_at.is_not(None)
        ),
        select(local_day(Return.created_at)).where(Return.order_id.in_(ids)),
    )
    return {day for day in session.scalars(select(query.subquery().c.day)) if day}


def mark_days(session: Session, days: Iterable[date]) -> None:
    """Mark days stale, once per transaction (an import flushes many times)."""
    marked: set[date] = session.info.setdefault(MARKED, set())
    rows = [{"day": day} for day in sorted(set(days) - marked)]
    if rows:
        session.execute(insert(KpiStaleDay), rows)
        marked.update(row["day"] for row in rows)


def forget_marked(session: Session, *_: Any) -> None:
    """Marks were consumed, or a new transaction began: mark days anew."""
    session.info.pop(MARKED, None)
    session.info.pop(KNOWN, None)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    """Mark the days of every order this flush touched.

    An order's rows are looked up once per transaction: after that, every
    later change to it passes through this hook, whose own timestamps add
    the new days. An order created in this transaction has no rows to look
    up at all. (A history import flushes five times per order.)
    """
    known: set[int] = session.info.setdefault(KNOWN, set())
    created = {o.id for o in session.new if isinstance(o, Order) and o.id}
    lookup: set[int] = set()
    days: set[date] = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        if type(instance) not in TIMES:
            continue
        if instance in session.dirty and not session.is_modified(instance):
            continue
        days.update(paris_day(moment) for moment in _moments(instance))
        order_id = _order_of(instance, session)
        if order_id is not None and order_id not in known | created:
            lookup.add(order_id)
    known |= created | lookup
    if lookup:
        days |= _days_of_orders(session, lookup)
    mark_days(session, days)


event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "after_commit", forget_marked)
event.listen(Session, "after_rollback", forget_marked)
event.listen(Session, "after_soft_rollback", forget_marked)
