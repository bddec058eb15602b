"""The buttons on a nudge: done, snooze and ask a supporter for help."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import next_working_morning
from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.claims import Claim
from bot.deadlines import deadlines as dl
from bot.deadlines import teams as team_svc
from bot.deadlines.commands.base import CommandBase
from bot.deadlines.nudge_messages import format_when
from bot.texts import t

log = logging.getLogger(__name__)


class NudgeButtons(CommandBase):
    """The buttons on a nudge: done, snooze, help."""

    @staticmethod
    def _deadline_id(value: str) -> int | None:
        parts = value.split(":")
        return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None

    def click_done(self, ctx: CommandContext, value: str) -> ActionResult:
        """ "Klaar": mark done, update the message, tell the team channel."""
        deadline_id = self._deadline_id(value)
        reply = self.run(ctx, "", lambda s: (self._click_done(s, ctx, deadline_id), [deadline_id or 0]))
        return ActionResult(reply, "private" if reply.private else "replace")

    def _click_done(self, session: Session, ctx: CommandContext, deadline_id: int | None) -> Reply:
        if deadline_id is None or session.get(dl.Deadline, deadline_id) is None:
            return Reply(t("nudge.gone", ctx.lang))
        dv = dl.get(session, deadline_id)
        self._close(session, ctx, dv)
        return Reply(t("nudge.done_update", ctx.lang, title=dv.deadline.title))

    def click_snooze(self, ctx: CommandContext, value: str) -> ActionResult:
        """ "Herinner me morgen": one more nudge on the member's next working morning."""
        deadline_id = self._deadline_id(value)

        def body(session: Session):
            if deadline_id is None or session.get(dl.Deadline, deadline_id) is None:
                return Reply(t("nudge.gone", ctx.lang)), []
            dv = dl.get(session, deadline_id)
            member = self.me(session, ctx)
            if not any(m.user_id == ctx.user_id for m in dv.owners):
                raise dl.Refusal("dl.not_owner", id=deadline_id, team=dv.team.name)
            cal = team_svc.calendar_for(session, member, self.holidays(), self.core.settings.nudge_time)
            when = next_working_morning(cal, self.now)
            session.add(dl.Snooze(deadline_id=deadline_id, member_id=member.id, send_at=when, created_at=self.now))
            text = t("nudge.snoozed", ctx.lang, when=format_when(when, cal.tz, ctx.lang), title=dv.deadline.title)
            return Reply(text, private=True), [deadline_id]

        return ActionResult(self.run(ctx, "", body), "private")

    def click_help(self, ctx: CommandContext, value: str) -> ActionResult:
        """ "Hulp nodig": tell the team's process supporters, with context and a link to the nudge."""
        deadline_id = self._deadline_id(value)
        posts: list[tuple[str, str]] = []

        def body(session: Session):
            if deadline_id is None or session.get(dl.Deadline, deadline_id) is None:
                return Reply(t("nudge.gone", ctx.lang)), []
            dv = dl.get(session, deadline_id)
            if not team_svc.is_in_team(session, ctx.user_id, dv.team):
                raise dl.Refusal("dl.not_your_team", team=dv.team.name)
            supporters = [m.user_id for m in team_svc.members_of(session, dv.team.id, "supporter")]
            supporters = supporters or sorted(self.core.settings.process_supporters)
            if not supporters:
                raise dl.Refusal("nudge.help_none", team=dv.team.name)
            claim = session.get(Claim, value)
            link = ""
            if claim is not None and claim.ref_channel and claim.ref_ts and self.core.messenger is not None:
                from bot.chat.replies import MessageRef

                url = self.core.messenger.permalink(MessageRef(claim.ref_channel, claim.ref_ts))
                link = f"\n{url}" if url else ""
            who = self.me(session, ctx).name
            zone = ZoneInfo(dv.team.timezone)
            text = t(
                "nudge.help_post", "nl", who=who, title=dv.deadline.title, team=dv.team.name,
                when=format_when(dv.deadline.due_at, zone, "nl"), link=link,
            )  # fmt: skip
            posts.extend((s, text) for s in supporters)
            names = ", ".join(supporters)
            return Reply(t("nudge.help_sent", ctx.lang, who=names, title=dv.deadline.title), private=True), []

        reply = self.run(ctx, "", body)
        for user_id, text in posts:
            try:
                self.core.messenger.send_dm(user_id, Reply(text))
            except Exception:
                log.warning("could not reach a process supporter for a help request")
        return ActionResult(reply, "private")
