"""teams: conversation references (how to reach a member or channel on Teams)

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the teams_references table (only adds)."""
    op.create_table(
        "teams_references",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    """Drop the table again."""
    op.drop_table("teams_references")
