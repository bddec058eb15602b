"""`/lef team`, `/lef sprint`, `/lef deadline`, `/lef mijn deadlines`, free days, away, and the nudge buttons."""

from __future__ import annotations

import logging
import re
import threading
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import exc as sa_exc
from sqlmodel import Session

from bot.calendar.dates import DateError, parse_date, parse_day
from bot.calendar.workdays import Holidays, format_weekdays, next_working_morning, parse_weekdays
from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.forms import Form, FormField, Submitted
from bot.chat.replies import Button, Reply
from bot.claims import Claim
from bot.deadlines import deadlines as dl
from bot.deadlines import nudges
from bot.deadlines import teams as team_svc
from bot.deadlines.models import Sprint, Team
from bot.deadlines.nudge_messages import format_when
from bot.ids import channel_token, is_email
from bot.people.models import Member
from bot.texts import UserError, t

log = logging.getLogger(__name__)
MAX_INPUT = 1000
DEADLINE_FORM_ID = "deadline_form"
NEW_FORM_ACTION = "deadline_new_form"
FORM_SPRINT, FORM_TITLE, FORM_DUE, FORM_OWNERS = "sprint", "title", "due", "owners"
_FIELD_OF_KEY = {
    "dl.bad_name": FORM_TITLE, "dl.deadline_exists": FORM_TITLE,
    "dl.owners_unknown": FORM_OWNERS, "dl.bad_user": FORM_OWNERS, "dl.owners_missing": FORM_OWNERS,
}  # fmt: skip
AWAY_CONFIRM_DAYS = 28  # a longer absence is set only after a confirmation
AWAY_CONFIRM_ACTION = "away_confirm"
_SELF_WORDS = {"ik", "me", "mij", "mezelf", "mijzelf", "zelf", "i", "myself"}
_TEAM_WORDS = {"team", "hele team", "heel team", "iedereen", "everyone", "whole team", "all"}


class DeadlineCommands:
    """The chat side of sprint deadlines; every handler opens its own session (one unit of work)."""

    def __init__(self, core: Any) -> None:
        self.core = core
        self._local = threading.local()

    # --- helpers ---------------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.core.clock.now()

    def supporters(self, ctx: CommandContext) -> frozenset[str]:
        """Global process supporters; in the console without any configured, the console user is one."""
        configured = self.core.settings.process_supporters
        if not configured and ctx.channel_kind == "console":
            return frozenset({ctx.user_id})
        return configured

    def me(self, session: Session, ctx: CommandContext) -> Member:
        """The member row of whoever runs the command (created on first sight, zone refreshed)."""
        return team_svc.ensure_member(
            session, ctx.user_id, self.now, ctx.user_name, ctx.user_tz, self.core.settings.timezone.key
        )

    @staticmethod
    def user_ref(ctx: CommandContext, token: str) -> str | None:
        """A user id from a mention; `ik`, `me`, `mij` (with or without @) mean whoever runs the command."""
        if token.strip().lstrip("@").lower() in _SELF_WORDS:
            return ctx.user_id
        return team_svc.parse_user(token)

    def member_ref(self, session: Session, ctx: CommandContext, token: str) -> str | None:
        """Like `user_ref`, and an e-mail address finds the member who has it."""
        if is_email(token.strip()):
            member = team_svc.member_by_email(session, token)
            return member.user_id if member else None
        return self.user_ref(ctx, token)

    def holidays(self) -> Holidays:
        """The configured public holidays."""
        return Holidays(self.core.settings.holidays_off)

    @staticmethod
    def parts(rest: str, at_least: int = 0, usage: str = "") -> list[str]:
        """Arguments split on `|` (adapters write mentions as `@<id>`); Refusal(usage) when too few."""
        parts = [p.strip() for p in rest.split("|")]
        if len(parts) < at_least:
            raise dl.Refusal(usage)
        return parts

    def run(self, ctx: CommandContext, rest: str, body) -> Reply:  # noqa: ANN001
        """Run `body(session)` in one transaction; refusals and date errors become kind replies."""
        if len(rest) > MAX_INPUT:
            return Reply(t("dl.too_long", ctx.lang, count=len(rest), max=MAX_INPUT), private=True)
        self._local.posts = []
        try:
            with self.core.db.session() as session:
                reply, replan = body(session)
        except UserError as exc:
            return Reply(exc.message(ctx.lang), private=True)
        for deadline_id in replan:
            nudges.replan_deadline(self.core, deadline_id)
        for channel, text in self._local.posts:
            try:
                self.core.messenger.post(channel, Reply(text))
            except Exception:
                log.warning("could not post to a team channel")
        self._local.posts = []
        return reply

    def reply(self, ctx: CommandContext, key: str, **values: object) -> Reply:
        """A reply in the user's language."""
        return Reply(t(key, ctx.lang, **values))

    def user_zone(self, session: Session, ctx: CommandContext, team: Team) -> ZoneInfo:
        """The zone in which the user means the times they type."""
        zone = ctx.user_tz if team_svc.valid_timezone(ctx.user_tz or "") else ""
        if not zone:
            member = self.me(session, ctx)
            zone = member.timezone or team.timezone
        return ZoneInfo(zone)

    # --- /lef team -------------------------------------------------------------------------------

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

    # --- /lef sprint -----------------------------------------------------------------------------

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

    # --- /lef deadline ---------------------------------------------------------------------------

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

    # --- the "new deadline" form (a modal on Slack) ----------------------------------------------

    def manageable_sprints(self, session: Session, ctx: CommandContext) -> list[tuple[Sprint, Team]]:
        """Sprints not yet over, of the teams the user may manage (process supporters), by team and start."""
        global_supporter = ctx.user_id in self.supporters(ctx)
        teams = (
            session.exec(_teams_query()).all()
            if global_supporter
            else team_svc.teams_of(session, ctx.user_id, team_svc.SUPPORTER)
        )
        found: list[tuple[Sprint, Team]] = []
        for team in sorted(teams, key=lambda x: x.name.lower()):
            today = self.now.astimezone(ZoneInfo(team.timezone)).date()
            found += [(s, team) for s in session.exec(_sprints_query(team.id)).all() if s.end >= today]
        return found

    def deadline_form(self, ctx: CommandContext) -> Form | Reply:
        """The form for a new deadline, or a private kind refusal when the user manages no running sprint."""
        with self.core.db.session() as session:
            choices = [(str(s.id), f"{team.name} — {s.name}"[:75]) for s, team in self.manageable_sprints(session, ctx)]
        if not choices:
            return Reply(t("dl.form_no_sprints", ctx.lang), private=True)
        lang = ctx.lang
        fields = (
            FormField(FORM_SPRINT, t("dl.form_sprint", lang), "choice", initial=choices[0][0], options=tuple(choices)),
            FormField(FORM_TITLE, t("dl.form_title", lang), "line", max_length=dl.MAX_TITLE),
            FormField(FORM_DUE, t("dl.form_due", lang), "line", max_length=60, hint=t("dl.form_due_hint", lang)),
            FormField(FORM_OWNERS, t("dl.form_owners", lang), "users", required=False,
                      hint=t("dl.form_owners_hint", lang)),
        )  # fmt: skip
        return Form(
            DEADLINE_FORM_ID, t("dl.form_heading", lang), t("dl.form_submit", lang), t("dl.form_close", lang), fields
        )

    def submit_deadline_form(self, ctx: CommandContext, values: dict[str, str]) -> Submitted:
        """Create the deadline of a submitted form (committed), or per-field errors with nothing stored."""
        sprint_id = values.get(FORM_SPRINT, "").strip()
        title, when = values.get(FORM_TITLE, ""), values.get(FORM_DUE, "")
        owners_text = values.get(FORM_OWNERS, "").strip() or "team"  # nobody chosen: the whole team
        try:
            with self.core.db.session() as session:
                sprint = session.get(Sprint, int(sprint_id)) if sprint_id.isdigit() else None
                team = session.get(Team, sprint.team_id) if sprint is not None else None
                if team is None:
                    raise _FormInvalid({FORM_SPRINT: t("dl.form_sprint_gone", ctx.lang)})
                errors = self._form_errors(session, ctx, team, title, when, owners_text)
                if errors:
                    raise _FormInvalid(errors)
                reply, deadline_id = self.create(session, ctx, team, title, when, owners_text, sprint)
        except _FormInvalid as exc:
            return Submitted(exc.errors)
        except UserError as exc:
            return Submitted({form_field(exc): exc.message(ctx.lang)})
        except sa_exc.IntegrityError:  # the same title in the same sprint, at the same moment: one deadline
            return Submitted({FORM_TITLE: t("dl.form_duplicate", ctx.lang, title=" ".join(title.split())[:80])})
        nudges.replan_deadline(self.core, deadline_id)
        return Submitted(reply=Reply(reply.text, meta=reply.meta, private=True))

    def _form_errors(
        self, session: Session, ctx: CommandContext, team: Team, title: str, when: str, owners_text: str
    ) -> dict[str, str]:
        """Every field's problem at once, with the same checks `create` makes (nothing is written)."""
        errors: dict[str, str] = {}
        checks = (
            lambda: dl.require_manager(session, ctx.user_id, team, self.supporters(ctx)),
            lambda: dl.clean_name(title, dl.MAX_TITLE),
            lambda: parse_date(when, self.now.astimezone(self.user_zone(session, ctx, team))),
            lambda: self.owners(session, team, owners_text, ctx),
        )
        for check in checks:
            try:
                check()
            except UserError as exc:
                errors.setdefault(form_field(exc), exc.message(ctx.lang))
        return errors

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

    def new_button(self, session: Session, ctx: CommandContext) -> tuple[Button, ...]:
        """ "Nieuwe deadline" for whoever manages a running sprint; nothing for the others."""
        if not self.manageable_sprints(session, ctx):
            return ()
        return (Button(t("dl.btn_new", ctx.lang), NEW_FORM_ACTION, "new"),)

    def click_new(self, ctx: CommandContext, value: str) -> ActionResult:
        """ "Nieuwe deadline" where no form can open (console): explain the text command."""
        return ActionResult(Reply(t("dl.deadline_usage", ctx.lang), private=True), "private")

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

    # --- free days and away ----------------------------------------------------------------------

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

    # --- buttons on a nudge ----------------------------------------------------------------------

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


class _FormInvalid(Exception):
    """Field errors of a form: roll the transaction back and show them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("form invalid")
        self.errors = errors


def form_field(exc: Exception) -> str:
    """The form field a refusal or date error belongs to (the date field for every date error)."""
    if isinstance(exc, DateError):
        return FORM_DUE
    return _FIELD_OF_KEY.get(getattr(exc, "key", ""), FORM_SPRINT)


def _d(day) -> str:  # noqa: ANN001
    return day.strftime("%d-%m-%Y")


def _channel(text: str) -> str:
    return channel_token(text)


def _member_query(user_id: str):  # noqa: ANN202
    from sqlmodel import select

    return select(Member).where(Member.user_id == user_id)


def _sprints_query(team_id: int):  # noqa: ANN202
    from sqlmodel import select

    return select(Sprint).where(Sprint.team_id == team_id).order_by(Sprint.start)


def _teams_query():  # noqa: ANN202
    from sqlmodel import select

    return select(Team).order_by(Team.name)


def register(core: Any) -> DeadlineCommands:
    """Register the deadline commands and buttons on a Core."""
    feature = DeadlineCommands(core)
    r = core.router
    r.register("team", feature.team, "teams beheren: `{cmd} team` voor uitleg", "manage teams", ())
    r.register("teams", feature.teams, "alle teams", "all teams")
    r.register("sprint", feature.sprint, "sprints: `{cmd} sprint` voor uitleg", "sprints")
    r.register("deadline", feature.deadline, "deadlines: `{cmd} deadline` voor uitleg", "deadlines")
    r.register("deadlines ical", lambda c, a: _ical(core, c, a), "agenda (iCal) van je team", "team calendar (iCal)")
    r.register("deadlines", lambda c, a: feature.deadline_list(c, a), "open deadlines van je teams", "open deadlines")
    r.register("mijn deadlines", feature.mine, "jouw open deadlines", "your open deadlines", ("my deadlines",))
    r.register(
        "vrije dagen", feature.free_days, "je vaste vrije dagen, bv. `vrijdag`", "your free days", ("free days", "vrij")
    )
    r.register("afwezig", feature.away, "afwezig, bv. `21-12 tot 3-1`", "out of office", ("away",))
    core.actions.register("deadline_done", feature.click_done)
    core.actions.register("deadline_snooze", feature.click_snooze)
    core.actions.register("deadline_help", feature.click_help)
    core.actions.register(NEW_FORM_ACTION, feature.click_new)
    core.actions.register(AWAY_CONFIRM_ACTION, feature.click_away)
    from bot.answering import curation_commands
    from bot.deadlines import member_data

    member_data.register(core)
    curation_commands.register(core)
    return feature


def _ical(core: Any, ctx: CommandContext, args: str) -> Reply:
    from bot.deadlines.ical import ical_reply

    return ical_reply(core, ctx, args)
