"""ids of any chat platform: widen user, channel, conversation and message id columns; members get an e-mail

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = 255  # Teams ids (29:1a2b…), Entra object ids (GUIDs) and conversation ids are far longer than Slack's
KEY = 400  # claim and delivery keys embed ids
WIDENED = {
    "claims": {
        "subject": (40, ID, False),
        "ref_channel": (40, ID, True),
        "ref_ts": (40, ID, True),
        "key": (200, KEY, False),
    },
    "delivery_failures": {"key": (200, KEY, False)},
    "members": {"user_id": (40, ID, False)},
    "teams": {"channel": (40, ID, False)},
    "deadlines": {"done_by": (40, ID, True)},
    "checkin_rounds": {"summary_channel": (40, ID, True), "summary_ts": (40, ID, True)},
    "checkin_answers": {"user_id": (40, ID, False), "picked_by": (40, ID, True), "thread_ts": (40, ID, True)},
    "checkin_conversations": {"user_id": (40, ID, False)},
}


def _alter(grow: bool) -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, (old, new, nullable) in columns.items():
                before, after = (old, new) if grow else (new, old)
                batch_op.alter_column(
                    column,
                    existing_type=sqlmodel.sql.sqltypes.AutoString(length=before),
                    type_=sqlmodel.sql.sqltypes.AutoString(length=after),
                    existing_nullable=nullable,
                )


def upgrade() -> None:
    """Widen the id columns and add members.email (only widens and adds)."""
    _alter(grow=True)
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=ID), nullable=True))
        batch_op.create_index(batch_op.f("ix_members_email"), ["email"], unique=False)


def downgrade() -> None:
    """Narrow the columns again (ids longer than 40 characters must be gone first) and drop members.email."""
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_members_email"))
        batch_op.drop_column("email")
    _alter(grow=False)
