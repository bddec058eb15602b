"""Tables for krachtteams: teams, membership, sprints, deadlines, snoozes, the plan state and delivery failures."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.ids import ID_MAX, KEY_MAX
from bot.models import utc_column


class Team(SQLModel, table=True):
    """A krachtteam: a small cross-organisation team working in sprints."""

    __tablename__ = "teams"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    channel: str = Field(default="", max_length=ID_MAX)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    nudge_offsets: str = Field(default="", max_length=40)  # "3,1,0" working days; empty = NUDGE_OFFSETS
    created_at: datetime = Field(sa_column=utc_column())


class TeamMember(SQLModel, table=True):
    """Membership of a team; role `member` or `supporter` (procesbegeleider)."""

    __tablename__ = "team_members"
    __table_args__ = (sa.UniqueConstraint("team_id", "member_id", "role", name="uq_team_members_team_member_role"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")
    role: str = Field(default="member", max_length=16)


class Sprint(SQLModel, table=True):
    """A sprint of a team, with a goal and inclusive start and end dates."""

    __tablename__ = "sprints"
    __table_args__ = (sa.UniqueConstraint("team_id", "name", name="uq_sprints_team_name"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    goal: str = Field(default="", sa_type=sa.Text)
    start: date
    end: date


class Deadline(SQLModel, table=True):
    """Something due in a sprint; owned by named members or by the whole team."""

    __tablename__ = "deadlines"
    __table_args__ = (sa.UniqueConstraint("sprint_id", "title", name="uq_deadlines_sprint_title"),)
    id: int | None = Field(default=None, primary_key=True)
    sprint_id: int = Field(foreign_key="sprints.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    due_at: datetime = Field(sa_column=utc_column(index=True))
    whole_team: bool = False
    status: str = Field(default="open", max_length=8, index=True)  # open | done
    done_by: str | None = Field(default=None, max_length=ID_MAX)
    done_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    updated_at: datetime = Field(sa_column=utc_column())


class DeadlineOwner(SQLModel, table=True):
    """A named owner of a deadline."""

    __tablename__ = "deadline_owners"
    __table_args__ = (sa.UniqueConstraint("deadline_id", "member_id", name="uq_deadline_owners_deadline_member"),)
    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadlines.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")


class Snooze(SQLModel, table=True):
    """An extra nudge a member asked for ("Herinner me morgen")."""

    __tablename__ = "snoozes"
    id: int | None = Field(default=None, primary_key=True)
    deadline_id: int = Field(foreign_key="deadlines.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")
    send_at: datetime = Field(sa_column=utc_column(index=True))
    created_at: datetime = Field(sa_column=utc_column())


class PlanState(SQLModel, table=True):
    """One row whose `version` goes up in every transaction that changes what the nudge plan is made of."""

    __tablename__ = "plan_state"
    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class DeliveryFailure(SQLModel, table=True):
    """Consecutive failed deliveries of one nudge key, and when it may be tried again (back-off)."""

    __tablename__ = "delivery_failures"
    key: str = Field(primary_key=True, max_length=KEY_MAX)
    attempts: int = 0
    next_at: datetime = Field(sa_column=utc_column(index=True))
    last_error: str = Field(default="", max_length=80)
