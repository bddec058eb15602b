"""A small krachtteam with check-ins, shared by the check-in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.checkins.models import CheckinSettings
from bot.db import Database
from bot.deadlines.models import Sprint, Team, TeamMember
from bot.people.models import Member

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
THURSDAY = date(2026, 12, 3)
PROMPT = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)  # 09:30 in Amsterdam (CET)
REMINDER = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)  # 15:00, an hour before the summary
SUMMARY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 16:00


def seed(
    db: Database,
    *,
    channel: str = "C1",
    name: str = "Team Noord",
    users: tuple[str, ...] = ("U1", "U2", "U3"),
    supporter: str = "S1",
    enabled: bool = True,
) -> int:
    """Team Noord: Anna (U1), Bram (U2), Chris (U3, English, free on Thursdays) and supporter Sanne (S1)."""
    people = {
        "U1": dict(name="Anna"),
        "U2": dict(name="Bram"),
        "U3": dict(name="Chris", language="en", free_days="thu"),
        "S1": dict(name="Sanne"),
        "S2": dict(name="Sam"),
    }
    with db.session() as s:
        team = Team(name=name, channel=channel, created_at=NOW)
        s.add(team)
        s.flush()
        for user_id in (*users, supporter):
            member = s.exec(Member.__table__.select().where(Member.__table__.c.user_id == user_id)).first()
            if member is None:
                row = Member(user_id=user_id, created_at=NOW, **people.get(user_id, {"name": user_id}))
                s.add(row)
                s.flush()
                member_id = row.id
            else:
                member_id = member.id
            role = "supporter" if user_id == supporter else "member"
            s.add(TeamMember(team_id=team.id, member_id=member_id, role=role))
        s.add(CheckinSettings(team_id=team.id, enabled=enabled, updated_at=NOW))
        s.add(
            Sprint(
                team_id=team.id,
                name="Sprint 1",
                goal="Grondstoffenakkoord",
                start=date(2026, 11, 30),
                end=date(2026, 12, 11),
            )
        )
        return team.id
