"""The core's forms as Adaptive Cards in the chat (no task modules): inputs, Action.Execute submit, errors per field.

A form card's submit carries its form id and metadata; the answer replaces the card: the same form with the typed
values kept and each field's error under it, or the result. Which core function opens and stores which form is
listed here (the lead's forms registry replaces these tables).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.chat.commands import CommandContext
from bot.chat.forms import Form, FormField, Submitted
from bot.chat.replies import Reply
from bot.checkins.base import FORM_ID as CHECKIN_FORM_ID
from bot.checkins.settings_commands import SETTINGS_ACTION, SETTINGS_FORM_ID
from bot.core import Core
from bot.deadlines.commands.base import DEADLINE_FORM_ID, NEW_FORM_ACTION
from bot.texts import t
from handlers.teams.cards import CARD_TYPE, SCHEMA, VERSION, markdown, plain, text_block

SUBMIT_VERB = "lef_form"
FORM_WORDS = (("deadline", "nieuw"), ("deadline", "new"))
CHECKIN_OPEN = "checkin_open"
SCALE = ("1", "2", "3", "4", "5")
PEOPLE = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}  # Teams' people picker: Entra object ids


@dataclass(frozen=True)
class Opened:
    """What a form opener gives: a form to show, or a reply saying why not."""

    form: Form | None = None
    reply: Reply | None = None


def _input(field: FormField, value: str) -> dict[str, Any]:
    """The Input element for one field kind: text, line, scale (1-5), choice or users."""
    base: dict[str, Any] = {"id": field.field_id, "label": plain(field.label), "isRequired": field.required}
    if field.required:
        base["errorMessage"] = "Verplicht"
    if field.kind in ("scale", "choice"):
        pairs = [(v, v) for v in SCALE] if field.kind == "scale" else list(field.options)
        choices = [{"title": plain(label)[:75], "value": v} for v, label in pairs]
        return {**base, "type": "Input.ChoiceSet", "style": "compact", "choices": choices, "value": value}
    if field.kind == "users":
        return {**base, "type": "Input.ChoiceSet", "choices": [], "choices.data": PEOPLE, "isMultiSelect": True,
                "value": value.replace(" ", ",")}  # fmt: skip
    return {**base, "type": "Input.Text", "isMultiline": field.kind == "text", "maxLength": field.max_length,
            "value": value[: field.max_length]}  # fmt: skip


def form_card(form: Form, values: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> dict[str, Any]:
    """The form as a card; typed `values` kept and `errors` shown under their fields."""
    values, errors = values or {}, errors or {}
    body: list[dict[str, Any]] = [text_block(form.title, weight="Bolder", size="Medium")]
    if errors.get("_"):
        body.append(text_block(errors["_"], color="Attention"))
    for field in form.fields:
        body.append(_input(field, values.get(field.field_id, field.initial)))
        if field.hint:
            body.append(text_block(field.hint, isSubtle=True, size="Small", spacing="None"))
        if errors.get(field.field_id):
            body.append(text_block(errors[field.field_id], color="Attention", size="Small", spacing="None"))
    submit = {
        "type": "Action.Execute",
        "title": plain(form.submit)[:40],
        "verb": SUBMIT_VERB,
        "style": "positive",
        "data": {"f": form.form_id, "m": form.metadata},
    }
    return {"$schema": SCHEMA, "type": "AdaptiveCard", "version": VERSION, "fallbackText": plain(form.title),
            "body": body, "actions": [submit]}  # fmt: skip


def submitted_values(form_fields: tuple[FormField, ...] | None, data: dict[str, Any]) -> dict[str, str]:
    """Field id -> typed text or choice; people picked (comma-separated object ids) separated by spaces."""
    values = {k: str(v) for k, v in data.items() if k not in ("f", "m", "v", "c", "s") and isinstance(v, str | int)}
    users = {f.field_id for f in form_fields or () if f.kind == "users"}
    return {k: (" ".join(p for p in v.split(",") if p) if k in users else v) for k, v in values.items()}


class Forms:
    """Opens and stores the core's forms for Teams."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def opener(self, action_id: str) -> Callable[[CommandContext, str], Opened] | None:
        """The form a button opens (check-in "Invullen", settings "Aanpassen", "Nieuwe deadline"), or None."""
        return {CHECKIN_OPEN: self._checkin, SETTINGS_ACTION: self._settings, NEW_FORM_ACTION: self._deadline}.get(
            action_id
        )

    def command_form(self, ctx: CommandContext, text: str) -> Opened | None:
        """`lef deadline nieuw` without arguments opens the deadline form; None for other commands."""
        if tuple(text.lower().split()) in FORM_WORDS:
            return self._deadline(ctx, "")
        return None

    def _deadline(self, ctx: CommandContext, _value: str) -> Opened:
        found = self.core.deadlines.deadline_form(ctx)
        return Opened(form=found) if isinstance(found, Form) else Opened(reply=found)

    def _checkin(self, ctx: CommandContext, value: str) -> Opened:
        service = self.core.checkins.service
        if not value.isdigit():
            return Opened(reply=Reply(t("checkins.error.round_gone", ctx.lang)))
        found = service.form(ctx.user_id, int(value), service.lang_of(ctx.user_id, ctx.lang))
        return Opened(form=found) if isinstance(found, Form) else Opened(reply=found)

    def _settings(self, ctx: CommandContext, value: str) -> Opened:
        if not value.isdigit():
            return Opened(reply=Reply(t("checkins.cmd.help", ctx.lang)))
        found = self.core.checkins.settings_form(ctx.user_id, int(value), ctx.lang)
        return Opened(form=found) if isinstance(found, Form) else Opened(reply=found)

    def submit(self, ctx: CommandContext, data: dict[str, Any]) -> tuple[Submitted, Form | None]:
        """Store a submitted form card (committed before this returns): errors per field, or the result."""
        form_id, metadata = str(data.get("f") or ""), str(data.get("m") or "")
        gone = Submitted({"_": t("checkins.error.round_gone", ctx.lang)})
        if form_id == DEADLINE_FORM_ID:
            form = self._deadline(ctx, "").form
            result = self.core.deadlines.submit_deadline_form(ctx, submitted_values(form and form.fields, data))
            return result, form
        if form_id == CHECKIN_FORM_ID and metadata.isdigit():
            service = self.core.checkins.service
            lang = service.lang_of(ctx.user_id, ctx.lang)
            form = self._checkin(ctx, metadata).form
            return service.submit(ctx.user_id, int(metadata), submitted_values(None, data), lang), form
        if form_id == SETTINGS_FORM_ID and metadata.isdigit():
            form = self._settings(ctx, metadata).form
            values = submitted_values(None, data)
            return self.core.checkins.save_settings_form(ctx.user_id, int(metadata), values, ctx.lang), form
        return gone, None

    @staticmethod
    def answer_card(result: Submitted, form: Form | None, data: dict[str, Any], lang: str) -> dict[str, Any] | str:
        """What replaces the form card: the form again with its errors, or the result (a card or a text)."""
        if result.errors and form is not None and set(result.errors) != {"_"}:
            return form_card(form, submitted_values(form.fields, data), result.errors)
        if result.errors:
            return markdown(result.errors.get("_") or next(iter(result.errors.values())))
        return markdown(result.reply.text) if result.reply else ""


__all__ = ["CARD_TYPE", "Forms", "form_card"]
