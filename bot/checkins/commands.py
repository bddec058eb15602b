"""Wires check-ins into the core: `/lef checkin …` commands, buttons, the DM hook, privacy and the scheduler."""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any

from sqlmodel import Session, col, select

from bot import claims
from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.files import FileUploader
from bot.chat.messenger import MessengerError
from bot.chat.replies import Button, Incoming, Reply
from bot.checkins import report, store
from bot.checkins.models import CheckinSettings
from bot.checkins.plan import PAUSE_NOTICE_WINDOW, pause_notice_moment
from bot.checkins.service import CheckinService
from bot.checkins.settings_commands import SETTINGS_ACTION, CheckinSettingsCommands
from bot.deadlines.models import Team, TeamMember
from bot.people.models import Member
from bot.ports import CoreServices
from bot.texts import t

log = logging.getLogger(__name__)

VERBS = {
    "dagen": "days",
    "days": "days",
    "tijd": "time",
    "time": "time",
    "samenvatting": "summary",
    "summary": "summary",
    "nu": "now",
    "now": "now",
    "aan": "on",
    "on": "on",
    "uit": "off",
    "off": "off",
    "vraag": "question",
    "question": "question",
    "vragen": "questions",
    "questions": "questions",
    "doorgaan": "keep",
    "keep": "keep",
    "pauzeren": "pause",
    "pause": "pause",
}
DIGEST_TIME = time(9, 0)


def pause_reply(team: Any, lang: str) -> Reply:
    """The DM to supporters when check-ins pause after the team's last sprint."""
    text = t("checkins.paused", lang, team=team.name, end=f"{team.last_sprint_end:%d-%m-%Y}")
    return Reply(text, body=text)


class CheckinFeature(CheckinSettingsCommands):
    """The check-in feature as the core sees it."""

    def __init__(self, core: CoreServices) -> None:
        self.core = core
        self.settings = core.settings
        self.service = CheckinService(core.db, core.clock, core.settings, lambda: core.messenger)
        self.uploader: FileUploader | None = None

    # --- scheduler ------------------------------------------------------------------------------

    def run(self, now: datetime) -> dict[str, int]:
        """Everything time-driven: prompts, reminders, summaries, blockers, daily retention, weekly digest."""
        counts = self.service.sweep(now)
        counts["expired"] = self.retention(now)
        counts["digests"] = self.digests(now)
        counts["paused"] = self.pause_notices(now)
        return counts

    def pause_notices(self, now: datetime) -> int:
        """Tell a team's supporters once, the morning after its last sprint, that check-ins paused."""
        sent = 0
        for team in self.service.teams():
            moment = pause_notice_moment(team)
            if moment is None or not moment <= now < moment + PAUSE_NOTICE_WINDOW:
                continue
            with self.core.db.session() as s:
                people = [
                    (m.user_id, m.language or self.settings.language) for m in store.supporters_of(s, team.team_id)
                ]
            for user_id, lang in people:
                key = f"checkin:paused:{team.team_id}:{team.last_sprint_end}:{user_id}"
                with self.core.db.session() as s:
                    if not claims.claim(s, key, now=now, kind="checkin_paused", subject=user_id):
                        continue
                reply = pause_reply(team, lang)
                sent += self.service.deliver(key, lambda m, u=user_id, r=reply: m.send_dm(u, r)) is not None
        return sent

    def retention(self, now: datetime) -> int:
        """Once a day: delete answers older than CHECKIN_RETENTION_DAYS."""
        today = now.astimezone(self.settings.timezone).date()
        with self.core.db.session() as s:
            if not claims.claim(s, f"checkin:retention:{today.isoformat()}", now=now, kind="retention"):
                return 0
            count = report.delete_expired(s, today, self.settings.checkin_retention_days)
        if count:
            log.info(
                "check-in retention: deleted %d answers older than %d days", count, self.settings.checkin_retention_days
            )
        return count

    def digests(self, now: datetime) -> int:
        """On Monday from 09:00: one digest per process supporter of two or more teams with check-ins."""
        local = now.astimezone(self.settings.timezone)
        if local.weekday() != 0 or local.time() < DIGEST_TIME or self.core.messenger is None:
            return 0
        year, week, _ = local.isocalendar()
        sent = 0
        for user_id, lang, teams in self.digest_targets():
            key = f"checkin:digest:{user_id}:{year}-W{week:02d}"
            with self.core.db.session() as s:
                if not claims.claim(s, key, now=now, kind="checkin_digest", subject=user_id):
                    continue
                text = report.digest_text(s, teams, lang, f"{week} ({year})")
            reply = Reply(text, body=text)
            sent += self.service.deliver(key, lambda m, u=user_id, r=reply: m.send_dm(u, r)) is not None
        return sent

    def digest_targets(self) -> list[tuple[str, str, list[Team]]]:
        """Who gets the Monday digest: (user id, language, teams) for supporters of two or more teams."""
        with self.core.db.session() as s:
            teams = s.exec(
                select(Team)
                .join(CheckinSettings, col(CheckinSettings.team_id) == col(Team.id))
                .where(CheckinSettings.enabled)
            ).all()
            by_user: dict[str, list[Team]] = {u: list(teams) for u in self.settings.process_supporters}
            langs: dict[str, str] = {}
            for tm, member in s.exec(
                select(TeamMember, Member)
                .join(Member, col(Member.id) == col(TeamMember.member_id))
                .where(TeamMember.role == store.SUPPORTER)
            ).all():
                langs[member.user_id] = member.language
                team = next((x for x in teams if x.id == tm.team_id), None)
                if team and team not in by_user.setdefault(member.user_id, []):
                    by_user[member.user_id].append(team)
        return [(u, langs.get(u, self.settings.language), ts) for u, ts in sorted(by_user.items()) if len(ts) >= 2]

    def _global(self, ctx: CommandContext) -> frozenset[str]:
        """PROCESS_SUPPORTERS; in the console without any configured, the console user (as for deadlines)."""
        configured = self.settings.process_supporters
        return frozenset({ctx.user_id}) if not configured and ctx.channel_kind == "console" else configured

    # --- DM hook and buttons --------------------------------------------------------------------

    def intercept(self, incoming: Incoming) -> Reply | None:
        """A DM that answers the open check-in question; None lets the core answer it as a question."""
        return self.service.on_dm(incoming.user_id, incoming.text)

    def _round_action(self, method: str) -> Any:
        def handler(ctx: CommandContext, value: str) -> ActionResult:
            if not value.isdigit():
                return ActionResult(Reply(t("checkins.error.round_gone", ctx.lang), private=True), "private")
            if method == "open":
                return ActionResult(self.service.start_in_dm(ctx.user_id, int(value), ctx.lang), "private")
            if method == "later":
                reply = self.service.later(ctx.user_id, int(value), ctx.lang)
            else:
                reply = self.service.skip(ctx.user_id, int(value), ctx.lang, off=method == "off")
            return ActionResult(reply, "private" if reply.private else "amend")

        return handler

    def _pickup(self, ctx: CommandContext, value: str) -> ActionResult:
        if not value.isdigit():
            return ActionResult(Reply(t("checkins.error.round_gone", ctx.lang), private=True), "private")
        reply, _won = self.service.pickup(ctx.user_id, int(value), ctx.lang)
        return ActionResult(reply, "private" if reply.private else "amend")

    def _csv_click(self, ctx: CommandContext, value: str) -> ActionResult:
        parts = value.split(":")
        with self.core.db.session() as s:
            team = s.get(Team, int(parts[0])) if parts[0].isdigit() else None
            if team is None or len(parts) != 3:
                return ActionResult(Reply(t("checkins.error.round_gone", ctx.lang), private=True), "private")
            if not store.is_supporter(s, ctx.user_id, team.id, self._global(ctx)):
                return ActionResult(
                    Reply(t("checkins.cmd.not_allowed", ctx.lang, team=team.name), private=True), "private"
                )
            period = report.Period(datetime.fromisoformat(parts[1]).date(), datetime.fromisoformat(parts[2]).date(), "")
        return ActionResult(self._send_csv(ctx, team, period), "private")

    # --- commands -------------------------------------------------------------------------------

    def _find_team(
        self, s: Session, words: list[str], ctx: CommandContext
    ) -> tuple[Team | None, list[str], Reply | None]:
        """The team named by the longest prefix of `words`, or the only team the user supports; plus the rest."""
        teams = list(s.exec(select(Team).order_by(col(Team.name))).all())
        if not teams:
            return None, words, Reply(t("checkins.cmd.no_teams", ctx.lang), private=True)
        names = {x.name.lower(): x for x in teams}
        for length in range(len(words), 0, -1):
            team = names.get(" ".join(words[:length]).lower())
            if team:
                return team, words[length:], None
        mine = [x for x in teams if store.is_supporter(s, ctx.user_id, x.id, frozenset())]
        if len(mine) == 1:
            return mine[0], words, None
        if len(teams) == 1 and ctx.user_id in self._global(ctx):
            return teams[0], words, None
        return None, words, None

    def _team_error(self, teams: list[Team], text: str, lang: str) -> Reply:
        if not text:
            return Reply(t("checkins.cmd.which_team", lang, example=teams[0].name if teams else "Team"), private=True)
        listed = ", ".join(x.name for x in teams[:20])
        return Reply(t("checkins.cmd.no_team", lang, name=text, teams=listed), private=True)

    def command(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef checkin [team] [dagen|tijd|samenvatting|aan|uit|vraag|vragen …]`."""
        words = rest.split()
        if not words or words[0].lower() in ("help", "hulp", "?"):
            return Reply(t("checkins.cmd.help", ctx.lang), private=True)
        verb_at = next((i for i, w in enumerate(words) if w.lower() in VERBS), len(words))
        with self.core.db.session() as s:
            team, leftover, error = self._find_team(s, words[:verb_at], ctx)
            if error:
                return error
            if team is None or leftover:
                teams = list(s.exec(select(Team).order_by(col(Team.name))).all())
                return self._team_error(teams, " ".join(words[:verb_at]), ctx.lang)
            if not store.is_supporter(s, ctx.user_id, team.id, self._global(ctx)):
                return Reply(t("checkins.cmd.not_allowed", ctx.lang, team=team.name), private=True)
            row = s.get(CheckinSettings, team.id)
            if verb_at == len(words):
                text = self._settings_text(team, row, ctx.lang)
                edit = Button(t("checkins.button.settings", ctx.lang), SETTINGS_ACTION, str(team.id))
                return Reply(text, body=text, buttons=(edit,), private=True)
            verb = VERBS[words[verb_at].lower()]
            if verb != "now":
                row = row or CheckinSettings(team_id=team.id, updated_at=self.core.clock.now())
                problem = self._change(row, verb, words[verb_at + 1 :], ctx.lang)
                if problem:
                    return Reply(problem, private=True)
                row.updated_at = self.core.clock.now()
                s.add(row)
                text = t("checkins.cmd.saved", ctx.lang, settings=self._settings_text(team, row, ctx.lang))
                return Reply(text, private=True)
            team_id = team.id
        count = self.service.prompt_now(team_id, self.core.clock.now())
        return Reply(t("checkins.cmd.now", ctx.lang, count=count), private=True)

    def _report_target(self, ctx: CommandContext, rest: str) -> tuple[Team, report.Period] | Reply:
        words = rest.split()
        with self.core.db.session() as s:
            team, leftover, error = self._find_team(s, words, ctx)
            if error:
                return error
            if team is None:
                teams = list(s.exec(select(Team).order_by(col(Team.name))).all())
                return self._team_error(teams, "", ctx.lang) if not words else self._team_error(teams, rest, ctx.lang)
            if not store.is_supporter(s, ctx.user_id, team.id, self._global(ctx)):
                return Reply(t("checkins.cmd.not_allowed", ctx.lang, team=team.name), private=True)
            today = self.core.clock.now().astimezone(self.settings.timezone).date()
            period = report.parse_period(s, team.id, " ".join(leftover), today)
            if period is None:
                return Reply(t("checkins.report.bad_period", ctx.lang, value=" ".join(leftover)), private=True)
            return team, period

    def report_command(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef checkin rapport [team] [sprint of periode]`."""
        target = self._report_target(ctx, rest)
        if isinstance(target, Reply):
            return target
        team, period = target
        with self.core.db.session() as s:
            text = report.report_text(s, team, period, ctx.lang, self.settings.checkin_retention_days)
        value = f"{team.id}:{period.start.isoformat()}:{period.end.isoformat()}"
        return Reply(
            text, body=text, buttons=(Button(t("checkins.button.csv", ctx.lang), "checkin_csv", value),), private=True
        )

    def export_command(self, ctx: CommandContext, rest: str) -> Reply:
        """`/lef checkin export [team] [periode]`: the CSV as a file (Slack) or as text (console)."""
        target = self._report_target(ctx, rest)
        if isinstance(target, Reply):
            return target
        return self._send_csv(ctx, *target)

    def _send_csv(self, ctx: CommandContext, team: Team, period: report.Period) -> Reply:
        with self.core.db.session() as s:
            content = report.export_csv(s, [team.id], period.start, period.end)
        filename = f"checkins-{team.name.lower().replace(' ', '-')}-{period.start}-{period.end}.csv"
        if self.uploader is not None:
            try:
                self.uploader.upload(ctx.user_id, filename, content, filename)
                return Reply(t("checkins.export.uploaded", ctx.lang), private=True)
            except MessengerError:
                log.warning("CSV upload failed; showing the CSV inline")
        text = t("checkins.export.inline", ctx.lang, team=team.name, csv=content)
        return Reply(text, body=text, private=True)

    def mine(self, ctx: CommandContext, _rest: str) -> Reply:
        """`/lef mijn checkins`: only the user's own answers."""
        with self.core.db.session() as s:
            text = report.my_history(s, ctx.user_id, ctx.lang, self.settings.checkin_retention_days)
        return Reply(text, body=text, private=True)

    def export_data(self, user_id: str) -> list[str]:
        """Privacy export."""
        with self.core.db.session() as s:
            return report.privacy_export(s, user_id)

    def erase_data(self, user_id: str) -> int:
        """Privacy erase."""
        with self.core.db.session() as s:
            return report.privacy_erase(s, user_id)


def sweep_handler(core: CoreServices, now: datetime, _arg: int | str | None) -> None:
    """Scheduler entry: prompts, reminders and summaries due at `now`."""
    feature = getattr(core, "checkins", None)
    if feature is not None:
        feature.run(now)


def register(core: CoreServices) -> CheckinFeature:
    """Create the feature and register its commands, buttons, DM hook and personal data on `core`."""
    feature = CheckinFeature(core)
    router = core.router
    router.register(
        "checkin",
        feature.command,
        "check-ins instellen (procesbegeleiders)",
        "set up check-ins (process supporters)",
        ("check-in", "checkins"),
    )
    router.register(
        "checkin rapport",
        feature.report_command,
        "check-in rapport per team en sprint",
        "check-in report per team and sprint",
        ("checkin report", "check-in rapport"),
    )
    router.register(
        "checkin export", feature.export_command, "check-ins als CSV", "check-ins as CSV", ("check-in export",)
    )
    router.register(
        "mijn checkins",
        feature.mine,
        "je eigen check-ins (check-ins helpen het team, ze beoordelen geen mensen)",
        "your own check-ins (they help the team, they do not assess people)",
        ("my checkins", "mijn check-ins"),
    )
    for method in ("open", "later", "skip", "off"):
        core.actions.register(f"checkin_{method}", feature._round_action(method))
    core.actions.register("checkin_pickup", feature._pickup)
    core.actions.register("checkin_csv", feature._csv_click)
    core.actions.register(SETTINGS_ACTION, feature._settings_click)
    core.dm_interceptors.append(feature.intercept)
    core.privacy.register("checkins", feature.export_data, feature.erase_data)
    return feature
