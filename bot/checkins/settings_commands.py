"""Check-in settings for process supporters: `/lef checkin <team> dagen|tijd|…` and the settings form."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.forms import Form, FormField
from bot.chat.replies import Reply
from bot.checkins import store
from bot.checkins.models import CheckinSettings
from bot.checkins.service import Submitted
from bot.checkins.setup import (
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    Question,
    dump_questions,
    load_questions,
    parse_clock,
    parse_days,
    schedule_from_row,
)
from bot.deadlines.models import Team
from bot.ports import CoreServices
from bot.texts import t

SETTINGS_ACTION = "checkin_settings"
SETTINGS_FORM_ID = "checkin_settings_form"


class CheckinSettingsCommands:
    """Reading and changing a team's check-in settings; mixed into CheckinFeature (needs `core`, `settings`)."""

    core: CoreServices
    settings: Any

    def _settings_text(self, team: Team, row: CheckinSettings | None, lang: str) -> str:
        schedule = schedule_from_row(row)
        day_names = ("ma", "di", "wo", "do", "vr") if lang == "nl" else ("mon", "tue", "wed", "thu", "fri")
        days = ",".join(day_names[d] for d in sorted(schedule.days) if d < 5)
        questions = "\n".join(f"{i}. {q.text(lang)}" for i, q in enumerate(schedule.questions, 1))
        state = t("checkins.cmd.on" if row is not None and row.enabled else "checkins.cmd.off", lang)
        keep = row is not None and row.keep_without_sprint
        state += " · " + t("checkins.cmd.keep" if keep else "checkins.cmd.pause", lang)
        return t(
            "checkins.cmd.settings",
            lang,
            team=team.name,
            state=state,
            days=days,
            time=schedule.at.strftime("%H:%M"),
            summary=schedule.summary.strftime("%H:%M"),
            tz=team.timezone,
            questions=questions,
        )

    def _change(self, row: CheckinSettings, verb: str, args: list[str], lang: str) -> str:
        """Apply one change to the settings row; returns an error text, or "" when it worked."""
        value = " ".join(args)
        if verb in ("on", "off"):
            row.enabled = verb == "on"
            return ""
        if verb in ("keep", "pause"):
            row.keep_without_sprint = verb == "keep"
            return ""
        if verb == "days":
            try:
                row.days = ",".join(("mon", "tue", "wed", "thu", "fri")[d] for d in sorted(parse_days(value)))
            except ValueError as exc:
                return t(
                    "checkins.cmd.weekend" if str(exc) == "weekend" else "checkins.cmd.bad_days", lang, value=value
                )
            return ""
        if verb in ("time", "summary"):
            try:
                moment = parse_clock(value)
            except ValueError:
                return t("checkins.cmd.bad_time", lang, value=value or "?")
            start = moment if verb == "time" else parse_clock(row.time)
            end = moment if verb == "summary" else parse_clock(row.summary_time)
            if end <= start:
                return t(
                    "checkins.cmd.summary_before", lang, summary=end.strftime("%H:%M"), time=start.strftime("%H:%M")
                )
            if verb == "time":
                row.time = moment.strftime("%H:%M")
            else:
                row.summary_time = moment.strftime("%H:%M")
            return ""
        if verb == "questions":
            row.questions = ""
            return ""
        return self._change_question(row, args, lang)

    def _change_question(self, row: CheckinSettings, args: list[str], lang: str) -> str:
        questions = list(load_questions(row.questions))
        bad = t("checkins.cmd.bad_question", lang, count=len(questions))
        if not args:
            return bad
        action = args[0].lower()
        if action in ("erbij", "add", "nieuw", "new"):
            text = " ".join(args[1:])
            if not text:
                return bad
            if len(questions) >= MAX_QUESTIONS:
                return t("checkins.cmd.too_many", lang, max=MAX_QUESTIONS)
            if len(text) > MAX_QUESTION_LENGTH:
                return t("checkins.cmd.question_too_long", lang, max=MAX_QUESTION_LENGTH)
            questions.insert(
                len(questions) - 1 if questions[-1].kind == "confidence" else len(questions),
                Question("text", text, text),
            )
        elif action in ("weg", "remove", "verwijder", "delete"):
            if len(args) != 2 or not args[1].isdigit() or not 1 <= int(args[1]) <= len(questions):
                return bad
            if questions[int(args[1]) - 1].kind == "confidence":
                return t("checkins.cmd.keep_confidence", lang)
            del questions[int(args[1]) - 1]
        else:
            if not action.isdigit() or not 1 <= int(action) <= len(questions) or len(args) < 2:
                return bad
            target_lang, words = lang, args[1:]
            if words[0].lower() in ("nl", "en") and len(words) > 1:
                target_lang, words = words[0].lower(), words[1:]
            text = " ".join(words)
            if len(text) > MAX_QUESTION_LENGTH:
                return t("checkins.cmd.question_too_long", lang, max=MAX_QUESTION_LENGTH)
            old = questions[int(action) - 1]
            questions[int(action) - 1] = Question(
                old.kind, text if target_lang == "nl" else old.nl, text if target_lang == "en" else old.en
            )
        row.questions = dump_questions(tuple(questions))
        return ""

    # --- the settings form (a modal on Slack) ---------------------------------------------------

    def _managed(self, s: Session, user_id: str, team_id: int, lang: str) -> Team | Reply:
        team = s.get(Team, team_id)
        if team is None:
            return Reply(t("checkins.error.round_gone", lang), private=True)
        if not store.is_supporter(s, user_id, team_id, self.settings.process_supporters):
            return Reply(t("checkins.cmd.not_allowed", lang, team=team.name), private=True)
        return team

    def settings_form(self, user_id: str, team_id: int, lang: str) -> Form | Reply:
        """The team's check-in settings as a form: days, times and every question in Dutch and English."""
        with self.core.db.session() as s:
            team = self._managed(s, user_id, team_id, lang)
            if isinstance(team, Reply):
                return team
            schedule = schedule_from_row(s.get(CheckinSettings, team_id))
        names = ("ma", "di", "wo", "do", "vr") if lang == "nl" else ("mon", "tue", "wed", "thu", "fri")
        fields = [
            FormField(
                "days",
                t("checkins.form.days", lang),
                "line",
                ",".join(names[d] for d in sorted(schedule.days)),
                max_length=60,
            ),
            FormField("time", t("checkins.form.time", lang), "line", schedule.at.strftime("%H:%M"), max_length=5),
            FormField(
                "summary", t("checkins.form.summary", lang), "line", schedule.summary.strftime("%H:%M"), max_length=5
            ),
        ]
        for i, q in enumerate(schedule.questions):
            fields.append(
                FormField(
                    f"q{i}_nl",
                    t("checkins.form.question", lang, number=i + 1),
                    "line",
                    q.nl,
                    max_length=MAX_QUESTION_LENGTH,
                )
            )
            fields.append(
                FormField(
                    f"q{i}_en",
                    t("checkins.form.question_en", lang, number=i + 1),
                    "line",
                    q.en,
                    required=False,
                    max_length=MAX_QUESTION_LENGTH,
                )
            )
        return Form(
            SETTINGS_FORM_ID,
            t("checkins.form.title", lang),
            t("checkins.modal.submit", lang),
            t("checkins.modal.close", lang),
            tuple(fields),
            str(team_id),
        )

    def save_settings_form(self, user_id: str, team_id: int, values: dict[str, str], lang: str) -> Submitted:
        """Validate and store the settings form; errors per field, nothing stored when there is one."""
        now = self.core.clock.now()
        with self.core.db.session() as s:
            team = self._managed(s, user_id, team_id, lang)
            if isinstance(team, Reply):
                return Submitted({"_": team.text}, team)
            row = s.get(CheckinSettings, team_id) or CheckinSettings(team_id=team_id, updated_at=now)
            errors = {}
            problem = self._change(row, "days", values.get("days", "").split(), lang)
            if problem:
                errors["days"] = problem
            times = {}
            for field_id in ("time", "summary"):
                try:
                    times[field_id] = parse_clock(values.get(field_id, ""))
                except ValueError:
                    errors[field_id] = t("checkins.cmd.bad_time", lang, value=values.get(field_id) or "?")
            if len(times) == 2 and times["summary"] <= times["time"]:
                errors["summary"] = t(
                    "checkins.cmd.summary_before",
                    lang,
                    summary=times["summary"].strftime("%H:%M"),
                    time=times["time"].strftime("%H:%M"),
                )
            elif len(times) == 2:
                row.time, row.summary_time = times["time"].strftime("%H:%M"), times["summary"].strftime("%H:%M")
            questions = []
            for i, q in enumerate(load_questions(row.questions)):
                nl, en = (" ".join(values.get(f"q{i}_{x}", "").split()) for x in ("nl", "en"))
                if not nl:
                    errors[f"q{i}_nl"] = t("checkins.error.empty", lang)
                for field_id, text in ((f"q{i}_nl", nl), (f"q{i}_en", en)):
                    if len(text) > MAX_QUESTION_LENGTH:
                        errors[field_id] = t("checkins.cmd.question_too_long", lang, max=MAX_QUESTION_LENGTH)
                questions.append(Question(q.kind, nl, en))
            if errors:
                s.rollback()
                return Submitted(errors)
            row.questions, row.updated_at = dump_questions(tuple(questions)), now
            s.add(row)
            text = t("checkins.cmd.saved", lang, settings=self._settings_text(team, row, lang))
        return Submitted(reply=Reply(text, body=text))

    def _settings_click(self, ctx: CommandContext, value: str) -> ActionResult:
        """Without a form (console): show the settings and the commands to change them."""
        if not value.isdigit():
            return ActionResult(Reply(t("checkins.error.round_gone", ctx.lang), private=True), "private")
        with self.core.db.session() as s:
            team = self._managed(s, ctx.user_id, int(value), ctx.lang)
        if isinstance(team, Reply):
            return ActionResult(team, "private")
        return ActionResult(Reply(t("checkins.cmd.help", ctx.lang), private=True), "private")
