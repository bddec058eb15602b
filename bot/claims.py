"""Exactly-once claims: one row per message that may be sent once, across workers and restarts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.ids import ID_MAX, KEY_MAX
from bot.models import utc_column


class Claim(SQLModel, table=True):
    """An exactly-once key: whoever inserts it first may perform the side effect it names.

    A `claimed` claim is leased to its owner until `expires_at`; after that any live process may take it over.
    """

    __tablename__ = "claims"
    __table_args__ = (
        sa.Index("ix_claims_subject_day_kind", "subject", "local_day", "kind"),
        sa.Index("ix_claims_status_expires_at", "status", "expires_at"),
    )
    key: str = Field(primary_key=True, max_length=KEY_MAX)
    kind: str = Field(default="", max_length=30, index=True)
    subject: str = Field(default="", max_length=ID_MAX, index=True)  # e.g. the member's platform id
    local_day: date | None = Field(default=None, index=True)  # the subject's local day, for daily caps
    status: str = Field(default="claimed", max_length=10)  # claimed | sent | skipped | failed
    created_at: datetime = Field(sa_column=utc_column(index=True))
    ref_channel: str | None = Field(default=None, max_length=ID_MAX)
    ref_ts: str | None = Field(default=None, max_length=ID_MAX)
    owner: str | None = Field(default=None, max_length=64)  # the process that holds a `claimed` claim
    expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))  # end of its lease
    takeovers: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # > 0: taken over from a dead owner
