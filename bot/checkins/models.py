"""Tables for stand-up check-ins: per-team settings, rounds, answers and DM conversations."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.ids import ID_MAX
from bot.models import utc_column


class CheckinSettings(SQLModel, table=True):
    """A team's check-in schedule and questions; empty questions mean the default questions."""

    __tablename__ = "checkin_settings"
    team_id: int = Field(foreign_key="teams.id", primary_key=True, ondelete="CASCADE")
    enabled: bool = True
    days: str = Field(default="mon,thu", max_length=40)
    time: str = Field(default="09:30", max_length=5)
    summary_time: str = Field(default="16:00", max_length=5)
    questions: str = Field(default="", sa_type=sa.Text)  # JSON list of {kind, nl, en}; "" = defaults
    keep_without_sprint: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    updated_at: datetime = Field(sa_column=utc_column())


class CheckinRound(SQLModel, table=True):
    """One check-in of a team on one local date; keeps aggregates after answers expire."""

    __tablename__ = "checkin_rounds"
    __table_args__ = (sa.UniqueConstraint("team_id", "local_date", name="uq_checkin_rounds_team_date"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True, ondelete="CASCADE")
    local_date: date = Field(index=True)
    sprint_id: int | None = Field(default=None, foreign_key="sprints.id", ondelete="SET NULL")
    questions: str = Field(default="", sa_type=sa.Text)  # JSON snapshot of the questions of this round
    summary_at: datetime = Field(sa_column=utc_column(index=True))
    summary_channel: str | None = Field(default=None, max_length=ID_MAX)
    summary_ts: str | None = Field(default=None, max_length=ID_MAX)
    expected: int = 0
    answered: int = 0
    confidence_sum: int = 0
    confidence_count: int = 0
    blockers: int = 0
    created_at: datetime = Field(sa_column=utc_column())


class CheckinAnswer(SQLModel, table=True):
    """A member's part in a round: prompted, answered, skipped, off or later; answers as JSON."""

    __tablename__ = "checkin_answers"
    __table_args__ = (sa.UniqueConstraint("round_id", "member_id", name="uq_checkin_answers_round_member"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="checkin_rounds.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")
    user_id: str = Field(max_length=ID_MAX, index=True)
    status: str = Field(default="prompted", max_length=10, index=True)  # prompted|later|answered|skipped|off
    prompted_at: datetime = Field(sa_column=utc_column())
    later_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    answers: str = Field(default="", sa_type=sa.Text)  # JSON list of strings, one per question
    confidence: int | None = None
    blocker: str | None = Field(default=None, sa_type=sa.Text)
    blocker_status: str | None = Field(default=None, max_length=10)  # open | picked
    picked_by: str | None = Field(default=None, max_length=ID_MAX)
    picked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    submitted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True, index=True))
    late: bool = False
    version: int = 0
    posted_version: int = 0
    thread_ts: str | None = Field(default=None, max_length=ID_MAX)


class CheckinConversation(SQLModel, table=True):
    """A member answering in the DM one question at a time: which round and which question is next."""

    __tablename__ = "checkin_conversations"
    user_id: str = Field(primary_key=True, max_length=ID_MAX)
    round_id: int = Field(foreign_key="checkin_rounds.id", ondelete="CASCADE")
    step: int = 0
    draft: str = Field(default="[]", sa_type=sa.Text)
    updated_at: datetime = Field(sa_column=utc_column())
