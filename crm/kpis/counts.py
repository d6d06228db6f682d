"""Counting in SQL, and turning the counts into rates and series with no holes.

Shared by every KPI module so that "42 of 50" is built the same way
everywhere and a week without data shows as 0 of 0, not as a gap.
`rollup` computes a tile's overall figure and its breakdowns (by carrier,
by week) in one statement over one CTE: the costly part of a KPI is
finding its rows (the orders delivered in the range, say), and finding
them once instead of once per breakdown divides that work by three on a
tile with an overall figure, a carrier table and a weekly chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CTE

from crm.kpis.filters import DateRange
from crm.kpis.schemas import Rate, WeeklyRate


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition` (0, not NULL, over no rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def rate(numerator: Any, denominator: Any) -> Rate:
    """A `Rate` from two SQL aggregates (bigint or numeric on PostgreSQL)."""
    return Rate(numerator=int(numerator or 0), denominator=int(denominator or 0))


@dataclass(frozen=True)
class Rollup:
    """What `rollup` found: the measures over all rows, then per key value.

    `by_key[i]` maps each value of `keys[i]` to its measures, in the order
    the measures were given.
    """

    overall: tuple[Any, ...]
    by_key: tuple[dict[Any, tuple[Any, ...]], ...]


def rollup(
    session: Session,
    source: CTE,
    *,
    measures: Sequence[ColumnElement[Any]],
    keys: Sequence[ColumnElement[Any]],
) -> Rollup:
    """Aggregate `measures` over all of `source`, then grouped by each key.

    One `UNION ALL` of one SELECT per grouping, each row tagged with its
    grouping's number; the other keys' columns are NULL cast to their type
    (PostgreSQL cannot match two untyped NULL columns with a DATE one).
    PostgreSQL materialises a CTE read more than once, so `source` runs once.
    """

    def key_columns(grouped: int | None) -> list[ColumnElement[Any]]:
        return [
            (key if n == grouped else cast(null(), key.type)).label(f"key_{n}")
            for n, key in enumerate(keys)
        ]

    def branch(grouped: int | None) -> Select[Any]:
        tag: ColumnElement[Any] = literal_column(
            "0" if grouped is None else str(grouped + 1)
        )
        query = select(
            tag.label("grouping"),
            *key_columns(grouped),
            *(measure.label(f"measure_{n}") for n, measure in enumerate(measures)),
        ).select_from(source)
        return query if grouped is None else query.group_by(keys[grouped])

    statement = union_all(branch(None), *(branch(n) for n in range(len(keys))))
    overall: tuple[Any, ...] = ()
    by_key: tuple[dict[Any, tuple[Any, ...]], ...] = tuple({} for _ in keys)
    width = len(keys)
    for row in session.execute(statement):
        grouping, values, figures = row[0], row[1 : 1 + width], tuple(row[1 + width :])
        if grouping == 0:
            overall = figures
        else:
            by_key[grouping - 1][values[grouping - 1]] = figures
    return Rollup(overall=overall, by_key=by_key)


def weeks(period: DateRange) -> list[date]:
    """The Mondays of every Paris week the range touches, oldest first.

    A series lists weeks without data too: a chart that skips a quiet week
    draws a line straight over it.
    """
    monday = period.start - timedelta(days=period.start.weekday())
    return [
        monday + timedelta(weeks=n) for n in range((period.end - monday).days // 7 + 1)
    ]


def months(period: DateRange) -> list[date]:
    """The first days of every Paris month the range touches, oldest first."""
    found = []
    month = period.start.replace(day=1)
    while month <= period.end:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def weekly_rates(found: dict[date, Rate], period: DateRange) -> tuple[WeeklyRate, ...]:
    """Every week of the range, 0 of 0 where the query found nothing."""
    empty = Rate(numerator=0, denominator=0)
    return tuple(
        WeeklyRate(week=week, rate=found.get(week, empty)) for week in weeks(period)
    )
