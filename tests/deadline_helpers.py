"""Helpers to set up teams, members and deadlines in tests."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from bot.config import Settings
from bot.db import Database
from bot.deadlines import deadlines as dl
from bot.deadlines import teams as team_svc
from bot.deadlines.models import Team
from bot.people.models import OutOfOffice


def make_core(settings: Settings, db: Database, clock, messenger) -> SimpleNamespace:  # noqa: ANN001
    """The parts of Core the nudge sweep needs."""
    return SimpleNamespace(settings=settings, db=db, clock=clock, messenger=messenger)


def setup_team(
    db: Database,
    now: datetime,
    members: list[dict],
    *,
    supporters: tuple[str, ...] = ("USUP",),
    name: str = "Krachtteam Bouw",
    channel: str = "C1",
) -> int:
    """A team with members (dicts: id, tz, free, away=[(start, end)]), supporters and one long sprint."""
    with db.session() as s:
        team = Team(name=name, channel=channel, created_at=now)
        s.add(team)
        s.flush()
        for spec in members:
            m = team_svc.ensure_member(s, spec["id"], now, spec.get("name", spec["id"]), spec.get("tz", ""))
            m.free_days = spec.get("free", "")
            for start, end in spec.get("away", []):
                s.add(OutOfOffice(member_id=m.id, start=start, end=end))
            team_svc.add_to_team(s, team, m)
        for sup in supporters:
            team_svc.add_to_team(s, team, team_svc.ensure_member(s, sup, now, "Sanne"), "supporter")
        dl.create_sprint(s, team, "Sprint 1", date(2026, 1, 1), date(2026, 6, 30))
        dl.create_sprint(s, team, "Sprint 2", date(2026, 7, 1), date(2026, 12, 31))
        return team.id


def add_deadline(db: Database, team_id: int, title: str, due: datetime, owners: list[str], now: datetime) -> int:
    """A deadline owned by `owners` (user ids; empty = whole team)."""
    with db.session() as s:
        team = s.get(Team, team_id)
        sprint = dl.sprint_for(s, team, due.date())
        members = [team_svc.ensure_member(s, u, now) for u in owners]
        return dl.create_deadline(s, sprint, title, due, members, not owners, now).id
