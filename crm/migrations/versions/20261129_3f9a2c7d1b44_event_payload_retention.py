"""event payload retention

Inbound events keep a SHA-256 digest of their payload, so that the payload
(customers' names and addresses) can be erased after the retention period
while a retry of the same event id is still recognised
(`crm.events.retention`). Existing rows get their digest when their payload
is erased.

Revision ID: 3f9a2c7d1b44
Revises: 5d0c7b3e9a21
Create Date: 2026-11-29 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f9a2c7d1b44"
down_revision: str | None = "5d0c7b3e9a21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("payload_sha256", sa.String(length=64), nullable=True)
        )
        batch_op.alter_column("payload", existing_type=sa.JSON(), nullable=True)
        batch_op.create_index(
            "ix_inbound_events_received", ["received_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_events_received")
        batch_op.alter_column("payload", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("payload_sha256")
