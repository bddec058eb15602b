"""Sprints and deadlines: create, list, move, close and delete, with the permission checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from bot.deadlines import teams as team_svc
from bot.deadlines.models import Deadline, DeadlineOwner, Snooze, Sprint, Team
from bot.people.models import Member
from bot.texts import UserError

MAX_TITLE = 200
MAX_NAME = 120


class Refusal(UserError):
    """A request that is not allowed or not possible; `key` names the kind message that says why."""


@dataclass(frozen=True)
class DeadlineView:
    """A deadline with its team, sprint and owners, for lists and messages."""

    deadline: Deadline
    sprint: Sprint
    team: Team
    owners: tuple[Member, ...]


def clean_name(text: str, limit: int = MAX_NAME) -> str:
    """A single-line name without control characters; Refusal when empty or too long."""
    name = " ".join("".join(ch for ch in text if ch.isprintable()).split())
    if not name or len(name) > limit:
        raise Refusal("dl.bad_name", max=limit)
    return name


def require_team(session: Session, name: str) -> Team:
    """The team by name, or a Refusal listing the known teams."""
    team = team_svc.find_team(session, name)
    if team is None:
        known = ", ".join(t.name for t in session.exec(select(Team).order_by(Team.name)).all())
        if not known:
            raise Refusal("dl.no_teams")
        raise Refusal("dl.no_team", name=name.strip()[:60], teams=known)
    return team


def require_manager(session: Session, user_id: str, team: Team, global_supporters: frozenset[str]) -> None:
    """Refuse unless the user is a process supporter of this team (or a global one)."""
    if not team_svc.can_manage(session, user_id, team, global_supporters):
        raise Refusal("dl.not_supporter", team=team.name)


def find_sprint(session: Session, team: Team, name: str) -> Sprint:
    """A sprint of the team by name, case-insensitive."""
    sprints = session.exec(select(Sprint).where(Sprint.team_id == team.id).order_by(Sprint.start)).all()
    for sprint in sprints:
        if sprint.name.lower() == " ".join(name.split()).lower():
            return sprint
    if not sprints:
        raise Refusal("dl.no_sprints", team=team.name)
    raise Refusal("dl.no_sprint", team=team.name, name=name[:60], sprints=", ".join(s.name for s in sprints))


def sprint_for(session: Session, team: Team, day: date) -> Sprint:
    """The sprint containing `day`, else the latest that started before it, else the first one."""
    sprints = session.exec(select(Sprint).where(Sprint.team_id == team.id).order_by(Sprint.start)).all()
    if not sprints:
        raise Refusal("dl.no_sprints", team=team.name)
    for sprint in sprints:
        if sprint.start <= day <= sprint.end:
            return sprint
    started = [s for s in sprints if s.start <= day]
    return started[-1] if started else sprints[0]


def create_sprint(session: Session, team: Team, name: str, start: date, end: date, goal: str = "") -> Sprint:
    """Add a sprint; Refusal on a duplicate name or impossible dates."""
    name = clean_name(name)
    if end < start:
        raise Refusal("dl.sprint_order", start=start.isoformat(), end=end.isoformat())
    if (end - start).days > 183:
        raise Refusal("dl.sprint_too_long", start=start.isoformat(), end=end.isoformat())
    existing = session.exec(select(Sprint).where(Sprint.team_id == team.id)).all()
    if any(s.name.lower() == name.lower() for s in existing):
        raise Refusal("dl.sprint_exists", team=team.name, sprint=name)
    sprint = Sprint(team_id=team.id, name=name, goal=goal.strip()[:2000], start=start, end=end)
    session.add(sprint)
    session.flush()
    return sprint


def create_deadline(
    session: Session,
    sprint: Sprint,
    title: str,
    due_at: datetime,
    owners: list[Member],
    whole_team: bool,
    now: datetime,
) -> Deadline:
    """Add a deadline with owners; Refusal on a duplicate title."""
    title = clean_name(title, MAX_TITLE)
    existing = session.exec(select(Deadline).where(Deadline.sprint_id == sprint.id)).all()
    for other in existing:
        if other.title.lower() == title.lower():
            raise Refusal("dl.deadline_exists", sprint=sprint.name, title=title, id=other.id)
    deadline = Deadline(
        sprint_id=sprint.id, title=title, due_at=due_at, whole_team=whole_team, created_at=now, updated_at=now
    )
    session.add(deadline)
    session.flush()
    set_owners(session, deadline, owners)
    return deadline


def set_owners(session: Session, deadline: Deadline, owners: list[Member]) -> None:
    """Replace the named owners of a deadline."""
    for row in session.exec(select(DeadlineOwner).where(DeadlineOwner.deadline_id == deadline.id)).all():
        session.delete(row)
    session.flush()
    for member in {m.id: m for m in owners}.values():
        session.add(DeadlineOwner(deadline_id=deadline.id, member_id=member.id))
    session.flush()


def view(session: Session, deadline: Deadline) -> DeadlineView:
    """The deadline with its sprint, team and owners."""
    sprint = session.get(Sprint, deadline.sprint_id)
    team = session.get(Team, sprint.team_id)
    if deadline.whole_team:
        owners = team_svc.members_of(session, team.id)
    else:
        owners = list(
            session.exec(
                select(Member)
                .join(DeadlineOwner, DeadlineOwner.member_id == Member.id)
                .where(DeadlineOwner.deadline_id == deadline.id)
            ).all()
        )
    return DeadlineView(deadline, sprint, team, tuple(sorted(owners, key=lambda m: m.name.lower())))


def get(session: Session, deadline_id: int) -> DeadlineView:
    """A deadline by number, or a Refusal."""
    deadline = session.get(Deadline, deadline_id)
    if deadline is None:
        raise Refusal("dl.no_deadline", id=deadline_id)
    return view(session, deadline)


def may_close(session: Session, user_id: str, dv: DeadlineView, global_supporters: frozenset[str]) -> bool:
    """Owners (every team member for a team deadline) and the team's process supporters may mark it done."""
    return any(m.user_id == user_id for m in dv.owners) or team_svc.can_manage(
        session, user_id, dv.team, global_supporters
    )


def move(session: Session, dv: DeadlineView, due_at: datetime, now: datetime) -> None:
    """Give a deadline a new moment; the nudges are re-planned from it (new keys), old snoozes go."""
    dv.deadline.due_at = due_at
    dv.deadline.updated_at = now
    for row in session.exec(select(Snooze).where(Snooze.deadline_id == dv.deadline.id)).all():
        session.delete(row)
    session.add(dv.deadline)
    session.flush()


def close(session: Session, dv: DeadlineView, user_id: str, now: datetime) -> bool:
    """Mark done; False when it already was."""
    if dv.deadline.status == "done":
        return False
    dv.deadline.status = "done"
    dv.deadline.done_by = user_id
    dv.deadline.done_at = now
    session.add(dv.deadline)
    session.flush()
    return True


def delete(session: Session, dv: DeadlineView) -> None:
    """Remove a deadline with its owners and snoozes."""
    for model in (DeadlineOwner, Snooze):
        for row in session.exec(select(model).where(model.deadline_id == dv.deadline.id)).all():
            session.delete(row)
    session.flush()
    session.delete(dv.deadline)
    session.flush()


def list_for_team(session: Session, team: Team, include_done: bool = False) -> list[DeadlineView]:
    """The team's deadlines in due order."""
    query = (
        select(Deadline)
        .join(Sprint, Sprint.id == Deadline.sprint_id)
        .where(Sprint.team_id == team.id)
        .order_by(Deadline.due_at)
    )
    if not include_done:
        query = query.where(Deadline.status == "open")
    return [view(session, d) for d in session.exec(query).all()]


def list_for_member(session: Session, user_id: str) -> list[DeadlineView]:
    """Open deadlines the user owns, directly or as a member of a team deadline."""
    result: dict[int, DeadlineView] = {}
    for team in team_svc.teams_of(session, user_id):
        for dv in list_for_team(session, team):
            if any(m.user_id == user_id for m in dv.owners):
                result[dv.deadline.id] = dv
    return sorted(result.values(), key=lambda dv: dv.deadline.due_at)
