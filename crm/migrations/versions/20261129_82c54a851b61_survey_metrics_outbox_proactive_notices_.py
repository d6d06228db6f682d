"""survey metrics, outbox, proactive notices, conversation topics

Issue 7's tables: the outbox (e-mails written with their cause, sent by a
separate pass), the proactive delay notices, what each conversation was
about (where-is-my-order contacts per 100 orders), and per-answer topics.
Survey answers gain a carrier snapshot and the resolution channel so the
dashboard's breakdowns are GROUP BYs on one table.

Revision ID: 82c54a851b61
Revises: 9a6f801ba802
Create Date: 2026-11-29 19:11:35.103540
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.types

revision: str = "82c54a851b61"
down_revision: str | None = "9a6f801ba802"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_topics",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("first_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("conversation_id", "topic"),
    )
    with op.batch_alter_table("conversation_topics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_topics_topic_first", ["topic", "first_at"], unique=False
        )

    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("created_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", crm.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_try_at", crm.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("delivered_to", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_messages_pending", ["sent_at", "id"], unique=False
        )

    op.create_table(
        "proactive_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("promised_on", sa.Date(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("created_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("emailed_at", crm.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "shown_in_chat_at", crm.types.UTCDateTime(timezone=True), nullable=True
        ),
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
            "order_id", "expected_on", name="uq_proactive_notices_order_day"
        ),
    )
    with op.batch_alter_table("proactive_notices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_proactive_notices_created", ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_proactive_notices_customer_id"),
            ["customer_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_proactive_notices_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "survey_response_topics",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
        ),
        sa.PrimaryKeyConstraint("response_id", "topic"),
    )
    with op.batch_alter_table("survey_response_topics", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_response_topics_topic", ["topic"], unique=False
        )

    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("carrier", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("resolution", sa.String(length=10), nullable=True)
        )
        batch_op.add_column(
            sa.Column("follow_up_handoff_id", sa.Integer(), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_survey_responses_carrier"), ["carrier"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_survey_responses_follow_up_handoff",
            "handoffs",
            ["follow_up_handoff_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_survey_responses_follow_up_handoff", type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_survey_responses_carrier"))
        batch_op.drop_column("follow_up_handoff_id")
        batch_op.drop_column("resolution")
        batch_op.drop_column("carrier")

    with op.batch_alter_table("survey_response_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_response_topics_topic")

    op.drop_table("survey_response_topics")
    with op.batch_alter_table("proactive_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proactive_notices_order_id"))
        batch_op.drop_index(batch_op.f("ix_proactive_notices_customer_id"))
        batch_op.drop_index("ix_proactive_notices_created")

    op.drop_table("proactive_notices")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_pending")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_order_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_customer_id"))

    op.drop_table("outbox_messages")
    with op.batch_alter_table("conversation_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_topics_topic_first")

    op.drop_table("conversation_topics")
