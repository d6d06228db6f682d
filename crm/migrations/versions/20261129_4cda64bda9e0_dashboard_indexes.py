"""dashboard indexes

The ops dashboard aggregates in SQL over a million orders within half a
second (bench/dashboard.py): parcels by delivery time, invitations by the
day they were sent, and order lines covered by (order, product, quantity,
in stock) so per-category and per-product figures never visit the table.
The covering index replaces the single-column one on `order_id`.

Revision ID: 4cda64bda9e0
Revises: 82c54a851b61
Create Date: 2026-11-29 20:12:28.201385
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4cda64bda9e0"
down_revision: str | None = "82c54a851b61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_order_id"))
        batch_op.create_index(
            "ix_order_lines_order_product",
            ["order_id", "product_id", "quantity", "in_stock_at_order"],
            unique=False,
        )

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index("ix_shipments_delivered", ["delivered_at"], unique=False)

    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_sent_at"), ["sent_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_invitations_sent_at"))

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_delivered")

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_order_lines_order_product")
        batch_op.create_index(
            batch_op.f("ix_order_lines_order_id"), ["order_id"], unique=False
        )
