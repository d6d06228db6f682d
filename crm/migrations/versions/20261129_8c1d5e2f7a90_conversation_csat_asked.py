"""conversation csat asked

When the end-of-chat rating was asked, per conversation: the hub asked it
once per chat from an in-memory set, lost on restart and growing with every
chat; the store now says it, for every hub process.

Revision ID: 8c1d5e2f7a90
Revises: 3f9a2c7d1b44
Create Date: 2026-11-29 23:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.types

revision: str = "8c1d5e2f7a90"
down_revision: str | None = "3f9a2c7d1b44"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "csat_asked_at", crm.types.UTCDateTime(timezone=True), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("csat_asked_at")
