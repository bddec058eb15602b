"""`/lef team …` and `/lef teams`: teams, their members, supporters and channel."""

from __future__ import annotations

from sqlmodel import Session

from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.deadlines import deadlines as dl
from bot.deadlines import teams as team_svc
from bot.deadlines.commands.base import CommandBase, _channel, _member_query, _sprints_query, _teams_query
from bot.deadlines.models import Team
from bot.texts import t


class TeamCommands(CommandBase):
    """`/lef team …` and `/lef teams`."""

    def team(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef team ...`."""
        word, _, args = rest.strip().partition(" ")
        word = word.lower()
        handlers = {
            "nieuw": self.team_new, "new": self.team_new,
            "lid": lambda c, a: self.team_add(c, a, team_svc.MEMBER),
            "member": lambda c, a: self.team_add(c, a, team_svc.MEMBER),
            "begeleider": lambda c, a: self.team_add(c, a, team_svc.SUPPORTER),
            "supporter": lambda c, a: self.team_add(c, a, team_svc.SUPPORTER),
            "weg": self.team_remove, "remove": self.team_remove,
            "kanaal": self.team_channel, "channel": self.team_channel,
        }  # fmt: skip
        if word in handlers:
            return handlers[word](ctx, args)
        if not rest.strip():
            return Reply(t("dl.team_usage", ctx.lang), private=True)
        return self.team_show(ctx, rest)

    def team_new(self, ctx: CommandContext, args: str) -> Reply:
        """Create a team; the creator becomes its process supporter."""

        def body(session: Session):
            if ctx.user_id not in self.supporters(ctx):
                raise dl.Refusal("dl.not_supporter_any")
            parts = self.parts(args)
            name = dl.clean_name(parts[0])
            if team_svc.find_team(session, name):
                raise dl.Refusal("dl.team_exists", team=name)
            channel = parts[1] if len(parts) > 1 else ""
            team = Team(
                name=name, channel=_channel(channel), timezone=self.core.settings.timezone.key, created_at=self.now
            )
            session.add(team)
            session.flush()
            team_svc.add_to_team(session, team, self.me(session, ctx), team_svc.SUPPORTER)
            return self.reply(ctx, "dl.team_created", team=name), []

        return self.run(ctx, args, body)

    def team_add(self, ctx: CommandContext, args: str, role: str) -> Reply:
        """Add a member or supporter: `<team> | @persoon [naam] [tijdzone]`."""

        def body(session: Session):
            parts = self.parts(args, 2, "dl.team_usage")
            team = dl.require_team(session, parts[0])
            dl.require_manager(session, ctx.user_id, team, self.supporters(ctx))
            words = parts[1].split()
            user_id = self.member_ref(session, ctx, words[0]) if words else None
            if not user_id:
                raise dl.Refusal("dl.bad_user", text=(words[0] if words else "")[:40])
            tz = next((w for w in words[1:] if "/" in w), "")
            if tz and not team_svc.valid_timezone(tz):
                raise dl.Refusal("dl.bad_tz", tz=tz[:64])
            name = " ".join(w for w in words[1:] if w != tz)
            member = team_svc.ensure_member(session, user_id, self.now, name[:120], tz, team.timezone)
            role_text = t(f"dl.role_{role}", ctx.lang)
            if not team_svc.add_to_team(session, team, member, role):
                return self.reply(ctx, "dl.member_already", who=member.name, team=team.name, role=role_text), []
            return self.reply(ctx, "dl.member_added", who=member.name, team=team.name, role=role_text), []

        return self.run(ctx, args, body)

    def team_remove(self, ctx: CommandContext, args: str) -> Reply:
        """Remove someone from a team."""

        def body(session: Session):
            parts = self.parts(args, 2, "dl.team_usage")
            team = dl.require_team(session, parts[0])
            dl.require_manager(session, ctx.user_id, team, self.supporters(ctx))
            user_id = self.member_ref(session, ctx, parts[1].split()[0] if parts[1].split() else "")
            if not user_id:
                raise dl.Refusal("dl.bad_user", text=parts[1][:40])
            member = session.exec(_member_query(user_id)).first()
            if member is None or not team_svc.remove_from_team(session, team, member):
                raise dl.Refusal("dl.member_not_in_team", who=user_id, team=team.name)
            return self.reply(ctx, "dl.member_removed", who=member.name, team=team.name), []

        return self.run(ctx, args, body)

    def team_channel(self, ctx: CommandContext, args: str) -> Reply:
        """Set the team channel."""

        def body(session: Session):
            parts = self.parts(args)
            if len(parts) < 2 or not parts[1]:
                raise dl.Refusal("dl.team_usage")
            team = dl.require_team(session, parts[0])
            dl.require_manager(session, ctx.user_id, team, self.supporters(ctx))
            team.channel = _channel(parts[1])
            session.add(team)
            return self.reply(ctx, "dl.channel_set", team=team.name, channel=team.channel), []

        return self.run(ctx, args, body)

    def team_show(self, ctx: CommandContext, args: str) -> Reply:
        """Show one team."""

        def body(session: Session):
            team = dl.require_team(session, args)
            nobody = t("dl.nobody", ctx.lang)
            sprints = session.exec(_sprints_query(team.id)).all()
            return self.reply(
                ctx, "dl.team_show", team=team.name, channel=team.channel or t("dl.none", ctx.lang),
                supporters=", ".join(m.name for m in team_svc.members_of(session, team.id, "supporter")) or nobody,
                members=", ".join(m.name for m in team_svc.members_of(session, team.id)) or nobody,
                sprints=", ".join(s.name for s in sprints) or t("dl.none", ctx.lang),
            ), []  # fmt: skip

        return self.run(ctx, args, body)

    def teams(self, ctx: CommandContext, rest: str) -> Reply:
        """List all teams."""

        def body(session: Session):
            rows = session.exec(_teams_query()).all()
            if not rows:
                raise dl.Refusal("dl.no_teams")
            return self.reply(ctx, "dl.teams_list", lines="\n".join(f"• {r.name}" for r in rows)), []

        return self.run(ctx, rest, body)
