"""Database tables of the core (answering, feedback, event dedupe)."""

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


class Question(SQLModel, table=True):
    """A question someone asked, with what the bot did with it; the asker is a pseudonym."""

    __tablename__ = "questions"
    id: int | None = Field(default=None, primary_key=True)
    asked_at: datetime = Field(sa_column=utc_column(index=True))
    text: str = Field(sa_type=sa.Text)
    language: str = Field(max_length=5)
    entry_id: str | None = Field(default=None, max_length=120, index=True)
    score: float = 0.0
    outcome: str = Field(max_length=16, index=True)
    channel_kind: str = Field(max_length=16)
    asker: str = Field(max_length=64, index=True)


class AnswerFeedback(SQLModel, table=True):
    """Whether an answer helped; one row per question, the latest click wins."""

    __tablename__ = "answer_feedback"
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="questions.id", unique=True, ondelete="CASCADE")
    helpful: bool
    created_at: datetime = Field(sa_column=utc_column())


class UnansweredQuestion(SQLModel, table=True):
    """A question the bot could not answer well, for process supporters to follow up."""

    __tablename__ = "unanswered_questions"
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="questions.id", unique=True, ondelete="CASCADE")
    reason: str = Field(max_length=16)
    status: str = Field(default="open", max_length=16, index=True)
    created_at: datetime = Field(sa_column=utc_column())
    escalated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    escalation_link: str | None = Field(default=None, max_length=500)


class ProcessedEvent(SQLModel, table=True):
    """A platform event id that has been handled, so a redelivery is answered once."""

    __tablename__ = "processed_events"
    event_id: str = Field(primary_key=True, max_length=100)
    received_at: datetime = Field(sa_column=utc_column(index=True))
