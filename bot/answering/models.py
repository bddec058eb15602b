"""Database tables of answering: questions, feedback on answers, and questions left open."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.models import utc_column


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
