"""`/lef vrije dagen` and `/lef afwezig`: a member's free days and time away."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.dates import parse_day
from bot.calendar.workdays import format_weekdays, parse_weekdays
from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.replies import Button, Reply
from bot.deadlines import deadlines as dl
from bot.deadlines import teams as team_svc
from bot.deadlines.commands.base import AWAY_CONFIRM_ACTION, AWAY_CONFIRM_DAYS, CommandBase, _d
from bot.texts import t


class AvailabilityCommands(CommandBase):
    """`/lef vrije dagen` and `/lef afwezig`."""

    def free_days(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef vrije dagen vrijdag` / `geen`."""

        def body(session: Session):
            member = self.me(session, ctx)
            text = rest.strip().lower()
            if not text:
                raise dl.Refusal("dl.free_usage")
            if text in ("geen", "none", "wis", "clear"):
                member.free_days = ""
                session.add(member)
                return self.reply(ctx, "dl.free_cleared"), []
            try:
                days = parse_weekdays(re.split(r"[\s,]+|\ben\b|\band\b", text))
            except ValueError as exc:
                raise dl.Refusal("dl.bad_weekday", text=str(exc).split("'")[1][:30]) from None
            working = parse_weekdays(member.working_days) - days
            if not working:
                raise dl.Refusal("dl.free_all_week")
            member.free_days = format_weekdays(days)
            session.add(member)
            names = t("dl.day_names", ctx.lang).split(",")
            return self.reply(ctx, "dl.free_set", days=", ".join(names[d] for d in sorted(days))), []

        return self.run(ctx, rest, body)

    def away(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef afwezig 21-12 tot 3-1` / `afwezig morgen` / `afwezig wis`."""

        def body(session: Session):
            member = self.me(session, ctx)
            text = rest.strip().lower()
            today = self.now.astimezone(ZoneInfo(member.timezone)).date()
            if not text:
                raise dl.Refusal("dl.away_usage")
            if text in ("wis", "geen", "clear", "none"):
                return self.reply(ctx, "dl.away_cleared", count=team_svc.clear_away(session, member, today)), []
            pieces = re.split(r"\s+(?:tot en met|t/m|tot|until|to|-)\s+", text, maxsplit=1)
            start = parse_day(pieces[0], today)
            end = parse_day(pieces[1], today) if len(pieces) > 1 else start
            bumped = end < start and len(pieces) > 1 and end.replace(year=end.year + 1) >= start
            if bumped:
                end = end.replace(year=end.year + 1)
            if end < start:
                raise dl.Refusal("dl.sprint_order", start=_d(start), end=_d(end))
            if (end - start) > timedelta(days=366):
                raise dl.Refusal("dl.away_too_long", start=_d(start), end=_d(end))
            if end < today:
                raise dl.Refusal("dl.away_over", start=_d(start), end=_d(end))
            if start < today:
                raise dl.Refusal("dl.away_past", start=_d(start), end=_d(end), today=_d(today))
            if (end - start).days + 1 > AWAY_CONFIRM_DAYS:
                return self._confirm_away(ctx, start, end, pieces if bumped else []), []
            team_svc.set_away(session, member, start, end)
            return self.reply(ctx, "dl.away_set", start=_d(start), end=_d(end)), []

        return self.run(ctx, rest, body)

    def _confirm_away(self, ctx: CommandContext, start: date, end: date, pieces: list[str]) -> Reply:
        """A long absence is set only after a click; typed ends that ran into the next year are offered reversed."""
        weeks = ((end - start).days + 1) // 7
        text = t("dl.away_confirm", ctx.lang, start=_d(start), end=_d(end), weeks=weeks)
        if len(pieces) > 1:
            text += " " + t("dl.away_reversed", ctx.lang, first=pieces[1].strip(), second=pieces[0].strip())
        button = Button(t("dl.away_confirm_button", ctx.lang), AWAY_CONFIRM_ACTION, f"{start}:{end}", "primary")
        return Reply(text, body=text, buttons=(button,), private=True)

    def click_away(self, ctx: CommandContext, value: str) -> ActionResult:
        """The confirmation of a long absence: set it for whoever clicks."""
        try:
            start, end = (date.fromisoformat(x) for x in value.split(":", 1))
        except ValueError:
            return ActionResult(Reply(t("dl.away_usage", ctx.lang), private=True), "private")

        def body(session: Session):
            team_svc.set_away(session, self.me(session, ctx), start, end)
            return self.reply(ctx, "dl.away_set", start=_d(start), end=_d(end)), []

        return ActionResult(self.run(ctx, "", body), "replace")
