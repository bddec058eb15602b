"""Shared database pieces: the naming convention, UTC timestamps, and the event-dedupe table."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and always returned as an aware UTC datetime."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Convert aware values to naive UTC before storing."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Attach UTC to values read back."""
        return None if value is None else value.replace(tzinfo=UTC)


def utc_column(*, index: bool = False, nullable: bool = False) -> sa.Column:
    """A UTC timestamp column."""
    return sa.Column(UTCDateTime(), index=index, nullable=nullable)


class ProcessedEvent(SQLModel, table=True):
    """A platform event id that has been handled, so a redelivery is answered once."""

    __tablename__ = "processed_events"
    event_id: str = Field(primary_key=True, max_length=100)
    received_at: datetime = Field(sa_column=utc_column(index=True))
