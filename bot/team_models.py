"""Tables for krachtteams: teams, members, membership, sprints, deadlines, snoozes and exactly-once claims."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from bot.models import utc_column

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WORKING_DAYS = "mon,tue,wed,thu,fri"


class Team(SQLModel, table=True):
    """A krachtteam: a small cross-organisation team working in sprints."""

    __tablename__ = "teams"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    channel: str = Field(default="", max_length=40)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    nudge_offsets: str = Field(default="", max_length=40)  # "3,1,0" working days; empty = NUDGE_OFFSETS
    created_at: datetime = Field(sa_column=utc_column())


class Member(SQLModel, table=True):
    """A person on the chat platform, with their own time zone and working calendar."""

    __tablename__ = "members"
    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=40, unique=True)
    name: str = Field(default="", max_length=120)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    language: str = Field(default="nl", max_length=5)
    working_days: str = Field(default=DEFAULT_WORKING_DAYS, max_length=40)  # comma-separated mon..sun
    free_days: str = Field(default="", max_length=40)  # recurring free weekdays, e.g. "fri"
    created_at: datetime = Field(sa_column=utc_column())


class TeamMember(SQLModel, table=True):
    """Membership of a team; role `member` or `supporter` (procesbegeleider)."""

    __tablename__ = "team_members"
    __table_args__ = (sa.UniqueConstraint("team_id", "member_id", "role", name="uq_team_members_team_member_role"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")
    role: str = Field(default="member", max_length=16)


class OutOfOffice(SQLModel, table=True):
    """A period (inclusive dates, member's local calendar) in which a member is away."""

    __tablename__ = "out_of_office"
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")
    start: date
    end: date


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
    done_by: str | None = Field(default=None, max_length=40)
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


class Claim(SQLModel, table=True):
    """An exactly-once key: whoever inserts it first may perform the side effect it names.

    A `claimed` claim is leased to its owner until `expires_at`; after that any live process may take it over.
    """

    __tablename__ = "claims"
    __table_args__ = (
        sa.Index("ix_claims_subject_day_kind", "subject", "local_day", "kind"),
        sa.Index("ix_claims_status_expires_at", "status", "expires_at"),
    )
    key: str = Field(primary_key=True, max_length=200)
    kind: str = Field(default="", max_length=30, index=True)
    subject: str = Field(default="", max_length=40, index=True)  # e.g. the member's platform id
    local_day: date | None = Field(default=None, index=True)  # the subject's local day, for daily caps
    status: str = Field(default="claimed", max_length=10)  # claimed | sent | skipped | failed
    created_at: datetime = Field(sa_column=utc_column(index=True))
    ref_channel: str | None = Field(default=None, max_length=40)
    ref_ts: str | None = Field(default=None, max_length=40)
    owner: str | None = Field(default=None, max_length=64)  # the process that holds a `claimed` claim
    expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))  # end of its lease
    takeovers: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # > 0: taken over from a dead owner


class PlanState(SQLModel, table=True):
    """One row whose `version` goes up in every transaction that changes what the nudge plan is made of."""

    __tablename__ = "plan_state"
    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class DeliveryFailure(SQLModel, table=True):
    """Consecutive failed deliveries of one nudge key, and when it may be tried again (back-off)."""

    __tablename__ = "delivery_failures"
    key: str = Field(primary_key=True, max_length=200)
    attempts: int = 0
    next_at: datetime = Field(sa_column=utc_column(index=True))
    last_error: str = Field(default="", max_length=80)
