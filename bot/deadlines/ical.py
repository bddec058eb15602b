"""iCalendar (RFC 5545) export of a team's sprints and deadlines, for Outlook and other calendars."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, select

from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.deadlines import deadlines as dl
from bot.deadlines.models import Sprint, Team
from bot.ports import CoreServices


def team_calendar(session: Session, team: Team, now: datetime) -> bytes:
    """The team's sprints (all-day events) and deadlines (15-minute events at the due moment)."""
    cal = Calendar()
    cal.add("prodid", "-//lefbot//Ambtenaren met Lef//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{team.name} — sprints en deadlines")
    for sprint in session.exec(select(Sprint).where(Sprint.team_id == team.id).order_by(Sprint.start)).all():
        event = Event()
        event.add("uid", f"sprint-{sprint.id}@lefbot")
        event.add("dtstamp", now)
        event.add("summary", f"{team.name}: {sprint.name}")
        event.add("dtstart", sprint.start)
        event.add("dtend", sprint.end + timedelta(days=1))
        if sprint.goal:
            event.add("description", sprint.goal)
        cal.add_component(event)
    for dv in dl.list_for_team(session, team, include_done=True):
        event = Event()
        event.add("uid", f"deadline-{dv.deadline.id}@lefbot")
        event.add("dtstamp", now)
        event.add("summary", f"Deadline: {dv.deadline.title}")
        event.add("dtstart", dv.deadline.due_at)
        event.add("dtend", dv.deadline.due_at + timedelta(minutes=15))
        owners = "het hele team" if dv.deadline.whole_team else ", ".join(m.name for m in dv.owners)
        event.add("description", f"{dv.sprint.name} · eigenaar(s): {owners}")
        if dv.deadline.status == "done":
            event.add("categories", ["klaar"])
        cal.add_component(event)
    return cal.to_ical()


def filename(team: Team) -> str:
    """A safe file name for the team's calendar."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in team.name.lower()).strip("-") or "team"
    return f"{slug[:60]}.ics"


def ical_reply(core: CoreServices, ctx: CommandContext, args: str) -> Reply:
    """`/lef deadlines ical [team]`: the calendar as an attachment (meta) with a plain-text fallback."""
    from bot.deadlines import teams as team_svc
    from bot.texts import t

    with core.db.session() as session:
        try:
            if args.strip():
                team = dl.require_team(session, args)
            else:
                mine = team_svc.teams_of(session, ctx.user_id)
                if len(mine) != 1:
                    return Reply(t("dl.ical_which", ctx.lang), private=True)
                team = mine[0]
        except dl.Refusal as exc:
            return Reply(exc.message(ctx.lang), private=True)
        if not (
            team_svc.is_in_team(session, ctx.user_id, team)
            or team_svc.can_manage(session, ctx.user_id, team, core.settings.process_supporters)
        ):
            return Reply(t("dl.not_your_team", ctx.lang, team=team.name), private=True)
        content = team_calendar(session, team, core.clock.now()).decode("utf-8")
    name = filename(team)
    count = content.count("BEGIN:VEVENT")
    text = t("dl.ical_ready", ctx.lang, team=team.name, count=count, filename=name)
    return Reply(text, body=text + "\n```\n" + content + "```", meta={"filename": name, "file_content": content})
