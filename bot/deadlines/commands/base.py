"""What every part of the deadline commands shares: the core, the session unit of work, helpers."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.dates import DateError
from bot.calendar.workdays import Holidays
from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.deadlines import deadlines as dl
from bot.deadlines import nudge_jobs
from bot.deadlines import teams as team_svc
from bot.deadlines.models import Sprint, Team
from bot.ids import channel_token, is_email
from bot.people.models import Member
from bot.ports import CoreServices
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


class CommandBase:
    """The chat side of sprint deadlines; every handler opens its own session (one unit of work)."""

    def __init__(self, core: CoreServices) -> None:
        self.core = core
        self._local = threading.local()

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
            nudge_jobs.replan_deadline(self.core, deadline_id)
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
