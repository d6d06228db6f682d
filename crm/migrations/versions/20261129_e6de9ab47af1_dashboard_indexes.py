"""dashboard indexes

The ops dashboard aggregates in SQL over a million orders (bench/dashboard.py):
covering indexes let PostgreSQL answer from the index alone for parcels by
delivery or shipping time, an order's parcels, order lines by order, sent
invitations, handoffs by request time and the orders a chat was about. The
covering ones replace the single-column indexes on `order_id`.

Revision ID: e6de9ab47af1
Revises: 82c54a851b61
Create Date: 2026-11-29 20:23:00.879645
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e6de9ab47af1"
down_revision: str | None = "82c54a851b61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversation_topics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_topics_order",
            ["order_id", "topic", "first_at"],
            unique=False,
        )

    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.create_index("ix_handoffs_requested", ["requested_at"], unique=False)

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_order_id"))
        batch_op.create_index(
            "ix_order_lines_order_product",
            ["order_id", "product_id", "quantity", "in_stock_at_order"],
            unique=False,
        )

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipments_order_id"))
        batch_op.create_index(
            "ix_shipments_delivered",
            ["delivered_at", "direction", "order_id", "carrier", "shipped_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_shipments_order_direction",
            ["order_id", "direction", "shipped_at", "delivered_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_shipments_shipped",
            ["shipped_at", "direction", "order_id", "carrier", "carrier_cost"],
            unique=False,
        )

    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_invitations_sent_at"), ["sent_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_invitations_sent_at"))

    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_shipped")
        batch_op.drop_index("ix_shipments_order_direction")
        batch_op.drop_index("ix_shipments_delivered")
        batch_op.create_index(
            batch_op.f("ix_shipments_order_id"), ["order_id"], unique=False
        )

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_order_lines_order_product")
        batch_op.create_index(
            batch_op.f("ix_order_lines_order_id"), ["order_id"], unique=False
        )

    with op.batch_alter_table("handoffs", schema=None) as batch_op:
        batch_op.drop_index("ix_handoffs_requested")

    with op.batch_alter_table("conversation_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_topics_order")
