"""`/lef deadline …`, `/lef deadlines` and `/lef mijn deadlines`: make, list, move, close and rename deadlines."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.dates import parse_date
from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.deadlines import deadlines as dl
from bot.deadlines import teams as team_svc
from bot.deadlines.commands.base import _TEAM_WORDS, CommandBase, _d
from bot.deadlines.models import Sprint, Team
from bot.deadlines.nudge_messages import format_when
from bot.people.models import Member
from bot.texts import t


class DeadlineTextCommands(CommandBase):
    """`/lef deadline …`, `/lef deadlines`, `/lef mijn deadlines`."""

    def deadline(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef deadline nieuw|lijst|verzet|klaar|weg|titel ...`."""
        word, _, args = rest.strip().partition(" ")
        word = word.lower()
        table = {
            "nieuw": self.deadline_new, "new": self.deadline_new,
            "lijst": self.deadline_list, "list": self.deadline_list,
            "verzet": self.deadline_move, "move": self.deadline_move,
            "klaar": self.deadline_done, "done": self.deadline_done,
            "weg": self.deadline_delete, "delete": self.deadline_delete, "verwijder": self.deadline_delete,
            "titel": self.deadline_rename, "title": self.deadline_rename,
        }  # fmt: skip
        if word in table:
            return table[word](ctx, args)
        return Reply(t("dl.deadline_usage", ctx.lang), private=True)

    def owners(self, session: Session, team: Team, text: str, ctx: CommandContext) -> tuple[list[Member], bool]:
        """Owners from mentions, or the whole team."""
        if " ".join(text.lower().split()) in _TEAM_WORDS:
            return [], True
        tokens = [w for w in re.split(r"[\s,]+", text) if w]
        if not tokens:
            raise dl.Refusal("dl.owners_missing")
        in_team = {
            m.user_id: m for role in ("member", "supporter") for m in team_svc.members_of(session, team.id, role)
        }
        found, unknown = [], []
        for token in tokens:
            user_id = self.member_ref(session, ctx, token)
            if user_id is None:
                raise dl.Refusal("dl.bad_user", text=token[:40])
            (found.append(in_team[user_id]) if user_id in in_team else unknown.append(user_id))
        if unknown:
            raise dl.Refusal("dl.owners_unknown", team=team.name, who=", ".join(unknown))
        return found, False

    def deadline_new(self, ctx: CommandContext, args: str) -> Reply:
        """Create a deadline: `<team> | <titel> | <wanneer> | <eigenaren> [| sprint]`."""

        def body(session: Session):
            parts = self.parts(args, 4, "dl.deadline_usage")
            team = dl.require_team(session, parts[0])
            dl.require_manager(session, ctx.user_id, team, self.supporters(ctx))
            sprint = dl.find_sprint(session, team, parts[4]) if len(parts) > 4 and parts[4] else None
            reply, deadline_id = self.create(session, ctx, team, parts[1], parts[2], parts[3], sprint)
            return reply, [deadline_id]

        return self.run(ctx, args, body)

    def create(
        self,
        session: Session,
        ctx: CommandContext,
        team: Team,
        title: str,
        when: str,
        owners_text: str,
        sprint: Sprint | None = None,
    ) -> tuple[Reply, int]:
        """The one way a deadline is made (text command and form): permission, date, owners, sprint, title."""
        dl.require_manager(session, ctx.user_id, team, self.supporters(ctx))
        zone = self.user_zone(session, ctx, team)
        parsed = parse_date(when, self.now.astimezone(zone))
        due = parsed.moment(zone)
        owners, whole = self.owners(session, team, owners_text, ctx)
        sprint = sprint or dl.sprint_for(session, team, parsed.day)
        deadline = dl.create_deadline(session, sprint, title, due, owners, whole, self.now)
        text = t(
            "dl.deadline_created", ctx.lang, id=deadline.id, title=deadline.title, team=team.name,
            when=format_when(due, zone, ctx.lang), owners=self.owner_text(ctx, owners, whole),
        )  # fmt: skip
        if not sprint.start <= parsed.day <= sprint.end:
            text += t(
                "dl.deadline_outside_sprint", ctx.lang, sprint=sprint.name, start=_d(sprint.start), end=_d(sprint.end)
            )
        return Reply(text, meta={"deadline_id": str(deadline.id)}), deadline.id

    def owner_text(self, ctx: CommandContext, owners: list[Member] | tuple[Member, ...], whole: bool) -> str:
        """Names of the owners, or "het hele team"."""
        return t("dl.team_owners", ctx.lang) if whole else ", ".join(m.name for m in owners)

    def line(self, ctx: CommandContext, dv: dl.DeadlineView, zone: ZoneInfo) -> str:
        """One deadline in a list."""
        status = (
            t("dl.status_done", ctx.lang) if dv.deadline.status == "done"
            else t("dl.status_overdue", ctx.lang) if dv.deadline.due_at < self.now else ""
        )  # fmt: skip
        return t(
            "dl.deadline_line", ctx.lang, id=dv.deadline.id, title=dv.deadline.title,
            when=format_when(dv.deadline.due_at, zone, ctx.lang),
            owners=self.owner_text(ctx, dv.owners, dv.deadline.whole_team), status=status,
        )  # fmt: skip

    def deadline_list(self, ctx: CommandContext, args: str) -> Reply:
        """Open deadlines of a team (or of the user's teams)."""

        def body(session: Session):
            teams = [dl.require_team(session, args)] if args.strip() else team_svc.teams_of(session, ctx.user_id)
            zone = ZoneInfo(self.me(session, ctx).timezone)
            lines = [self.line(ctx, dv, zone) for team in teams for dv in dl.list_for_team(session, team)]
            buttons = self.new_button(session, ctx)
            if not lines:
                return Reply(t("dl.no_deadlines", ctx.lang), buttons=buttons), []
            return Reply(t("dl.deadlines_title", ctx.lang) + "\n" + "\n".join(lines), buttons=buttons), []

        return self.run(ctx, args, body)

    def mine(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef mijn deadlines`."""

        def body(session: Session):
            zone = ZoneInfo(self.me(session, ctx).timezone)
            rows = dl.list_for_member(session, ctx.user_id)
            if not rows:
                return self.reply(ctx, "dl.mine_none"), []
            return Reply(t("dl.mine_title", ctx.lang) + "\n" + "\n".join(self.line(ctx, dv, zone) for dv in rows)), []

        return self.run(ctx, rest, body)

    def _deadline_arg(self, session: Session, text: str) -> dl.DeadlineView:
        token = text.strip().lstrip("#")
        if not token.isdigit() or len(token) > 12:
            raise dl.Refusal("dl.bad_id")
        return dl.get(session, int(token))

    def deadline_move(self, ctx: CommandContext, args: str) -> Reply:
        """Move a deadline: `<nr> | <wanneer>`."""

        def body(session: Session):
            parts = self.parts(args, 2, "dl.deadline_usage")
            dv = self._deadline_arg(session, parts[0])
            dl.require_manager(session, ctx.user_id, dv.team, self.supporters(ctx))
            zone = self.user_zone(session, ctx, dv.team)
            due = parse_date(parts[1], self.now.astimezone(zone)).moment(zone)
            dl.move(session, dv, due, self.now)
            return self.reply(
                ctx,
                "dl.deadline_moved",
                id=dv.deadline.id,
                title=dv.deadline.title,
                when=format_when(due, zone, ctx.lang),
            ), [dv.deadline.id]

        return self.run(ctx, args, body)

    def deadline_done(self, ctx: CommandContext, args: str) -> Reply:
        """Mark a deadline done (owners and supporters)."""

        def body(session: Session):
            dv = self._deadline_arg(session, args)
            return self._close(session, ctx, dv), [dv.deadline.id]

        return self.run(ctx, args, body)

    def _close(self, session: Session, ctx: CommandContext, dv: dl.DeadlineView) -> Reply:
        if not dl.may_close(session, ctx.user_id, dv, self.supporters(ctx)):
            raise dl.Refusal("dl.not_owner", id=dv.deadline.id, team=dv.team.name)
        if not dl.close(session, dv, ctx.user_id, self.now):
            return self.reply(
                ctx, "dl.deadline_already_done", id=dv.deadline.id, title=dv.deadline.title, who=dv.deadline.done_by
            )
        who = self.me(session, ctx).name
        if dv.team.channel and self.core.messenger is not None:
            self._local.posts.append((dv.team.channel, t("nudge.done_channel", "nl", who=who, title=dv.deadline.title)))
        return self.reply(ctx, "dl.deadline_done", id=dv.deadline.id, title=dv.deadline.title)

    def deadline_delete(self, ctx: CommandContext, args: str) -> Reply:
        """Delete a deadline (supporters)."""

        def body(session: Session):
            dv = self._deadline_arg(session, args)
            dl.require_manager(session, ctx.user_id, dv.team, self.supporters(ctx))
            deadline_id, title = dv.deadline.id, dv.deadline.title
            dl.delete(session, dv)
            return self.reply(ctx, "dl.deadline_deleted", id=deadline_id, title=title), [deadline_id]

        return self.run(ctx, args, body)

    def deadline_rename(self, ctx: CommandContext, args: str) -> Reply:
        """Rename a deadline: `<nr> | <titel>`."""

        def body(session: Session):
            parts = self.parts(args, 2, "dl.deadline_usage")
            dv = self._deadline_arg(session, parts[0])
            dl.require_manager(session, ctx.user_id, dv.team, self.supporters(ctx))
            dv.deadline.title = dl.clean_name(parts[1], dl.MAX_TITLE)
            session.add(dv.deadline)
            return self.reply(ctx, "dl.deadline_renamed", id=dv.deadline.id, title=dv.deadline.title), []

        return self.run(ctx, args, body)
