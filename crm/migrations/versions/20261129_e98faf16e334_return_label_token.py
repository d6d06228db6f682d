"""return label token

The secret of each return's label link (`/returns/label/<token>.pdf`). NULL
for returns opened before links existed: nothing can be downloaded for them.

Revision ID: e98faf16e334
Revises: 0e6e154fc419
Create Date: 2026-11-29 13:50:56.787295
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e98faf16e334"
down_revision: str | None = "0e6e154fc419"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("label_token", sa.String(length=64), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_returns_label_token"), ["label_token"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_label_token"))
        batch_op.drop_column("label_token")
