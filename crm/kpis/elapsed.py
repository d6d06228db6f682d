"""Time between two timestamps, and its average and median, inside SQL.

PostgreSQL subtracts timestamps into an interval; SQLite has no interval
and stores text, so it goes through `julianday`. Both give seconds as a
float here, so the KPI queries are written once. The median is computed
with window functions (row number and count per group) because SQLite
has no `percentile_cont`, and the dashboard must not pull every handoff
into Python to sort it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, Select, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Subquery


class seconds_between(FunctionElement[float]):
    """Seconds from the first timestamp column to the second (negative if before)."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(
    element: seconds_between, compiler: SQLCompiler, **kw: Any
) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS DOUBLE PRECISION)"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def spread(source: Subquery, *, key: str | None = None) -> Select[Any]:
    """Count, average and median of `source.c.seconds`, per `key` column if given.

    Each row holds the key (if any), then `total`, `mean` and `median`.
    The median is the middle row, or the mean of the two middle rows, of
    each group ordered by seconds: `(n + 1) // 2` and `(n + 2) // 2` are the
    same row when n is odd and the two middle ones when it is even. With a
    key, a key without rows has no row; without one and without rows, the
    single row holds NULLs.
    """
    seconds = source.c.seconds
    keys: list[ColumnElement[Any]] = [] if key is None else [source.c[key]]
    partition = keys or None
    ranked = select(
        *keys,
        seconds,
        func.row_number()
        .over(partition_by=partition, order_by=seconds)
        .label("position"),
        func.count().over(partition_by=partition).label("total"),
        func.avg(seconds).over(partition_by=partition).label("mean"),
    ).subquery("ranked")
    ranked_keys = [ranked.c[key]] if key is not None else []
    middle = or_(
        ranked.c.position == (ranked.c.total + 1) // 2,
        ranked.c.position == (ranked.c.total + 2) // 2,
    )
    return (
        select(
            *ranked_keys,
            func.max(ranked.c.total).label("total"),
            func.max(ranked.c.mean).label("mean"),
            func.avg(ranked.c.seconds).label("median"),
        )
        .where(middle)
        .group_by(*ranked_keys)
    )


def in_units(seconds: float | None, unit_seconds: int) -> float | None:
    """Seconds turned into hours, days or minutes, to one decimal."""
    return None if seconds is None else round(float(seconds) / unit_seconds, 1)
