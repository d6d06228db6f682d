"""problem reports

What customers report about a delivered order (damaged, missing, wrong or
faulty item, parcel not received) and what the store did: a free-label
return (`return_id`) or a handoff to a person. `order_line_id` and
`quantity` are NULL for a parcel not received (the whole order).

Revision ID: 353695d34dd4
Revises: e98faf16e334
Create Date: 2026-11-29 14:14:47.658537
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.types

revision: str = "353695d34dd4"
down_revision: str | None = "e98faf16e334"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "problem_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("outcome", sa.String(length=21), nullable=False),
        sa.Column("reason", sa.String(length=31), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("created_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("problem_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_problem_reports_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_problem_reports_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_problem_reports_order_line_id"),
            ["order_line_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("problem_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_problem_reports_order_line_id"))
        batch_op.drop_index(batch_op.f("ix_problem_reports_order_id"))
        batch_op.drop_index(batch_op.f("ix_problem_reports_created_at"))

    op.drop_table("problem_reports")
