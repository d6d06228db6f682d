"""Carrier costs per order for the ops dashboard, outbound and returns apart.

Sums stay in SQL as NUMERIC (read back as `Decimal`): money is never a
float, and a month of shipments is never loaded to be added up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session

from crm.kpis.counts import months, rollup
from crm.kpis.filters import DateRange, on_days
from crm.kpis.local_time import month_of
from crm.kpis.rollup_build import refresh_rollups
from crm.kpis.rollup_models import DailyCost
from crm.kpis.schemas import CENT, CarrierCost, CostPerOrder, LogisticsCost, MonthlyCost
from crm.types import ZERO, Money


def _cost(figures: tuple[Any, ...]) -> CostPerOrder:
    orders, outbound, returned = figures
    return CostPerOrder(
        orders=int(orders or 0),
        outbound_cost=Decimal(outbound or ZERO).quantize(CENT),
        return_cost=Decimal(returned or ZERO).quantize(CENT),
    )


def logistics_cost(session: Session, *, period: DateRange) -> LogisticsCost:
    """What carriers charged per order shipped: overall, by carrier, by month.

    Counts the parcels handed to a carrier in the range (Paris month of
    `shipped_at`), outbound and return parcels apart. The orders are those
    whose first outbound parcel left in the range, so a replacement parcel
    adds to its order's cost, not to the number of orders. By carrier, an
    order counts for each carrier that carried an outbound parcel of it
    (its first with that carrier), and return parcels count for the
    carrier that brought them back; a carrier used only for returns has a
    cost but no orders (per order: None). Return labels never used (no
    `shipped_at`) cost nothing here. Read from the daily rollups.
    """
    refresh_rollups(session)
    rows = (
        select(
            DailyCost.carrier,
            month_of(DailyCost.day).label("month"),
            DailyCost.first_orders,
            DailyCost.carrier_orders,
            DailyCost.outbound_cost,
            DailyCost.return_cost,
        )
        .where(on_days(DailyCost.day, period))
        .cte("shipped_days")
    )
    measures = (
        func.sum(rows.c.first_orders),
        func.sum(rows.c.carrier_orders),
        type_coerce(func.sum(rows.c.outbound_cost), Money),
        type_coerce(func.sum(rows.c.return_cost), Money),
    )
    found = rollup(
        session,
        rows,
        measures=measures,
        keys=(rows.c.carrier, rows.c.month),
    )
    by_carrier, by_month = found.by_key
    nothing = CostPerOrder(orders=0, outbound_cost=ZERO, return_cost=ZERO)
    return LogisticsCost(
        overall=_cost(_first(found.overall)),
        by_carrier=tuple(
            CarrierCost(
                carrier=carrier, cost=_cost(_new_to_carrier(by_carrier[carrier]))
            )
            for carrier in sorted(by_carrier)
        ),
        monthly=tuple(
            MonthlyCost(
                month=month,
                cost=_cost(_first(by_month[month])) if month in by_month else nothing,
            )
            for month in months(period)
        ),
    )


def _first(figures: tuple[Any, ...]) -> tuple[Any, ...]:
    """(orders, outbound, returned) counting each order at its first parcel."""
    first_orders, _, outbound, returned = figures
    return first_orders, outbound, returned


def _new_to_carrier(figures: tuple[Any, ...]) -> tuple[Any, ...]:
    """(orders, outbound, returned) counting orders per carrier."""
    _, carrier_orders, outbound, returned = figures
    return carrier_orders, outbound, returned
