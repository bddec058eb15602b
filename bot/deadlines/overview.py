"""The weekly overview in each team channel on the first working morning of the week."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select

from bot import claims
from bot.calendar.workdays import Holidays, MemberCalendar, is_working_day, local_moment
from bot.chat.messenger import MessengerError
from bot.chat.replies import Reply
from bot.deadlines import deadlines as dl
from bot.deadlines.models import Team
from bot.deadlines.nudge_messages import format_when
from bot.ports import CoreServices
from bot.texts import t

log = logging.getLogger(__name__)
WINDOW = timedelta(hours=8)


def overview_moment(cal: MemberCalendar, now: datetime) -> datetime | None:
    """The first working morning of `now`'s week in the team's zone; None if the week has none."""
    local = now.astimezone(cal.tz).date()
    monday = local - timedelta(days=local.weekday())
    for offset in range(5):
        day = monday + timedelta(days=offset)
        if is_working_day(cal, day):
            return local_moment(cal, day, cal.nudge_time)
    return None


def overview_text(
    core: CoreServices, session: Any, team: Team, now: datetime, cal: MemberCalendar, lang: str = "nl"
) -> str:
    """Due this week, overdue, and done last week."""
    local = now.astimezone(cal.tz)
    week_start = local_moment(cal, local.date() - timedelta(days=local.weekday()), datetime.min.time())
    week_end = week_start + timedelta(days=7)
    views = dl.list_for_team(session, team, include_done=True)
    due = [v for v in views if v.deadline.status == "open" and now <= v.deadline.due_at < week_end]
    late = [v for v in views if v.deadline.status == "open" and v.deadline.due_at < now]
    last_week = week_start - timedelta(days=7)
    done = [v for v in views if v.deadline.status == "done" and last_week <= (v.deadline.done_at or now) < week_start]

    def lines(items: list) -> str:
        return "\n".join(f"• {v.deadline.title} — {format_when(v.deadline.due_at, cal.tz, lang)}" for v in items)

    parts = [t("overview.title", lang, team=team.name)]
    for key, items in (("overview.due", due), ("overview.overdue", late), ("overview.done", done)):
        if items:
            parts += [t(key, lang), lines(items)]
    if len(parts) == 1:
        parts.append(t("overview.empty", lang))
    return "\n".join(parts)


def send_overviews(core: CoreServices, now: datetime) -> int:
    """Post each team's weekly overview once, during its first working morning of the week."""
    holidays = Holidays(core.settings.holidays_off)
    sent = 0
    with core.db.session() as session:
        teams = [team for team in session.exec(select(Team)).all() if team.channel]
    for team in teams:
        from zoneinfo import ZoneInfo

        cal = MemberCalendar(tz=ZoneInfo(team.timezone), holidays=holidays, nudge_time=core.settings.nudge_time)
        moment = overview_moment(cal, now)
        if moment is None or not moment <= now < moment + WINDOW:
            continue
        year, week, _ = moment.isocalendar()
        key = f"overview:{team.id}:{year}-W{week:02d}"
        with core.db.session() as session:
            if not claims.claim(session, key, now=now, kind="overview", subject=team.channel):
                continue
            text = overview_text(core, session, team, now, cal)
            again = bool(claims.resumed(session, [key]))  # taken over from a dead worker: look first
        try:
            if again and claims.arrived(core.messenger, team.channel, key):
                ref = None
            else:
                ref = core.messenger.post(team.channel, claims.tagged(Reply(text), key))
        except MessengerError:
            with core.db.session() as session:
                claims.release(session, key)
            continue
        with core.db.session() as session:
            claims.mark_sent(session, key, getattr(ref, "channel", None), getattr(ref, "ts", None))
        sent += 1
    return sent
