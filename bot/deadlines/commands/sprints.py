"""`/lef sprint …`: sprints of a team."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.dates import parse_day
from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.deadlines import deadlines as dl
from bot.deadlines import teams as team_svc
from bot.deadlines.commands.base import CommandBase, _d, _sprints_query
from bot.texts import t


class SprintCommands(CommandBase):
    """`/lef sprint …`."""

    def sprint(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef sprint nieuw|lijst|verzet|doel ...`."""
        word, _, args = rest.strip().partition(" ")
        word = word.lower()
        if word in ("nieuw", "new"):
            return self.sprint_new(ctx, args)
        if word in ("lijst", "list", ""):
            return self.sprint_list(ctx, args)
        if word in ("verzet", "move", "doel", "goal"):
            return self.sprint_change(ctx, args, word in ("doel", "goal"))
        return Reply(t("dl.sprint_usage", ctx.lang), private=True)

    def sprint_new(self, ctx: CommandContext, args: str) -> Reply:
        """Create a sprint."""

        def body(session: Session):
            parts = self.parts(args, 4, "dl.sprint_usage")
            team = dl.require_team(session, parts[0])
            dl.require_manager(session, ctx.user_id, team, self.supporters(ctx))
            today = self.now.astimezone(ZoneInfo(team.timezone)).date()
            start, end = parse_day(parts[2], today), parse_day(parts[3], today)
            goal = parts[4] if len(parts) > 4 else ""
            sprint = dl.create_sprint(session, team, parts[1], start, end, goal)
            return self.reply(
                ctx, "dl.sprint_created", sprint=sprint.name, team=team.name, start=_d(start), end=_d(end)
            ), []

        return self.run(ctx, args, body)

    def sprint_list(self, ctx: CommandContext, args: str) -> Reply:
        """List sprints of a team (or of the user's teams)."""

        def body(session: Session):
            teams = [dl.require_team(session, args)] if args.strip() else team_svc.teams_of(session, ctx.user_id)
            lines = []
            for team in teams:
                for s in session.exec(_sprints_query(team.id)).all():
                    goal = f" — {s.goal}" if s.goal else ""
                    lines.append(
                        t(
                            "dl.sprint_line",
                            ctx.lang,
                            sprint=s.name,
                            team=team.name,
                            start=_d(s.start),
                            end=_d(s.end),
                            goal=goal,
                        )
                    )
            if not lines:
                return Reply(f"{t('dl.sprints_empty', ctx.lang)}\n\n{t('dl.sprint_usage', ctx.lang)}"), []
            return Reply("\n".join(lines)), []

        return self.run(ctx, args, body)

    def sprint_change(self, ctx: CommandContext, args: str, goal_only: bool) -> Reply:
        """Move a sprint or change its goal."""

        def body(session: Session):
            parts = self.parts(args)
            if len(parts) < (3 if goal_only else 4):
                raise dl.Refusal("dl.sprint_usage")
            team = dl.require_team(session, parts[0])
            dl.require_manager(session, ctx.user_id, team, self.supporters(ctx))
            sprint = dl.find_sprint(session, team, parts[1])
            if goal_only:
                sprint.goal = parts[2][:2000]
                session.add(sprint)
                return self.reply(ctx, "dl.sprint_goal_set", sprint=sprint.name), []
            today = self.now.astimezone(ZoneInfo(team.timezone)).date()
            start, end = parse_day(parts[2], today), parse_day(parts[3], today)
            if end < start:
                raise dl.Refusal("dl.sprint_order", start=_d(start), end=_d(end))
            sprint.start, sprint.end = start, end
            session.add(sprint)
            return self.reply(ctx, "dl.sprint_moved", sprint=sprint.name, start=_d(start), end=_d(end)), []

        return self.run(ctx, args, body)
