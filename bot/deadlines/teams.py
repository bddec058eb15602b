"""Teams and members: lookups, membership and who may manage what."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from bot.calendar.workdays import Holidays, MemberCalendar, member_calendar
from bot.deadlines.models import Team, TeamMember
from bot.ids import is_email, user_token
from bot.people.models import Member, OutOfOffice

SUPPORTER = "supporter"
MEMBER = "member"


def parse_user(token: str) -> str | None:
    """A platform user id from `@<id>` (an adapter's mention) or `<id>`; None when it does not look like one."""
    return user_token(token)


def member_by_email(session: Session, email: str) -> Member | None:
    """The member with this e-mail address (any case), so one cohort file serves every platform."""
    return session.exec(select(Member).where(sa.func.lower(Member.email) == email.strip().lower())).first()


def valid_timezone(name: str) -> bool:
    """True for a known IANA zone name."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


def ensure_member(
    session: Session,
    user_id: str,
    now: datetime,
    name: str = "",
    timezone: str = "",
    default_tz: str = "",
    email: str = "",
) -> Member:
    """The member row for a platform user, created on first sight (race-free); name and zone refreshed when given."""
    query = select(Member).where(Member.user_id == user_id)
    member = session.exec(query).first()
    if member is None:
        fresh = Member(user_id=user_id, name=(name or user_id)[:120], timezone=default_tz or "Europe/Amsterdam",
                       created_at=now)  # fmt: skip
        insert_ignore(session, Member.__table__, [fresh.model_dump(exclude={"id"})], ["user_id"])
        member = session.exec(query).one()
    if name and member.name in ("", member.user_id):
        member.name = name[:120]
    if email and not member.email and is_email(email):
        member.email = email  # from the adapter's profile lookup; a cohort file's address wins
    if timezone and len(timezone) <= 64 and valid_timezone(timezone) and timezone != member.timezone:
        member.timezone = timezone
    session.flush()
    return member


def insert_ignore(session: Session, table: sa.Table, rows: list[dict], keys: list[str]) -> int:
    """INSERT … ON CONFLICT (keys) DO NOTHING on SQLite and PostgreSQL (a row another process just made wins);
    how many rows were inserted."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(rows).on_conflict_do_nothing(index_elements=keys)
    return len(session.execute(statement.returning(table.c[keys[0]])).all())


def find_team(session: Session, name: str) -> Team | None:
    """A team by name, case-insensitive."""
    wanted = " ".join(name.split()).lower()
    for team in session.exec(select(Team)).all():
        if team.name.lower() == wanted:
            return team
    return None


def teams_of(session: Session, user_id: str, role: str | None = None) -> list[Team]:
    """The teams a user belongs to (optionally only in one role)."""
    query = (
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .join(Member, Member.id == TeamMember.member_id)
        .where(Member.user_id == user_id)
    )
    if role:
        query = query.where(TeamMember.role == role)
    return list({t.id: t for t in session.exec(query).all()}.values())


def members_of(session: Session, team_id: int, role: str = MEMBER) -> list[Member]:
    """The members (or supporters) of a team, by name."""
    query = (
        select(Member)
        .join(TeamMember, TeamMember.member_id == Member.id)
        .where(TeamMember.team_id == team_id, TeamMember.role == role)
    )
    return sorted(session.exec(query).all(), key=lambda m: (m.name.lower(), m.user_id))


def add_to_team(session: Session, team: Team, member: Member, role: str = MEMBER) -> bool:
    """Add a membership (race-free); False when it already existed."""
    session.flush()
    row = {"team_id": team.id, "member_id": member.id, "role": role}
    return insert_ignore(session, TeamMember.__table__, [row], list(row)) > 0


def remove_from_team(session: Session, team: Team, member: Member) -> bool:
    """Remove every membership of a member in a team; False when there was none."""
    rows = session.exec(
        select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.member_id == member.id)
    ).all()
    for row in rows:
        session.delete(row)
    session.flush()
    return bool(rows)


def is_team_supporter(session: Session, user_id: str, team: Team) -> bool:
    """True when the user is a process supporter of this team."""
    return any(m.user_id == user_id for m in members_of(session, team.id, SUPPORTER))


def can_manage(session: Session, user_id: str, team: Team, global_supporters: frozenset[str]) -> bool:
    """Process supporters from PROCESS_SUPPORTERS manage every team; team supporters manage their own."""
    return user_id in global_supporters or is_team_supporter(session, user_id, team)


def is_in_team(session: Session, user_id: str, team: Team) -> bool:
    """True for members and supporters of the team."""
    return any(t.id == team.id for t in teams_of(session, user_id))


def calendar_for(session: Session, member: Member, holidays: Holidays, nudge_time) -> MemberCalendar:  # noqa: ANN001
    """The working calendar of one member."""
    away = session.exec(select(OutOfOffice).where(OutOfOffice.member_id == member.id)).all()
    return member_calendar(member, away, holidays, nudge_time)


def set_away(session: Session, member: Member, start: date, end: date) -> OutOfOffice:
    """Add an out-of-office period (inclusive)."""
    row = OutOfOffice(member_id=member.id, start=start, end=end)
    session.add(row)
    session.flush()
    return row


def clear_away(session: Session, member: Member, today: date) -> int:
    """Remove current and future out-of-office periods; returns how many."""
    rows = session.exec(select(OutOfOffice).where(OutOfOffice.member_id == member.id, OutOfOffice.end >= today)).all()
    for row in rows:
        session.delete(row)
    return len(rows)
