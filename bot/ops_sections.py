"""The dashboard's sections: which `crm.kpis` figures each one gathers.

Each section is one HTTP call of the dashboard (`/ops/api/<section>`) and
one line of `bench/dashboard.py`; its lists are the tables the page shows
and exports as CSV. The figures themselves are computed in `crm.kpis`, in
SQL; this module only groups them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

from pydantic import BaseModel
from sqlalchemy.orm import Session

from crm.kpis.alerts import ops_alerts
from crm.kpis.costs import logistics_cost
from crm.kpis.filters import DateRange
from crm.kpis.follow_up import detractors
from crm.kpis.logistics import delivery_time, on_time_delivery, preparation_time
from crm.kpis.products import return_rate, stock_out_rate
from crm.kpis.satisfaction import (
    satisfaction_by_carrier,
    satisfaction_by_category,
    satisfaction_by_channel,
    satisfaction_by_language,
    satisfaction_overview,
    topic_stats,
    weekly_satisfaction,
)
from crm.kpis.support import (
    containment,
    first_response_time,
    notice_effect,
    where_is_my_order_contacts,
)

Section = Callable[[Session, DateRange, date], dict[str, Any]]


def _satisfaction(session: Session, period: DateRange, _today: date) -> dict[str, Any]:
    return {
        "overview": satisfaction_overview(session, period=period),
        "weekly": weekly_satisfaction(session, period=period),
    }


def _breakdowns(session: Session, period: DateRange, _today: date) -> dict[str, Any]:
    return {
        "by_carrier": satisfaction_by_carrier(session, period=period),
        "by_category": satisfaction_by_category(session, period=period),
        "by_language": satisfaction_by_language(session, period=period),
        "by_channel": satisfaction_by_channel(session, period=period),
    }


def _topics(session: Session, period: DateRange, _today: date) -> dict[str, Any]:
    return {"topics": topic_stats(session, period=period)}


def _detractors(session: Session, period: DateRange, _today: date) -> dict[str, Any]:
    return {"detractors": detractors(session, period=period, limit=50)}


def _logistics(session: Session, period: DateRange, _today: date) -> dict[str, Any]:
    return {
        "on_time": on_time_delivery(session, period=period),
        "preparation": preparation_time(session, period=period),
        "delivery_time": delivery_time(session, period=period),
        "costs": logistics_cost(session, period=period),
    }


def _products(session: Session, period: DateRange, _today: date) -> dict[str, Any]:
    return {
        "returns": return_rate(session, period=period),
        "stock_outs": stock_out_rate(session, period=period),
    }


def _support(session: Session, period: DateRange, _today: date) -> dict[str, Any]:
    return {
        "containment": containment(session, period=period),
        "where_is_my_order": where_is_my_order_contacts(session, period=period),
        "first_response": first_response_time(session, period=period),
        "notice_effect": notice_effect(session, period=period),
    }


def _alerts(session: Session, _period: DateRange, today: date) -> dict[str, Any]:
    return {"alerts": ops_alerts(session, today=today)}


SECTIONS: Final[dict[str, Section]] = {
    "satisfaction": _satisfaction,
    "breakdowns": _breakdowns,
    "topics": _topics,
    "detractors": _detractors,
    "logistics": _logistics,
    "products": _products,
    "support": _support,
    "alerts": _alerts,
}


def as_json(value: Any) -> Any:
    """Pydantic models and lists of them as plain JSON values."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    return value


def tables_of(data: Any, prefix: str = "") -> dict[str, list[dict[str, Any]]]:
    """Every list of records inside a section's JSON, named by its path.

    `logistics` gives `on_time.by_carrier`, `on_time.weekly`, `costs.monthly`…:
    the tables the page shows, each exportable as CSV.
    """
    found: dict[str, list[dict[str, Any]]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            found.update(tables_of(value, f"{prefix}{key}."))
    elif isinstance(data, list) and all(isinstance(item, dict) for item in data):
        found[prefix.rstrip(".")] = data
    return found


def flat_row(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One CSV row: nested values as dotted columns, inner lists as "a: 1; b: 2"."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(flat_row(value, f"{name}."))
        elif isinstance(value, list):
            row[name] = "; ".join(
                ", ".join(f"{k}: {v}" for k, v in flat_row(item).items())
                if isinstance(item, dict)
                else str(item)
                for item in value
            )
        else:
            row[name] = value
    return row
