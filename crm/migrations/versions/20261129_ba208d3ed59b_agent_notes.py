"""agent notes

Private notes agents leave on a conversation in the console (issue 6):
never shown to the customer, so kept out of `messages`. Read per
conversation in time order, hence the composite index.

Revision ID: ba208d3ed59b
Revises: 01891132e536
Create Date: 2026-11-29 16:19:16.166060
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.types

revision: str = "ba208d3ed59b"
down_revision: str | None = "01891132e536"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", crm.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["staff_users.id"],
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("agent_notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agent_notes_conversation_created",
            ["conversation_id", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("agent_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_agent_notes_conversation_created")

    op.drop_table("agent_notes")
