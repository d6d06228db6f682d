"""delay notices

Customers' "tell me when my parcel moves" requests (issue 4), which the
proactive delay notices send (issue 7). One per order and channel; a NULL
`notified_at` is a request still waiting for its notice.

Revision ID: 01891132e536
Revises: 353695d34dd4
Create Date: 2026-11-29 14:50:38.220823
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.types

revision: str = "01891132e536"
down_revision: str | None = "353695d34dd4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delay_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=13), nullable=False),
        sa.Column("created_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("notified_at", crm.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "order_id", "channel", name="uq_delay_notices_order_channel"
        ),
    )
    with op.batch_alter_table("delay_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delay_notices_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delay_notices_notified_at"), ["notified_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("delay_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delay_notices_notified_at"))
        batch_op.drop_index(batch_op.f("ix_delay_notices_customer_id"))

    op.drop_table("delay_notices")
