"""The "new deadline" form (a modal on Slack), its button, and its checks."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import exc as sa_exc
from sqlmodel import Session

from bot.calendar.dates import parse_date
from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.forms import Form, FormField, Submitted
from bot.chat.replies import Button, Reply
from bot.deadlines import deadlines as dl
from bot.deadlines import nudge_jobs
from bot.deadlines import teams as team_svc
from bot.deadlines.commands.base import (
    DEADLINE_FORM_ID,
    FORM_DUE,
    FORM_OWNERS,
    FORM_SPRINT,
    FORM_TITLE,
    NEW_FORM_ACTION,
    CommandBase,
    _FormInvalid,
    _sprints_query,
    _teams_query,
    form_field,
)
from bot.deadlines.models import Sprint, Team
from bot.texts import UserError, t


class DeadlineForm(CommandBase):
    """The "new deadline" form (a modal on Slack) and its button."""

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
        nudge_jobs.replan_deadline(self.core, deadline_id)
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

    def new_button(self, session: Session, ctx: CommandContext) -> tuple[Button, ...]:
        """ "Nieuwe deadline" for whoever manages a running sprint; nothing for the others."""
        if not self.manageable_sprints(session, ctx):
            return ()
        return (Button(t("dl.btn_new", ctx.lang), NEW_FORM_ACTION, "new"),)

    def click_new(self, ctx: CommandContext, value: str) -> ActionResult:
        """ "Nieuwe deadline" where no form can open (console): explain the text command."""
        return ActionResult(Reply(t("dl.deadline_usage", ctx.lang), private=True), "private")
