"""A member's personal data in the deadlines feature, for `/lef mijn gegevens` and `/lef vergeet mij`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from bot.team_models import (
    Claim,
    Deadline,
    DeadlineOwner,
    DeliveryFailure,
    Member,
    OutOfOffice,
    Snooze,
    Sprint,
    Team,
    TeamMember,
)


def export(db: Any, user_id: str) -> list[str]:
    """Profile, teams, free days, out-of-office periods, owned deadlines and nudges sent, one line each."""
    with db.session() as s:
        member = s.exec(select(Member).where(Member.user_id == user_id)).first()
        if member is None:
            return []
        lines = [
            f"profiel: {member.name or '-'} · {member.timezone} · taal {member.language} · "
            f"werkdagen {member.working_days} · vrije dagen {member.free_days or '-'}"
        ]
        teams = s.exec(
            select(Team.name, TeamMember.role).join(TeamMember, TeamMember.team_id == Team.id)
            .where(TeamMember.member_id == member.id).order_by(Team.name)
        ).all()  # fmt: skip
        lines += [f"team: {name} ({role})" for name, role in teams]
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


def register(core: Any) -> None:
    """Add the member data to the core's privacy service."""
    core.privacy.register("member", lambda u: export(core.db, u), lambda u: erase(core.db, u))
