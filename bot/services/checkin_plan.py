"""The check-in plan as a pure function of teams, schedules and member calendars: who is asked when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.calendar import MemberCalendar, is_working_day, local_day, local_moment
from bot.services.checkin_config import Schedule

WORK_START = time(8, 0)
PAUSE_NOTICE_AT = time(9, 0)
PAUSE_NOTICE_WINDOW = timedelta(days=7)
WORK_END = time(18, 0)
REMINDER_BEFORE_SUMMARY = timedelta(hours=1)
MIN_GAP_BEFORE_REMINDER = timedelta(minutes=30)
LATE_PROMPT_WINDOW = timedelta(hours=8)


@dataclass(frozen=True)
class MemberInput:
    """A team member as the planner needs them."""

    member_id: int
    user_id: str
    name: str
    lang: str
    calendar: MemberCalendar


@dataclass(frozen=True)
class TeamInput:
    """A team with its check-in schedule and members (role member; supporters are not asked)."""

    team_id: int
    name: str
    channel: str
    tz: ZoneInfo
    schedule: Schedule
    members: tuple[MemberInput, ...]
    last_sprint_end: date | None = None  # None: the team has no sprints, check-ins go on
    keep_without_sprint: bool = False  # the team asked to keep check-ins after its last sprint

    def paused_on(self, day: date) -> bool:
        """True when `day` is after the team's last sprint and the team did not ask to keep check-ins."""
        return not self.keep_without_sprint and self.last_sprint_end is not None and day > self.last_sprint_end


@dataclass(frozen=True)
class PlannedPrompt:
    """One prompt: a member of a team on a local date, with the send, reminder and summary moments."""

    team: TeamInput
    member: MemberInput
    local_date: date
    send_at: datetime
    summary_at: datetime
    reminder_at: datetime | None


def summary_moment(team: TeamInput, day: date) -> datetime:
    """The summary time of `day` in the team's zone."""
    return local_moment(MemberCalendar(tz=team.tz), day, team.schedule.summary)


def within_working_hours(calendar: MemberCalendar, moment: datetime) -> bool:
    """True on the member's working day between 08:00 and 18:00 local time."""
    local = moment.astimezone(calendar.tz)
    return is_working_day(calendar, local.date()) and WORK_START <= local.time() < WORK_END


def reminder_moment(member: MemberInput, send_at: datetime, summary_at: datetime) -> datetime | None:
    """One hour before the summary, if that is in working hours and well after the prompt; else None."""
    moment = summary_at - REMINDER_BEFORE_SUMMARY
    if moment < send_at + MIN_GAP_BEFORE_REMINDER or not within_working_hours(member.calendar, moment):
        return None
    if local_day(member.calendar, moment) != local_day(member.calendar, send_at):
        return None
    return moment


def plan_prompts(teams: list[TeamInput], start: datetime, end: datetime) -> list[PlannedPrompt]:
    """Every prompt with start <= send time < end, on check-in weekdays that are the member's working days."""
    planned: list[PlannedPrompt] = []
    for team in teams:
        if not team.schedule.enabled:
            continue
        for member in team.members:
            cal = member.calendar
            day, last = local_day(cal, start), local_day(cal, end)
            while day <= last:
                if day.weekday() in team.schedule.days and is_working_day(cal, day) and not team.paused_on(day):
                    send_at = local_moment(cal, day, team.schedule.at)
                    if start <= send_at < end:
                        summary_at = summary_moment(team, day)
                        reminder = reminder_moment(member, send_at, summary_at)
                        planned.append(PlannedPrompt(team, member, day, send_at, summary_at, reminder))
                day += timedelta(days=1)
    planned.sort(key=lambda p: (p.send_at, p.team.name, p.member.user_id))
    return planned


def due_prompts(teams: list[TeamInput], now: datetime) -> list[PlannedPrompt]:
    """Prompts whose time has come, until the summary (members far west: until 8 hours after their send time)."""
    window = plan_prompts(teams, now - timedelta(days=1), now + timedelta(microseconds=1))
    return [
        p for p in window if now < p.summary_at or (p.send_at >= p.summary_at and now < p.send_at + LATE_PROMPT_WINDOW)
    ]


def pause_notice_moment(team: TeamInput) -> datetime | None:
    """When supporters hear that check-ins paused: 09:00 (team zone) the day after the last sprint; else None."""
    if not team.schedule.enabled or team.keep_without_sprint or team.last_sprint_end is None:
        return None
    return datetime.combine(team.last_sprint_end + timedelta(days=1), PAUSE_NOTICE_AT, tzinfo=team.tz)
