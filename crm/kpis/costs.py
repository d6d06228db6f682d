"""Carrier costs per order for the ops dashboard, outbound and returns apart.

Sums stay in SQL as NUMERIC (read back as `Decimal`): money is never a
float, and a month of shipments is never loaded to be added up.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.orm import Session

from crm.kpis.cohorts import within
from crm.kpis.counts import months, rollup
from crm.kpis.filters import DateRange
from crm.kpis.local_time import local_month
from crm.kpis.schemas import CENT, CarrierCost, CostPerOrder, LogisticsCost, MonthlyCost
from crm.shipping.models import Shipment, ShipmentDirection
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
    `shipped_at`), outbound and return parcels apart; the orders are the
    distinct orders with an outbound parcel among them, so a replacement
    parcel adds to its order's cost, not to the number of orders. By
    carrier, return parcels count for the carrier that brought them back;
    a carrier used only for returns has a cost but no orders (per order:
    None). Return labels never used (no `shipped_at`) cost nothing here.
    """
    outbound = Shipment.direction == ShipmentDirection.OUTBOUND
    rows = (
        select(
            Shipment.carrier,
            local_month(Shipment.shipped_at).label("month"),
            case((outbound, Shipment.order_id)).label("order_id"),
            case((outbound, Shipment.carrier_cost), else_=0).label("outbound"),
            case((~outbound, Shipment.carrier_cost), else_=0).label("returned"),
        )
        .where(within(Shipment.shipped_at, period))
        .cte("shipped_parcels")
    )
    found = rollup(
        session,
        rows,
        measures=(
            func.count(func.distinct(rows.c.order_id)),
            type_coerce(func.sum(rows.c.outbound), Money),
            type_coerce(func.sum(rows.c.returned), Money),
        ),
        keys=(rows.c.carrier, rows.c.month),
    )
    by_carrier, by_month = found.by_key
    nothing = CostPerOrder(orders=0, outbound_cost=ZERO, return_cost=ZERO)
    return LogisticsCost(
        overall=_cost(found.overall),
        by_carrier=tuple(
            CarrierCost(carrier=carrier, cost=_cost(by_carrier[carrier]))
            for carrier in sorted(by_carrier)
        ),
        monthly=tuple(
            MonthlyCost(
                month=month,
                cost=_cost(by_month[month]) if month in by_month else nothing,
            )
            for month in months(period)
        ),
    )
