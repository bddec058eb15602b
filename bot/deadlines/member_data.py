"""A member's personal data in the deadlines feature, for `/lef mijn gegevens` and `/lef vergeet mij`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from bot.calendar.workdays import parse_weekdays
from bot.claims import Claim
from bot.deadlines.models import Deadline, DeadlineOwner, DeliveryFailure, Snooze, Sprint, Team, TeamMember
from bot.people.models import Member, OutOfOffice
from bot.ports import CoreServices
from bot.texts import t


def day_list(spec: str, lang: str = "nl") -> str:
    """Stored weekdays ("mon,tue") in words: "maandag, dinsdag"; "-" for none."""
    names = t("dl.day_names", lang).split(",")
    days = sorted(parse_weekdays(spec or ""))
    return ", ".join(names[d] for d in days) if days else "-"


def sole_supporter_teams(db: Any, user_id: str) -> list[str]:
    """Teams in which this user is the only process supporter."""
    with db.session() as s:
        rows = s.exec(
            select(Team.id, Team.name, Member.user_id).join(TeamMember, TeamMember.team_id == Team.id)
            .join(Member, Member.id == TeamMember.member_id).where(TeamMember.role == "supporter")
        ).all()  # fmt: skip
    by_team: dict[int, tuple[str, set[str]]] = {}
    for team_id, name, uid in rows:
        by_team.setdefault(team_id, (name, set()))[1].add(uid)
    return sorted(name for name, users in by_team.values() if users == {user_id})


def _warn(db: Any, user_id: str, lang: str) -> list[str]:
    teams = sole_supporter_teams(db, user_id)
    return [t("privacy.sole_supporter", lang, teams=", ".join(teams))] if teams else []


def export(db: Any, user_id: str) -> list[str]:
    """Profile, teams, free days, out-of-office periods, owned deadlines and nudges sent, one line each."""
    with db.session() as s:
        member = s.exec(select(Member).where(Member.user_id == user_id)).first()
        if member is None:
            return []
        lines = [
            t(
                "privacy.profile", "nl", name=member.name or "-", tz=member.timezone, lang=member.language,
                work=day_list(member.working_days), free=day_list(member.free_days),
            )
        ]  # fmt: skip
        teams = s.exec(
            select(Team.name, TeamMember.role).join(TeamMember, TeamMember.team_id == Team.id)
            .where(TeamMember.member_id == member.id).order_by(Team.name)
        ).all()  # fmt: skip
        lines += [f"team: {name} ({t(f'privacy.role.{role}', 'nl')})" for name, role in teams]
        away = s.exec(select(OutOfOffice).where(OutOfOffice.member_id == member.id).order_by(col(OutOfOffice.start)))
        lines += [f"afwezig: {a.start:%d-%m-%Y} t/m {a.end:%d-%m-%Y}" for a in away]
        owned = s.exec(
            select(Deadline.title, Sprint.name).join(DeadlineOwner, DeadlineOwner.deadline_id == Deadline.id)
            .join(Sprint, Sprint.id == Deadline.sprint_id).where(DeadlineOwner.member_id == member.id)
        ).all()  # fmt: skip
        lines += [f"eigenaar van deadline: {title} ({sprint})" for title, sprint in owned]
        sent = s.exec(select(sa.func.count()).select_from(Claim).where(Claim.subject == user_id)).one()
        lines.append(f"herinneringen en registraties op je naam: {sent}")
    return lines


def erase(db: Any, user_id: str) -> int:
    """Delete the Member row (memberships, away, ownerships and snoozes go with it), claims and `done_by`."""
    with db.session() as s:
        member = s.exec(select(Member).where(Member.user_id == user_id)).first()
        count = 0
        if member is not None:
            for model in (TeamMember, OutOfOffice, DeadlineOwner, Snooze):
                rows = s.exec(select(model).where(model.member_id == member.id)).all()
                count += len(rows)
                for row in rows:
                    s.delete(row)
            s.delete(member)
            count += 1
        count += s.exec(sa.update(Deadline).where(Deadline.done_by == user_id).values(done_by=None)).rowcount or 0
        keys = list(s.exec(select(Claim.key).where(Claim.subject == user_id)).all())
        for i in range(0, len(keys), 500):
            s.exec(sa.delete(DeliveryFailure).where(DeliveryFailure.key.in_(keys[i : i + 500])))
        count += s.exec(sa.delete(Claim).where(Claim.subject == user_id)).rowcount or 0
    return count


def register(core: CoreServices) -> None:
    """Add the member data to the core's privacy service."""
    core.privacy.register("member", lambda u: export(core.db, u), lambda u: erase(core.db, u))
    core.privacy.warners.append(lambda u, lang: _warn(core.db, u, lang))
    core.privacy.tz = core.settings.timezone
