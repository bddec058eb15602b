"""The sprints of the asker's own teams: what runs now and what starts next (for personal answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from bot.services.teams import teams_of
from bot.team_models import Sprint


@dataclass(frozen=True)
class TeamSprints:
    """One team of the asker with its running sprint and the first one that has not started yet."""

    team: str
    current: Sprint | None
    upcoming: Sprint | None


def sprints_of(session: Session, user_id: str, today: date) -> list[TeamSprints]:
    """Per team of the user (by name): the sprint that runs today and the next one, if planned."""
    out = []
    for team in sorted(teams_of(session, user_id), key=lambda t: t.name.lower()):
        sprints = session.exec(select(Sprint).where(Sprint.team_id == team.id).order_by(Sprint.start)).all()
        current = next((s for s in sprints if s.start <= today <= s.end), None)
        upcoming = next((s for s in sprints if s.start > today), None)
        out.append(TeamSprints(team.name, current, upcoming))
    return out
