"""inbound events

The order events the shop's systems and the carriers send (issue 7,
`POST /api/v1/events`), one row per applied event under the shop's own id:
the unique `event_id` makes a retried event change the store once.
`past_promise` marks the event that put an order past its promised date,
read by time for the proactive delay notices, hence the composite index.

Revision ID: 9a6f801ba802
Revises: ba208d3ed59b
Create Date: 2026-11-29 17:32:08.307259
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.types

revision: str = "9a6f801ba802"
down_revision: str | None = "ba208d3ed59b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=23), nullable=False),
        sa.Column("occurred_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("applied_at", crm.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=False),
        sa.Column("past_promise", sa.Boolean(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbound_events_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            "ix_inbound_events_past_promise_received",
            ["past_promise", "received_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_events_past_promise_received")
        batch_op.drop_index(batch_op.f("ix_inbound_events_order_id"))

    op.drop_table("inbound_events")
