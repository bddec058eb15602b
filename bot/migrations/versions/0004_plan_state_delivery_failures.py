"""plan state version and delivery failures

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.models

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    plan_state = op.create_table(
        'plan_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_state')),
    )
    op.bulk_insert(plan_state, [{'id': 1, 'version': 0}])
    op.create_table(
        'delivery_failures',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_at', bot.models.UTCDateTime(), nullable=False),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_delivery_failures')),
    )
    with op.batch_alter_table('delivery_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_failures_next_at'), ['next_at'], unique=False)
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index('ix_claims_subject_day_kind', ['subject', 'local_day', 'kind'], unique=False)


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_subject_day_kind')
    with op.batch_alter_table('delivery_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_failures_next_at'))
    op.drop_table('delivery_failures')
    op.drop_table('plan_state')
