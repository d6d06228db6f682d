"""kpi daily rollups

The dashboard's logistics, product and alert figures read per-day sums
(`crm.kpis.rollup_models`) instead of joining a year of parcels, orders
and order lines on every call. The tables start empty with every day of
the store's history marked stale: the next figure read (or the hub's
background pass) rebuilds them from the orders.

Revision ID: 5d0c7b3e9a21
Revises: e6de9ab47af1
Create Date: 2026-11-29 22:40:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "5d0c7b3e9a21"
down_revision: str | None = "e6de9ab47af1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARIS = ZoneInfo("Europe/Paris")


def upgrade() -> None:
    op.create_table(
        "kpi_stale_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "kpi_daily_deliveries",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("carrier", sa.String(length=21), nullable=False),
        sa.Column("region", sa.String(length=3), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("transit_count", sa.Integer(), nullable=False),
        sa.Column("transit_seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("day", "carrier", "region"),
    )
    op.create_table(
        "kpi_late_deliveries",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "order_id"),
    )
    op.create_table(
        "kpi_daily_preparation",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "kpi_daily_costs",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("carrier", sa.String(length=21), nullable=False),
        sa.Column("first_orders", sa.Integer(), nullable=False),
        sa.Column("carrier_orders", sa.Integer(), nullable=False),
        sa.Column("outbound_cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("return_cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("day", "carrier"),
    )
    op.create_table(
        "kpi_daily_products",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("delivered_units", sa.BigInteger(), nullable=False),
        sa.Column("placed_lines", sa.BigInteger(), nullable=False),
        sa.Column("missing_lines", sa.BigInteger(), nullable=False),
        sa.Column("sold_units", sa.BigInteger(), nullable=False),
        sa.Column("opened_units", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "product_id"),
    )
    op.create_table(
        "kpi_daily_returns",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("day", "product_id", "reason"),
    )
    op.create_table(
        "kpi_daily_answer_categories",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "answers",
                "csat_answered",
                "csat_satisfied",
                "nps_answered",
                "promoters",
                "detractors",
                "ces_answered",
                "ces_total",
            )
        ),
        sa.PrimaryKeyConstraint("day", "category"),
    )
    _mark_history_stale()


def _paris_day(moment: datetime | str) -> date:
    if isinstance(moment, str):  # SQLite hands back text
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(PARIS).date()


def _mark_history_stale() -> None:
    """Every day from the first order to the last parcel or return: stale."""
    bind = op.get_bind()
    first = bind.execute(sa.text("SELECT min(placed_at) FROM orders")).scalar()
    if first is None:
        return
    lasts = [
        bind.execute(sa.text(f"SELECT max({column}) FROM {table}")).scalar()
        for table, column in (
            ("orders", "placed_at"),
            ("shipments", "shipped_at"),
            ("shipments", "delivered_at"),
            ("returns", "created_at"),
            ("survey_responses", "submitted_at"),
        )
    ]
    start = _paris_day(first)
    end = max(_paris_day(moment) for moment in lasts if moment is not None)
    days = [{"day": start + timedelta(days=n)} for n in range((end - start).days + 1)]
    stale = sa.table("kpi_stale_days", sa.column("day", sa.Date()))
    op.bulk_insert(stale, days)


def downgrade() -> None:
    for table in (
        "kpi_daily_answer_categories",
        "kpi_daily_returns",
        "kpi_daily_products",
        "kpi_daily_costs",
        "kpi_daily_preparation",
        "kpi_late_deliveries",
        "kpi_daily_deliveries",
        "kpi_stale_days",
    ):
        op.drop_table(table)
