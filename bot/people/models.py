"""Tables for people: members with their own time zone and working calendar, and time away."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from bot.ids import ID_MAX
from bot.models import utc_column

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WORKING_DAYS = "mon,tue,wed,thu,fri"


class Member(SQLModel, table=True):
    """A person on the chat platform, with their own time zone and working calendar."""

    __tablename__ = "members"
    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=ID_MAX, unique=True)
    email: str | None = Field(default=None, max_length=ID_MAX, index=True)  # finds the member on any platform
    name: str = Field(default="", max_length=120)
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    language: str = Field(default="nl", max_length=5)
    working_days: str = Field(default=DEFAULT_WORKING_DAYS, max_length=40)  # comma-separated mon..sun
    free_days: str = Field(default="", max_length=40)  # recurring free weekdays, e.g. "fri"
    created_at: datetime = Field(sa_column=utc_column())


class OutOfOffice(SQLModel, table=True):
    """A period (inclusive dates, member's local calendar) in which a member is away."""

    __tablename__ = "out_of_office"
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True, ondelete="CASCADE")
    start: date
    end: date
