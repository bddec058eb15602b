"""The nudge plan (pure): which nudge goes to whom and when, from the deadlines and the calendar.

Plan: per open deadline and owner, a nudge N working days before (NUDGE_OFFSETS, at NUDGE_HOUR in the
owner's zone; off days move it to the previous working day), the morning of the day, one overdue nudge
the next working morning, snoozes the owner asked for, and an escalation to the team's process
supporters on their second working morning after the deadline.

A nudge is due (`is_due`) when its moment has passed, it is still relevant (before the deadline, or the
deadline is still open for overdue/snooze/escalation), and it is either fresh (within LATE_GRACE) or the
recipient is within working hours on a working day. Sending is `nudge_sending`; jobs are `nudge_jobs`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, select

from bot.calendar.workdays import (
    Holidays,
    MemberCalendar,
    configured_holidays,
    is_working_day,
    local_moment,
    member_calendar,
    next_working_morning,
    nth_working_day_before,
)
from bot.deadlines.models import Deadline, DeadlineOwner, Snooze, Sprint, Team, TeamMember
from bot.people.models import Member, OutOfOffice

log = logging.getLogger(__name__)

LATE_GRACE = timedelta(minutes=15)
LATE_UNTIL = time(18, 0)
OVERDUE_RELEVANT = timedelta(days=30)
LOOKAHEAD = timedelta(days=120)
BATCH = 500
KINDS_FOR_JSON = ("before", "day", "overdue")


@dataclass(frozen=True, slots=True)
class Nudge:
    """One planned message to one person about one deadline."""

    key: str
    kind: str  # before | day | overdue | snooze | escalation
    offset: int
    deadline_id: int
    deadline_title: str
    due_at: datetime
    team_id: int
    team_name: str
    channel: str
    user_id: str
    member_name: str
    lang: str
    send_at: datetime
    planned_from: datetime
    cal: MemberCalendar = field(compare=False, repr=False)

    @property
    def json_kind(self) -> str:
        """before | day | overdue, as `lefbot nudges plan --json` reports it."""
        if self.kind in KINDS_FOR_JSON:
            return self.kind
        due_day = self.due_at.astimezone(self.cal.tz).date()
        sent_day = self.send_at.date()
        return "before" if sent_day < due_day else "day" if sent_day == due_day else "overdue"

    def as_json(self) -> dict[str, str]:
        """The plan line for this nudge."""
        return {
            "team": self.team_name,
            "member": self.user_id,
            "deadline": self.deadline_title,
            "kind": self.json_kind,
            "send_at": self.send_at.isoformat(),
        }


@dataclass
class PlanContext:
    """Settings the plan depends on."""

    offsets: tuple[int, ...]
    nudge_time: time
    holidays: Holidays
    default_tz: str
    global_supporters: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Any) -> PlanContext:
        """Build from Settings."""
        return cls(
            tuple(settings.nudge_offsets),
            settings.nudge_time,
            configured_holidays(settings.holidays_off),
            settings.timezone.key,
            settings.process_supporters,
        )


def _offsets(team: Team, ctx: PlanContext) -> tuple[int, ...]:
    raw = [p.strip() for p in (team.nudge_offsets or "").split(",") if p.strip().isdigit()]
    return tuple(sorted({int(p) for p in raw}, reverse=True)) if raw else ctx.offsets


def rev(deadline: Deadline) -> str:
    """The part of a nudge key that changes when a deadline moves to another moment."""
    return deadline.due_at.astimezone(UTC).strftime("%Y%m%dT%H%M")


def plan_deadline(
    deadline: Deadline,
    team: Team,
    owners: Iterable[tuple[Member, MemberCalendar]],
    supporters: Iterable[tuple[str, str, str, MemberCalendar]],
    snoozes: Iterable[Snooze],
    ctx: PlanContext,
) -> list[Nudge]:
    """Every nudge for one deadline (pure: no database, no clock)."""
    due = deadline.due_at
    planned_from = deadline.updated_at
    r = rev(deadline)
    nudges: list[Nudge] = []
    owner_list = list(owners)

    def make(key: str, kind: str, offset: int, who: Member | tuple, cal: MemberCalendar, at: datetime) -> Nudge:
        user_id, name, lang = (who.user_id, who.name, who.language) if isinstance(who, Member) else who
        return Nudge(
            key, kind, offset, deadline.id, deadline.title, due, team.id, team.name, team.channel,
            user_id, name, lang, at, planned_from, cal,
        )  # fmt: skip

    for member, cal in owner_list:
        due_day = due.astimezone(cal.tz).date()
        by_moment: dict[datetime, Nudge] = {}
        for n in _offsets(team, ctx):
            day = nth_working_day_before(cal, due_day, n)
            at = local_moment(cal, day, cal.nudge_time)
            if n == 0 and at >= due:
                at = local_moment(cal, nth_working_day_before(cal, due_day, 1), cal.nudge_time)
            if at >= due:
                continue
            kind = "day" if n == 0 else "before"
            key = f"nudge:{deadline.id}:{member.user_id}:{kind}{n}:{r}"
            by_moment[at] = make(key, kind, n, member, cal, at)  # the smaller offset wins a shared moment
        nudges.extend(by_moment.values())
        overdue_at = next_working_morning(cal, due)
        nudges.append(make(f"nudge:{deadline.id}:{member.user_id}:overdue:{r}", "overdue", -1, member, cal, overdue_at))
    cal_by_member = {m.id: (m, cal) for m, cal in owner_list}
    for snooze in snoozes:
        if snooze.member_id in cal_by_member:
            member, cal = cal_by_member[snooze.member_id]
            key = f"nudge:{deadline.id}:{member.user_id}:snooze{snooze.id}"
            nudges.append(make(key, "snooze", 0, member, cal, snooze.send_at.astimezone(cal.tz)))
    for user_id, name, lang, cal in supporters:
        at = next_working_morning(cal, next_working_morning(cal, due))
        key = f"escalate:{deadline.id}:{user_id}:{r}"
        nudges.append(make(key, "escalation", -2, (user_id, name, lang), cal, at))
    return nudges


# --- loading the plan from the database -----------------------------------------------------------


@dataclass
class Loaded:
    """What the plan needs, read in a few bulk queries."""

    teams: dict[int, Team]
    sprints: dict[int, Sprint]
    deadlines: list[Deadline]
    members: dict[int, Member]
    team_members: dict[int, list[int]]
    team_supporters: dict[int, list[int]]
    owners: dict[int, list[int]]
    snoozes: dict[int, list[Snooze]]
    away: dict[int, list[OutOfOffice]]


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load(
    session: Session,
    *,
    team_id: int | None = None,
    deadline_ids: Iterable[int] | None = None,
    due_from: datetime | None = None,
    due_until: datetime | None = None,
) -> Loaded:
    """Read open deadlines (filtered) and everything their plan needs."""
    query = select(Deadline).where(Deadline.status == "open")
    if deadline_ids is not None:
        query = query.where(Deadline.id.in_(list(deadline_ids)))
    if due_from is not None:
        query = query.where(Deadline.due_at >= due_from)
    if due_until is not None:
        query = query.where(Deadline.due_at <= due_until)
    if team_id is not None:
        query = query.join(Sprint, Sprint.id == Deadline.sprint_id).where(Sprint.team_id == team_id)
    deadlines = list(session.exec(query).all())
    sprint_ids = list({d.sprint_id for d in deadlines})
    sprints = {
        s.id: s for chunk in _chunks(sprint_ids) for s in session.exec(select(Sprint).where(Sprint.id.in_(chunk)))
    }
    team_ids = list({s.team_id for s in sprints.values()})
    teams = {t.id: t for chunk in _chunks(team_ids) for t in session.exec(select(Team).where(Team.id.in_(chunk)))}
    team_members: dict[int, list[int]] = defaultdict(list)
    team_supporters: dict[int, list[int]] = defaultdict(list)
    for chunk in _chunks(team_ids):
        for tm in session.exec(select(TeamMember).where(TeamMember.team_id.in_(chunk))):
            (team_supporters if tm.role == "supporter" else team_members)[tm.team_id].append(tm.member_id)
    owners: dict[int, list[int]] = defaultdict(list)
    snoozes: dict[int, list[Snooze]] = defaultdict(list)
    ids = [d.id for d in deadlines]
    for chunk in _chunks(ids):
        for row in session.exec(select(DeadlineOwner).where(DeadlineOwner.deadline_id.in_(chunk))):
            owners[row.deadline_id].append(row.member_id)
        for row in session.exec(select(Snooze).where(Snooze.deadline_id.in_(chunk))):
            snoozes[row.deadline_id].append(row)
    member_ids = {m for v in (*team_members.values(), *team_supporters.values(), *owners.values()) for m in v}
    members: dict[int, Member] = {}
    away: dict[int, list[OutOfOffice]] = defaultdict(list)
    for chunk in _chunks(sorted(member_ids)):
        members.update({m.id: m for m in session.exec(select(Member).where(Member.id.in_(chunk)))})
        for row in session.exec(select(OutOfOffice).where(OutOfOffice.member_id.in_(chunk))):
            away[row.member_id].append(row)
    return Loaded(teams, sprints, deadlines, members, team_members, team_supporters, owners, snoozes, away)


PlanEntry = tuple[tuple, list["Nudge"]]


def _member_fp(member: Member, away: Iterable[OutOfOffice]) -> tuple:
    return (
        member.id, member.user_id, member.name, member.language, member.timezone, member.working_days,
        member.free_days, tuple(sorted((a.start, a.end) for a in away)),
    )  # fmt: skip


def plan_entries(data: Loaded, ctx: PlanContext, reuse: dict[int, PlanEntry] | None = None) -> dict[int, PlanEntry]:
    """Per deadline: (fingerprint of every plan input, its nudges); unchanged fingerprints reuse `reuse`."""
    calendars: dict[int, MemberCalendar] = {}
    reuse = reuse or {}

    def cal(member_id: int) -> MemberCalendar:
        if member_id not in calendars:
            calendars[member_id] = member_calendar(
                data.members[member_id], data.away.get(member_id, ()), ctx.holidays, ctx.nudge_time
            )
        return calendars[member_id]

    def fp(member_id: int) -> tuple:
        return _member_fp(data.members[member_id], data.away.get(member_id, ()))

    default_cal = member_calendar(type("Default", (), {"timezone": ctx.default_tz})(), (), ctx.holidays, ctx.nudge_time)
    entries: dict[int, PlanEntry] = {}
    for deadline in data.deadlines:
        team = data.teams[data.sprints[deadline.sprint_id].team_id]
        owner_ids = data.team_members.get(team.id, []) if deadline.whole_team else data.owners.get(deadline.id, [])
        owner_ids = [m for m in dict.fromkeys(owner_ids) if m in data.members]
        supporter_ids = [m for m in data.team_supporters.get(team.id, []) if m in data.members]
        snoozes = data.snoozes.get(deadline.id, [])
        key = (
            deadline.due_at, deadline.updated_at, deadline.title, deadline.whole_team,
            team.id, team.name, team.channel, team.nudge_offsets,
            tuple(fp(m) for m in owner_ids),
            tuple(fp(m) for m in supporter_ids) or tuple(sorted(ctx.global_supporters)),
            tuple(sorted((s.id, s.member_id, s.send_at) for s in snoozes)),
        )  # fmt: skip
        previous = reuse.get(deadline.id)
        if previous is not None and previous[0] == key:
            entries[deadline.id] = previous
            continue
        owners = [(data.members[m], cal(m)) for m in owner_ids]
        if supporter_ids:
            members = [data.members[m] for m in supporter_ids]
            supporters = [(m.user_id, m.name, m.language, cal(m.id)) for m in members]
        else:
            supporters = [(u, u, "nl", default_cal) for u in sorted(ctx.global_supporters)]
        entries[deadline.id] = (key, plan_deadline(deadline, team, owners, supporters, snoozes, ctx))
    return entries


def build_plan(data: Loaded, ctx: PlanContext) -> list[Nudge]:
    """All nudges of the loaded deadlines."""
    return [n for _, nudges in plan_entries(data, ctx).values() for n in nudges]


# --- choosing what is due -------------------------------------------------------------------------


def in_working_hours(cal: MemberCalendar, now: datetime) -> bool:
    """True on a working day between the nudge hour and LATE_UNTIL, in the member's zone."""
    local = now.astimezone(cal.tz)
    return is_working_day(cal, local.date()) and cal.nudge_time <= local.time() < LATE_UNTIL


def relevant(nudge: Nudge, now: datetime) -> bool:
    """Still worth sending at `now` (the deadline is open in every loaded plan)."""
    if nudge.kind in ("before", "day"):
        return now < nudge.due_at
    return now < nudge.due_at + OVERDUE_RELEVANT


def is_due(nudge: Nudge, now: datetime) -> bool:
    """Its moment has passed, it is relevant, and it is fresh or the recipient is in working hours."""
    if nudge.send_at > now or nudge.send_at < nudge.planned_from or not relevant(nudge, now):
        return False
    return now - nudge.send_at <= LATE_GRACE or in_working_hours(nudge.cal, now)


def owner_names(plan: Iterable[Nudge]) -> dict[int, str]:
    """Per deadline: the owners' names, for the nudge text."""
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for nudge in plan:
        if nudge.kind != "escalation":
            names[nudge.deadline_id][nudge.user_id] = nudge.member_name or nudge.user_id
    return {d: ", ".join(sorted(v.values())) for d, v in names.items()}
