"""Daily rollups of the logistics figures, and the days they must be redone for.

A dashboard range over a million orders cannot join the parcels, orders
and order lines of a whole year while the page loads (bench/dashboard.py
measured 2 to 9 s). These tables hold the same figures summed per Paris
day, so a range reads a few thousand small rows. They hold counts and
sums only, never rates or averages: a range's rate is the sum of its
days' numerators over the sum of their denominators, exactly the figure
the rows themselves would give.

They are derived data, always rebuilt from the orders, parcels and
returns (`crm.kpis.rollup_build`), never written by a service: a change
to an order marks its days stale (`crm.kpis.rollup_marks`), and the next
figure read rebuilds those days first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Date, Float, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import Base
from crm.returns.models import ReturnReason
from crm.shipping.models import Carrier
from crm.types import enum_column

NO_REGION = ""  # a delivery abroad: no French département


class KpiStaleDay(Base):
    """A Paris day whose rollup rows no longer match the store.

    Marks are only ever added, never merged into an existing row: a
    rebuild removes exactly the marks it read, so a mark written by a
    transaction that commits during the rebuild survives for the next one.
    """

    __tablename__ = "kpi_stale_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)


class DailyDelivery(Base):
    """Orders delivered on one day, per carrier and département.

    One order counts once, on the day its last delivered outbound parcel
    arrived (`crm.kpis.cohorts.deliveries`), with that parcel's carrier.
    `transit_*` cover the delivered parcels that have a shipping time.
    """

    __tablename__ = "kpi_daily_deliveries"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    carrier: Mapped[Carrier] = mapped_column(enum_column(Carrier), primary_key=True)
    region: Mapped[str] = mapped_column(String(3), primary_key=True)
    deliveries: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    transit_count: Mapped[int] = mapped_column(Integer)
    transit_seconds: Mapped[float] = mapped_column(Float)


class LateDelivery(Base):
    """An order delivered after its promised Paris day, on the day it arrived.

    One row per late order (a tenth of them, say): the notices' effect on
    where-is-my-order chats is counted per order, which day sums cannot do.
    """

    __tablename__ = "kpi_late_deliveries"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer, primary_key=True)


class DailyPreparation(Base):
    """Orders whose first parcel left on one day, and their summed preparation."""

    __tablename__ = "kpi_daily_preparation"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    orders: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)


class DailyCost(Base):
    """What carriers charged for the parcels handed over on one day, per carrier.

    `first_orders`: orders whose first outbound parcel left that day with
    this carrier; `carrier_orders`: orders whose first outbound parcel
    with this carrier left that day. Both count an order once however
    many days its parcels span, so a range adds its days up exactly.
    """

    __tablename__ = "kpi_daily_costs"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    carrier: Mapped[Carrier] = mapped_column(enum_column(Carrier), primary_key=True)
    first_orders: Mapped[int] = mapped_column(Integer)
    carrier_orders: Mapped[int] = mapped_column(Integer)
    outbound_cost: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    return_cost: Mapped[Decimal] = mapped_column(Numeric(14, 2))


class DailyProduct(Base):
    """One product's figures on one day, each counted on its own day.

    `delivered_units`: units of the orders delivered that day (the return
    rate's cohort). `placed_lines`, `missing_lines`, `sold_units`: lines
    of orders placed that day, those taken while out of stock, and the
    units of those orders not cancelled. `opened_units`: units in returns
    opened that day, cancelled returns aside (the alerts' return rate).
    """

    __tablename__ = "kpi_daily_products"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivered_units: Mapped[int] = mapped_column(BigInteger)
    placed_lines: Mapped[int] = mapped_column(BigInteger)
    missing_lines: Mapped[int] = mapped_column(BigInteger)
    sold_units: Mapped[int] = mapped_column(BigInteger)
    opened_units: Mapped[int] = mapped_column(BigInteger)


class DailyReturn(Base):
    """Units sent back, by the day their order was delivered, product and reason.

    Returns not cancelled or rejected, whenever they were opened: the
    return rate's numerator counted on its cohort's delivery day.
    """

    __tablename__ = "kpi_daily_returns"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[ReturnReason] = mapped_column(
        enum_column(ReturnReason), primary_key=True
    )
    units: Mapped[int] = mapped_column(BigInteger)


class DailyAnswerCategory(Base):
    """Survey answers submitted on one day, per product category of their order.

    The counts of `crm.kpis.answer_counts`; an answer counts once in each
    category on its order. The category is the product's when the day was
    last rebuilt (a product moved to another category moves its answers).
    """

    __tablename__ = "kpi_daily_answer_categories"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(40), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer)
    csat_answered: Mapped[int] = mapped_column(Integer)
    csat_satisfied: Mapped[int] = mapped_column(Integer)
    nps_answered: Mapped[int] = mapped_column(Integer)
    promoters: Mapped[int] = mapped_column(Integer)
    detractors: Mapped[int] = mapped_column(Integer)
    ces_answered: Mapped[int] = mapped_column(Integer)
    ces_total: Mapped[int] = mapped_column(Integer)
