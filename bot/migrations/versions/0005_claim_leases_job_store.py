"""claim owners and leases, and the scheduler's job store table

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.models

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JOBS_TABLE = 'apscheduler_jobs'


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table('claims') as batch:
        batch.add_column(sa.Column('owner', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('expires_at', bot.models.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('takeovers', sa.Integer(), server_default='0', nullable=False))
        batch.create_index('ix_claims_status_expires_at', ['status', 'expires_at'], unique=False)
    # APScheduler's SQLAlchemyJobStore table (its own layout); older installs made it at start already.
    if JOBS_TABLE not in sa.inspect(op.get_bind()).get_table_names():
        op.create_table(
            JOBS_TABLE,
            sa.Column('id', sa.Unicode(length=191), nullable=False),
            sa.Column('next_run_time', sa.Float(precision=25), nullable=True),
            sa.Column('job_state', sa.LargeBinary(), nullable=False),
            sa.PrimaryKeyConstraint('id'),
        )
        op.create_index('ix_apscheduler_jobs_next_run_time', JOBS_TABLE, ['next_run_time'], unique=False)


def downgrade() -> None:
    """Revert this migration (the job store table stays: it may predate the migration)."""
    with op.batch_alter_table('claims') as batch:
        batch.drop_index('ix_claims_status_expires_at')
        batch.drop_column('takeovers')
        batch.drop_column('expires_at')
        batch.drop_column('owner')
