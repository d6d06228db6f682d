"""The counts every satisfaction figure is computed from, as SQL aggregates.

Shared by the live queries over `survey_responses` (`crm.kpis.satisfaction`)
and the daily rollup per product category (`crm.kpis.rollup_build`), so
that "satisfied" and "detractor" mean the same in both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, func

from crm.kpis.counts import count_if

CSAT_SATISFIED = 4  # 4 and 5 out of 5 are "satisfied"
CSAT_UNHAPPY = 2  # 1 and 2 out of 5 make an answer negative
NPS_PROMOTER = 9  # 9 and 10
NPS_DETRACTOR = 6  # 0 to 6


def answer_aggregates(
    answer_id: SQLColumnExpression[Any],
    csat: SQLColumnExpression[int | None],
    nps: SQLColumnExpression[int | None],
    ces: SQLColumnExpression[int | None],
) -> tuple[ColumnElement[Any], ...]:
    """The columns every figure is computed from, in `_figures`' order."""
    return (
        func.count(answer_id).label("answers"),
        func.count(csat).label("csat_answered"),
        count_if(csat >= CSAT_SATISFIED).label("csat_satisfied"),
        func.count(nps).label("nps_answered"),
        count_if(nps >= NPS_PROMOTER).label("promoters"),
        count_if(nps <= NPS_DETRACTOR).label("detractors"),
        func.count(ces).label("ces_answered"),
        func.coalesce(func.sum(ces), 0).label("ces_total"),
    )


AGGREGATE_NAMES = (
    "answers",
    "csat_answered",
    "csat_satisfied",
    "nps_answered",
    "promoters",
    "detractors",
    "ces_answered",
    "ces_total",
)
