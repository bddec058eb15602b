"""address book: per platform, how to reach a member, a team's channel and the support channel; claim ref extras

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.models import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create `addresses`; add claims.ref_extras (only adds)."""
    op.create_table(
        "addresses",
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "kind", "subject"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref_extras", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("ref_extras")
    op.drop_table("addresses")
