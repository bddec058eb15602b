"""The core's neutral forms as Block Kit modals, their submitted values, and the acknowledgement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.chat.forms import Form, FormField, Submitted
from handlers.slack.blocks import render
from handlers.slack.delivery import private
from handlers.slack.mrkdwn import to_mrkdwn

VALUE = "value"  # the action id of every input element
SCALE = ("1", "2", "3", "4", "5")
SELECT_OPTIONS_MAX = 100  # a static select holds at most 100 options


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": to_mrkdwn(text)[:limit] or " ", "emoji": True}


def _options(pairs: list[tuple[str, str]], initial: str) -> dict[str, Any]:
    options = [{"text": _plain(label, 75), "value": value} for value, label in pairs[:SELECT_OPTIONS_MAX]]
    element: dict[str, Any] = {"type": "static_select", "action_id": VALUE, "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def _element(field: FormField) -> dict[str, Any]:
    """The input element for one field kind: text, line, scale (1-5), choice or users."""
    if field.kind == "scale":
        return _options([(v, v) for v in SCALE], field.initial)
    if field.kind == "choice":
        return _options(list(field.options), field.initial)
    if field.kind == "users":
        return {"type": "multi_users_select", "action_id": VALUE}
    element = {"type": "plain_text_input", "action_id": VALUE, "multiline": field.kind == "text",
               "max_length": field.max_length}  # fmt: skip
    if field.initial:
        element["initial_value"] = field.initial[: field.max_length]
    return element


def modal(form: Form, metadata: str | None = None) -> dict[str, Any]:
    """A Block Kit modal with one input per field; `metadata` (default: the form's) comes back on submit."""
    blocks = []
    for field in form.fields:
        block: dict[str, Any] = {"type": "input", "block_id": field.field_id, "optional": not field.required,
                                 "label": _plain(field.label, 2000), "element": _element(field)}  # fmt: skip
        if field.hint:
            block["hint"] = _plain(field.hint, 2000)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "private_metadata": form.metadata if metadata is None else metadata,
        "title": _plain(form.title, 24),
        "submit": _plain(form.submit, 24),
        "close": _plain(form.close, 24),
        "blocks": blocks,
    }


def submitted_values(view: dict) -> dict[str, str]:
    """Field id -> typed text, chosen option, or the chosen users separated by spaces."""
    values: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        element = actions.get(VALUE) or {}
        option = element.get("selected_option") or {}
        users = element.get("selected_users") or []
        values[block_id] = " ".join(users) if users else str(option.get("value") or element.get("value") or "")
    return values


def acknowledge(ack: Callable[..., None], client: WebClient, user: str, result: Submitted, lang: str) -> None:
    """Answer a committed submission: field errors stay in the modal; a general error ("_") or the result
    goes to the user privately and the modal closes."""
    if "_" in result.errors:
        ack()
        private(client, user, {"text": to_mrkdwn(result.errors["_"])})
        return
    if result.errors:
        ack(response_action="errors", errors={k: to_mrkdwn(v) for k, v in result.errors.items()})
        return
    ack()
    if result.reply is not None:
        private(client, user, render(result.reply, lang))
