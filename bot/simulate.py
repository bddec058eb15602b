"""A dry run: every message lefbot would send in a window, from the pure plans, without sending or writing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.calendar.dates import local_stamp
from bot.calendar.workdays import Holidays, MemberCalendar
from bot.checkins import messages as msg
from bot.checkins.plan import plan_prompts
from bot.core import Core
from bot.deadlines import nudge_sending
from bot.deadlines.models import Team
from bot.deadlines.nudge_messages import render_nudge
from bot.deadlines.overview import overview_moment, overview_text
from bot.texts import t

MAX_LINE = 100
KINDS = ("nudge", "escalation", "checkin", "reminder", "summary", "pause", "digest", "overview")


@dataclass(frozen=True)
class Planned:
    """One message lefbot would send: when (UTC, and the zone it is read in), to whom, and its first line."""

    at: datetime
    tz: ZoneInfo
    kind: str  # see KINDS; nudges carry their own kind in `detail`
    recipient: str  # "DM U01 (Anna)" or "#C0123ABC"
    team: str
    text: str
    detail: str = ""

    def local(self, lang: str = "nl") -> str:
        """The local time with weekday and zone, as the recipient reads it."""
        return local_stamp(self.at, self.tz, lang, year=True)

    def as_json(self) -> dict[str, str]:
        """A JSON-friendly dict."""
        return {
            "at": self.at.astimezone(self.tz).isoformat(), "timezone": str(self.tz), "kind": self.kind,
            "detail": self.detail, "recipient": self.recipient, "team": self.team, "text": self.text,
        }  # fmt: skip


def first_line(text: str) -> str:
    """The first non-empty line of a message, without Slack bold markers."""
    line = next((x for x in text.splitlines() if x.strip()), "").replace("*", "").strip()
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1].rstrip() + "…"


def simulate(core: Core, start: datetime, end: datetime, team: str | None = None) -> list[Planned]:
    """Every message from `start` (inclusive) to `end` (exclusive), in time order; reads only."""
    with core.db.session() as session:
        teams = [x for x in session.exec(select(Team)).all() if not team or x.name.lower() == team.lower()]
        team_ids = {x.id for x in teams}
        found = _nudges(core, start, end, team_ids if team else None)
        found += _checkins(core, start, end, team_ids)
        found += _pauses(core, session, start, end, team_ids)
        found += _overviews(core, session, teams, start, end)
        found += _digests(core, session, start, end, team_ids if team else None)
    return sorted(found, key=lambda p: (p.at, p.team, p.kind, p.recipient))


def _nudges(core: Core, start: datetime, end: datetime, team_ids: set[int] | None) -> list[Planned]:
    out = []
    for team_id in sorted(team_ids) if team_ids is not None else [None]:
        for n in nudge_sending.upcoming(core, start, team_id):
            if start <= n.send_at < end:
                kind = "escalation" if n.kind == "escalation" else "nudge"
                text = first_line(render_nudge(n, n.send_at).text)
                who = f"DM {n.user_id} ({n.member_name})"
                out.append(Planned(n.send_at, n.cal.tz, kind, who, n.team_name, text, n.kind))
    return out


def _checkins(core: Core, start: datetime, end: datetime, team_ids: set[int]) -> list[Planned]:
    teams = [x for x in core.checkins.service.teams() if x.team_id in team_ids]
    out, summaries = [], {}
    for p in plan_prompts(teams, start, end):
        lang, who = p.member.lang, f"DM {p.member.user_id} ({p.member.name})"
        questions = p.team.schedule.questions
        prompt = msg.prompt_reply(p.team.name, p.member.name, 0, questions, lang)
        out.append(Planned(p.send_at, p.member.calendar.tz, "checkin", who, p.team.name, first_line(prompt.text)))
        if p.reminder_at and start <= p.reminder_at < end:
            summary = p.summary_at.astimezone(p.member.calendar.tz).strftime("%H:%M")
            reminder = msg.reminder_reply(p.team.name, 0, questions, 0, summary, lang)
            out.append(Planned(p.reminder_at, p.member.calendar.tz, "reminder", who, p.team.name,
                               first_line(reminder.text)))  # fmt: skip
        if p.team.channel and start <= p.summary_at < end:
            summaries[(p.team.team_id, p.local_date)] = p
    lang = core.settings.language
    for p in summaries.values():
        title = t("checkins.summary.title", lang, team=p.team.name, date=msg.day_text(p.local_date, lang))
        out.append(Planned(p.summary_at, p.team.tz, "summary", f"#{p.team.channel}", p.team.name, first_line(title)))
    return out


def _pauses(core: Core, session: Any, start: datetime, end: datetime, team_ids: set[int]) -> list[Planned]:
    from bot.checkins.commands import pause_reply
    from bot.checkins.plan import pause_notice_moment
    from bot.checkins.store import supporters_of

    out = []
    for team in core.checkins.service.teams():
        moment = pause_notice_moment(team)
        if team.team_id not in team_ids or moment is None or not start <= moment < end:
            continue
        for member in supporters_of(session, team.team_id):
            text = first_line(pause_reply(team, member.language or core.settings.language).text)
            who = f"DM {member.user_id} ({member.name})"
            out.append(Planned(moment, team.tz, "pause", who, team.name, text))
    return out


def _mondays(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    first = start.astimezone(tz).date()
    first -= timedelta(days=first.weekday())
    days, day = [], first
    while day <= end.astimezone(tz).date():
        days.append(day)
        day += timedelta(days=7)
    return days


def _overviews(core: Core, session: Any, teams: list[Team], start: datetime, end: datetime) -> list[Planned]:
    out = []
    holidays = Holidays(core.settings.holidays_off)
    for team in teams:
        if not team.channel:
            continue
        cal = MemberCalendar(tz=ZoneInfo(team.timezone), holidays=holidays, nudge_time=core.settings.nudge_time)
        for monday in _mondays(start, end, cal.tz):
            noon = datetime.combine(monday, datetime.min.time().replace(hour=12), tzinfo=cal.tz)
            moment = overview_moment(cal, noon)
            if moment is not None and start <= moment < end:
                text = first_line(overview_text(core, session, team, moment, cal))
                out.append(Planned(moment, cal.tz, "overview", f"#{team.channel}", team.name, text))
    return out


def _digests(core: Core, session: Any, start: datetime, end: datetime, team_ids: set[int] | None) -> list[Planned]:
    from bot.checkins.commands import DIGEST_TIME
    from bot.checkins.report import digest_text

    tz = core.settings.timezone
    out = []
    for monday in _mondays(start, end, tz):
        moment = datetime.combine(monday, DIGEST_TIME, tzinfo=tz)
        if not start <= moment < end:
            continue
        year, week, _ = monday.isocalendar()
        for user_id, lang, teams in core.checkins.digest_targets():
            if team_ids is not None and not team_ids & {x.id for x in teams}:
                continue
            text = first_line(digest_text(session, teams, lang, f"{week} ({year})"))
            names = ", ".join(sorted(x.name for x in teams))
            out.append(Planned(moment.astimezone(tz), tz, "digest", f"DM {user_id}", names, text))
    return out
