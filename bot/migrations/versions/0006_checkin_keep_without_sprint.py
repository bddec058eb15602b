"""check-ins: keep them after the team's last sprint (otherwise they pause)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add checkin_settings.keep_without_sprint (only adds)."""
    with op.batch_alter_table('checkin_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keep_without_sprint', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    """Remove the column again."""
    with op.batch_alter_table('checkin_settings', schema=None) as batch_op:
        batch_op.drop_column('keep_without_sprint')
