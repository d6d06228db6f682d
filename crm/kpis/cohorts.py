"""Which orders a range counts: delivered, or shipped, in it.

Several KPIs count "orders delivered in the range" or "orders shipped in
the range"; writing each cohort once keeps the figures of one dashboard
consistent with each other (an order delivered twice must not count twice
in one tile and once in the next).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.selectable import Subquery

from crm.kpis.filters import DateRange
from crm.shipping.models import Shipment, ShipmentDirection

OUTBOUND = ShipmentDirection.OUTBOUND


def within(
    column: InstrumentedAttribute[Any] | ColumnElement[Any], period: DateRange
) -> ColumnElement[bool]:
    """`start_utc <= column < end_utc`: the form an index on `column` serves."""
    return and_(column >= period.start_utc, column < period.end_utc)


def deliveries(period: DateRange) -> Subquery:
    """Orders delivered in the range, once each, with the parcel that arrived.

    An order is delivered when its latest delivered outbound parcel is (a
    lost parcel that was replaced arrives with the replacement, as the
    return window in `crm.returns.eligibility` counts it). Columns:
    `shipment_id`, `order_id`, `carrier`, `shipped_at`, `delivered_at`.
    """
    later = aliased(Shipment)
    delivered_later = exists().where(
        later.order_id == Shipment.order_id,
        later.direction == OUTBOUND,
        # Implied by the test below; stated so the planner reads only the
        # parcels delivered since the range started, not every parcel.
        later.delivered_at >= period.start_utc,
        or_(
            later.delivered_at > Shipment.delivered_at,
            and_(later.delivered_at == Shipment.delivered_at, later.id > Shipment.id),
        ),
    )
    return (
        select(
            Shipment.id.label("shipment_id"),
            Shipment.order_id,
            Shipment.carrier,
            Shipment.shipped_at,
            Shipment.delivered_at,
        )
        .where(
            Shipment.direction == OUTBOUND,
            within(Shipment.delivered_at, period),
            ~delivered_later,
        )
        .subquery("deliveries")
    )


def first_shipments(period: DateRange, *, per_carrier: bool = False) -> Subquery:
    """Orders whose first outbound parcel left in the range, once each.

    Preparation ends when the first parcel leaves: a replacement sent weeks
    later says nothing about the warehouse's speed. With `per_carrier`,
    each order's first parcel with each carrier (cost per order by
    carrier). Columns: `order_id`, `carrier`, `shipped_at`.
    """
    earlier = aliased(Shipment)
    shipped_earlier = exists().where(
        earlier.order_id == Shipment.order_id,
        earlier.direction == OUTBOUND,
        earlier.shipped_at.is_not(None),
        earlier.carrier == Shipment.carrier if per_carrier else true(),
        or_(
            earlier.shipped_at < Shipment.shipped_at,
            and_(earlier.shipped_at == Shipment.shipped_at, earlier.id < Shipment.id),
        ),
    )
    return (
        select(Shipment.order_id, Shipment.carrier, Shipment.shipped_at)
        .where(
            Shipment.direction == OUTBOUND,
            within(Shipment.shipped_at, period),
            ~shipped_earlier,
        )
        .subquery("first_shipments")
    )
