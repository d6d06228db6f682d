"""The ops dashboard's data: `/ops/api/<section>` as JSON, every table as CSV.

Ops and admin roles only. Each call takes the date range (`start`, `end`,
Paris days, both included; the last 90 days by default) and answers from
SQL aggregates (`crm.kpis`); `bench/dashboard.py` times every section on a
million orders (README "Benchmark: the dashboard").
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from bot.auth import CurrentOps
from bot.deps import DbSession
from bot.ops_sections import SECTIONS, as_json, flat_row, tables_of
from bot.relay import Relay
from crm import clock
from crm.errors import InvalidInput, NotFound
from crm.kpis.filters import DateRange
from crm.kpis.follow_up import create_follow_up
from crm.kpis.satisfaction_schemas import FollowUpTask
from crm.staff.service import staff_actor

router = APIRouter(prefix="/ops/api", tags=["ops dashboard"])

DEFAULT_DAYS = 90
SectionName = Literal[
    "satisfaction",
    "breakdowns",
    "topics",
    "detractors",
    "logistics",
    "products",
    "support",
    "alerts",
]
Day = Annotated[date | None, Query()]


def period_of(start: date | None, end: date | None) -> DateRange:
    """The asked range, or the last 90 days up to today.

    Raises:
        InvalidInput: the end is before the start, or the range is too long.
    """
    end = end or clock.today()
    start = start or end - timedelta(days=DEFAULT_DAYS - 1)
    try:
        return DateRange(start=start, end=end)
    except ValidationError as exc:
        reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise InvalidInput(f"dates: {reason}") from None


def _section(
    session: DbSession, name: str, start: date | None, end: date | None
) -> dict[str, Any]:
    period = period_of(start, end)
    data = as_json(SECTIONS[name](session, period, clock.today()))
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), **data}


@router.get("/{section}")
def section_json(
    section: SectionName,
    session: DbSession,
    _user: CurrentOps,
    start: Day = None,
    end: Day = None,
) -> dict[str, Any]:
    """One section's figures over the range (see `bot.ops_sections`)."""
    return _section(session, section, start, end)


@router.get("/{section}/{table}.csv", response_class=Response)
def section_csv(
    section: SectionName,
    table: str,
    session: DbSession,
    _user: CurrentOps,
    start: Day = None,
    end: Day = None,
) -> Response:
    """One table of a section as CSV (UTF-8 with BOM, so Excel reads accents).

    Raises:
        NotFound: the section has no table of that name.
    """
    data = _section(session, section, start, end)
    tables = tables_of({k: v for k, v in data.items() if k not in ("start", "end")})
    rows = tables.get(table)
    if rows is None:
        raise NotFound(f"no table {table!r} in {section}: {', '.join(sorted(tables))}")
    flat = [flat_row(row) for row in rows]
    columns = list(dict.fromkeys(key for row in flat for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(flat)
    name = f"{section}-{table}-{data['start']}-{data['end']}.csv"
    return Response(
        content="\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/detractors/{response_id}/follow-up")
def follow_up(
    response_id: int,
    request: Request,
    tasks: BackgroundTasks,
    session: DbSession,
    user: CurrentOps,
) -> FollowUpTask:
    """Put a call-back task for this unhappy answer in the agents' queue (once).

    Open consoles are told to fetch their queue once the task is committed
    (background tasks run after the response), as for a live handoff.
    """
    task = create_follow_up(
        session, response_id=response_id, actor=staff_actor(user), now=clock.now()
    )
    if task.created:
        relay: Relay = request.app.state.relay
        tasks.add_task(relay.queue_changed)
    return task
