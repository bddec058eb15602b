"""Database access for check-ins: loading teams for the planner, rounds, answers and aggregates."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from bot.calendar.workdays import Holidays, member_calendar
from bot.checkins.models import CheckinAnswer, CheckinConversation, CheckinRound, CheckinSettings
from bot.checkins.plan import MemberInput, TeamInput
from bot.checkins.setup import dump_questions, schedule_from_row
from bot.deadlines.models import Sprint, Team, TeamMember
from bot.people.models import Member, OutOfOffice

MEMBER = "member"
SUPPORTER = "supporter"


def load_teams(session: Session, holidays: Holidays, team_ids: list[int] | None = None) -> list[TeamInput]:
    """Teams with check-in settings (enabled or not), their members and calendars, in few queries."""
    query = select(Team, CheckinSettings).join(CheckinSettings, col(CheckinSettings.team_id) == col(Team.id))
    if team_ids is not None:
        query = query.where(col(Team.id).in_(team_ids))
    rows = session.exec(query).all()
    if not rows:
        return []
    ids = [team.id for team, _ in rows]
    members: dict[int, list[Member]] = defaultdict(list)
    for tm, member in session.exec(
        select(TeamMember, Member)
        .join(Member, col(Member.id) == col(TeamMember.member_id))
        .where(col(TeamMember.team_id).in_(ids), TeamMember.role == MEMBER)
    ).all():
        members[tm.team_id].append(member)
    away: dict[int, list[OutOfOffice]] = defaultdict(list)
    member_ids = {m.id for group in members.values() for m in group}
    if member_ids:
        for ooo in session.exec(select(OutOfOffice).where(col(OutOfOffice.member_id).in_(member_ids))).all():
            away[ooo.member_id].append(ooo)
    last_end = dict(
        session.exec(
            select(Sprint.team_id, sa.func.max(Sprint.end)).where(col(Sprint.team_id).in_(ids)).group_by(Sprint.team_id)
        ).all()
    )
    result = []
    for team, row in rows:
        inputs = tuple(
            MemberInput(m.id or 0, m.user_id, m.name, m.language or "nl", member_calendar(m, away[m.id or 0], holidays))
            for m in sorted(members[team.id or 0], key=lambda m: m.user_id)
        )
        result.append(
            TeamInput(
                team.id or 0,
                team.name,
                team.channel,
                ZoneInfo(team.timezone or "Europe/Amsterdam"),
                schedule_from_row(row),
                inputs,
                last_end.get(team.id),
                bool(row.keep_without_sprint),
            )
        )
    return result


def get_or_create_round(
    session: Session, team: TeamInput, day: date, summary_at: datetime, now: datetime
) -> CheckinRound:
    """The round of a team on a local date; created once even when two processes race."""
    found = session.exec(
        select(CheckinRound).where(CheckinRound.team_id == team.team_id, CheckinRound.local_date == day)
    ).first()
    if found is not None:
        return found
    sprint = session.exec(
        select(Sprint).where(Sprint.team_id == team.team_id, col(Sprint.start) <= day, col(Sprint.end) >= day)
    ).first()
    fresh = CheckinRound(
        team_id=team.team_id,
        local_date=day,
        sprint_id=sprint.id if sprint else None,
        questions=dump_questions(team.schedule.questions),
        summary_at=summary_at,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(fresh)
            session.flush()
        return fresh
    except sa.exc.IntegrityError:
        return session.exec(
            select(CheckinRound).where(CheckinRound.team_id == team.team_id, CheckinRound.local_date == day)
        ).one()


def ensure_answer_row(session: Session, round_id: int, member_id: int, user_id: str, now: datetime) -> CheckinAnswer:
    """The member's row in a round, created as "prompted" when missing (race-safe)."""
    found = answer_of(session, round_id, member_id)
    if found is not None:
        return found
    row = CheckinAnswer(round_id=round_id, member_id=member_id, user_id=user_id, prompted_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
        return row
    except sa.exc.IntegrityError:
        return answer_of(session, round_id, member_id)  # type: ignore[return-value]


def answer_of(session: Session, round_id: int, member_id: int) -> CheckinAnswer | None:
    """A member's row in a round."""
    return session.exec(
        select(CheckinAnswer).where(CheckinAnswer.round_id == round_id, CheckinAnswer.member_id == member_id)
    ).first()


def refresh_aggregates(session: Session, round_id: int) -> CheckinRound:
    """Recount a round's totals from its answers in one query (the totals stay when the answers expire)."""
    c = CheckinAnswer.__table__.c
    answered = c.status == "answered"
    scored = sa.and_(answered, c.confidence.is_not(None))
    totals = session.execute(
        sa.select(
            sa.func.count().filter(c.status != "off"),
            sa.func.count().filter(answered),
            sa.func.coalesce(sa.func.sum(c.confidence).filter(scored), 0),
            sa.func.count().filter(scored),
            sa.func.count().filter(sa.and_(answered, c.blocker.is_not(None))),
        ).where(c.round_id == round_id)
    ).one()
    rnd = session.get(CheckinRound, round_id)
    rnd.expected, rnd.answered, rnd.confidence_sum, rnd.confidence_count, rnd.blockers = (int(v) for v in totals)
    session.add(rnd)
    return rnd


def confidence_trend(session: Session, rnd: CheckinRound, limit: int = 12) -> list[float]:
    """Average confidence of the team's rounds in the same sprint (or the last rounds) up to this one."""
    query = select(CheckinRound).where(
        CheckinRound.team_id == rnd.team_id,
        col(CheckinRound.local_date) <= rnd.local_date,
        col(CheckinRound.confidence_count) > 0,
    )
    if rnd.sprint_id is not None:
        query = query.where(CheckinRound.sprint_id == rnd.sprint_id)
    rows = session.exec(query.order_by(col(CheckinRound.local_date).desc()).limit(limit)).all()
    return [r.confidence_sum / r.confidence_count for r in reversed(rows)]


def supporters_of(session: Session, team_id: int) -> list[Member]:
    """The team's process supporters."""
    return list(
        session.exec(
            select(Member)
            .join(TeamMember, col(TeamMember.member_id) == col(Member.id))
            .where(TeamMember.team_id == team_id, TeamMember.role == SUPPORTER)
        ).all()
    )


def member_by_user(session: Session, user_id: str) -> Member | None:
    """The member row of a platform user."""
    return session.exec(select(Member).where(Member.user_id == user_id)).first()


def is_supporter(session: Session, user_id: str, team_id: int, global_supporters: frozenset[str]) -> bool:
    """True for the team's process supporters and the configured PROCESS_SUPPORTERS."""
    if user_id in global_supporters:
        return True
    return any(m.user_id == user_id for m in supporters_of(session, team_id))


def answers_list(row: CheckinAnswer) -> list[str]:
    """The stored answers as a list of strings."""
    try:
        return [str(a) for a in json.loads(row.answers or "[]")]
    except ValueError:
        return []


def save_settings(session: Session, team_id: int, values: dict[str, object], now: datetime) -> CheckinSettings:
    """Create or update a team's check-in settings from validated column values (e.g. a cohort file)."""
    row = session.get(CheckinSettings, team_id) or CheckinSettings(team_id=team_id, updated_at=now)
    for column, value in values.items():
        setattr(row, column, value)
    row.updated_at = now
    session.add(row)
    return row


def _insert_ignore(session: Session, table: sa.Table, rows: list[dict], keys: list[str]) -> None:
    """Insert rows, skipping those whose unique `keys` already exist (SQLite and PostgreSQL)."""
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(table).values(rows).on_conflict_do_nothing(index_elements=keys))


def add_prompted(
    session: Session, round_id: int, members: list[tuple[int, str]], now: datetime, busy_for: timedelta
) -> None:
    """Rows "prompted" for members of a round, and a fresh DM conversation at question 1 for each."""
    _insert_ignore(
        session,
        CheckinAnswer.__table__,
        [
            {
                "round_id": round_id,
                "member_id": m,
                "user_id": u,
                "status": "prompted",
                "prompted_at": now,
                "answers": "",
                "late": False,
                "version": 0,
                "posted_version": 0,
            }
            for m, u in members
        ],
        ["round_id", "member_id"],
    )
    conv = CheckinConversation.__table__.c
    users = [u for _, u in members]
    # A conversation in progress (another team's check-in, answered in the last hours) is left alone; it
    # continues with this one when it is done (see CheckinService.on_dm).
    busy = {
        row[0]
        for row in session.execute(
            sa.select(conv.user_id).where(conv.user_id.in_(users), conv.step > 0, conv.updated_at > now - busy_for)
        )
    }
    fresh = [u for u in users if u not in busy]
    if fresh:
        session.execute(sa.delete(CheckinConversation.__table__).where(conv.user_id.in_(fresh)))
        session.execute(
            sa.insert(CheckinConversation.__table__),
            [{"user_id": u, "round_id": round_id, "step": 0, "draft": "[]", "updated_at": now} for u in fresh],
        )


def next_open_round(session: Session, user_id: str, since: datetime) -> int | None:
    """Another round the user was asked about and has not answered yet (summary not long past), oldest first."""
    found = session.exec(
        select(CheckinAnswer.round_id)
        .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
        .where(
            CheckinAnswer.user_id == user_id,
            col(CheckinAnswer.status).in_(("prompted", "later")),
            col(CheckinRound.summary_at) > since,
        )
        .order_by(col(CheckinRound.summary_at))
    ).first()
    return found
