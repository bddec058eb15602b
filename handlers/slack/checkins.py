"""Check-ins on Slack: the answer modal (views.open on "Invullen"), its submission, and CSV uploads.

The modal is opened within Slack's 3 seconds of the click (ack, then views.open with the trigger_id).
A submission is stored and committed by the core first; only then is it acknowledged: with
response_action="errors" per field when an answer needs fixing, or a plain ack that closes the modal.
A duplicate submission changes nothing (the core stores one answer per member per round).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checkin_settings import SETTINGS_ACTION, SETTINGS_FORM_ID
from bot.core import Core
from bot.forms import Form
from bot.messenger import MessengerError
from bot.replies import Reply
from bot.services.checkins import FORM_ID
from bot.texts import t
from handlers.slack.blocks import render
from handlers.slack.client import api_error
from handlers.slack.delivery import private
from handlers.slack.texts import st

log = logging.getLogger(__name__)

OPEN_ACTION = "checkin_open"
VALUE = "value"
SCALE = ("1", "2", "3", "4", "5")


def register(app: App, core: Core) -> None:
    """Open the modal on "Invullen"; handle its submission; upload CSV exports as files."""
    app.action(OPEN_ACTION)(handle_open)
    app.view(FORM_ID)(handle_submission)
    app.action(SETTINGS_ACTION)(handle_settings_open)
    app.view(SETTINGS_FORM_ID)(handle_settings_submission)
    if getattr(core, "checkins", None) is not None:
        core.checkins.uploader = SlackUploader(app.client)


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit] or " ", "emoji": True}


def modal(form: Form) -> dict[str, Any]:
    """A Block Kit modal for a neutral form: one input per field, a 1-5 select for the scale."""
    blocks = []
    for field in form.fields:
        if field.kind == "scale":
            element: dict[str, Any] = {
                "type": "static_select",
                "action_id": VALUE,
                "options": [{"text": _plain(v, 75), "value": v} for v in SCALE],
            }
            if field.initial in SCALE:
                element["initial_option"] = {"text": _plain(field.initial, 75), "value": field.initial}
        else:
            element = {
                "type": "plain_text_input",
                "action_id": VALUE,
                "multiline": True,
                "max_length": field.max_length,
            }
            if field.initial:
                element["initial_value"] = field.initial[: field.max_length]
        block = {
            "type": "input",
            "block_id": field.field_id,
            "optional": not field.required,
            "label": _plain(field.label, 2000),
            "element": element,
        }
        if field.hint:
            block["hint"] = _plain(field.hint, 2000)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "private_metadata": form.metadata,
        "title": _plain(form.title, 24),
        "submit": _plain(form.submit, 24),
        "close": _plain(form.close, 24),
        "blocks": blocks,
    }


def _open_form(
    body: dict,
    action: dict,
    core: Core,
    client: WebClient,
    make_form: Callable[[str, int, str], object],
    fallback: Callable[[str, int, str], dict],
) -> None:
    """Open the modal a button asks for, or say privately why not (`fallback` when views.open fails)."""
    user = (body.get("user") or {}).get("id", "")
    value = str(action.get("value") or "")
    lang = core.checkins.service.lang_of(user, core.settings.language)
    form = make_form(user, int(value), lang) if value.isdigit() else Reply(t("checkins.error.round_gone", lang))
    if isinstance(form, Reply):
        private(client, user, render(form, lang), response_url=body.get("response_url"))
        return
    try:
        client.views_open(trigger_id=body.get("trigger_id", ""), view=modal(form))
    except SlackApiError as exc:
        log.warning("views.open failed: %s", api_error(exc))
        private(client, user, fallback(user, int(value), lang), response_url=body.get("response_url"))


def handle_open(ack: Callable[..., None], body: dict, action: dict, core: Core, client: WebClient) -> None:
    """ "Invullen": open the modal right away (the trigger_id is valid for 3 seconds); else ask in the DM."""
    ack()
    service = core.checkins.service

    def in_dm(user: str, round_id: int, lang: str) -> dict:
        return render(service.start_in_dm(user, round_id, lang), lang)

    _open_form(body, action, core, client, service.form, in_dm)


def submitted_values(view: dict) -> dict[str, str]:
    """Field id -> typed text or chosen option, from a view_submission's state."""
    values: dict[str, str] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        element = actions.get(VALUE) or {}
        option = element.get("selected_option") or {}
        values[block_id] = str(option.get("value") or element.get("value") or "")
    return values


def handle_submission(ack: Callable[..., None], body: dict, view: dict, core: Core, client: WebClient) -> None:
    """Store (and commit) first, then acknowledge: errors per field, or close the modal and say thanks."""
    user = (body.get("user") or {}).get("id", "")
    lang = core.checkins.service.lang_of(user, core.settings.language)
    metadata = str(view.get("private_metadata") or "")
    try:
        result = (
            core.checkins.service.submit(user, int(metadata), submitted_values(view), lang)
            if (metadata.isdigit())
            else None
        )
    except Exception:
        log.exception("storing a check-in submission failed; not acknowledged as saved")
        first = next(iter(submitted_values(view)), "q0")
        ack(response_action="errors", errors={first: st("error", lang)})
        return
    if result is None or "_" in result.errors:
        ack()
        text = result.errors["_"] if result else t("checkins.error.round_gone", lang)
        private(client, user, {"text": text})
        return
    if result.errors:
        ack(response_action="errors", errors=result.errors)
        return
    ack()
    if result.reply is not None:
        private(client, user, render(result.reply, lang))
    log.info("check-in submitted for round %s", metadata)


def handle_settings_open(ack: Callable[..., None], body: dict, action: dict, core: Core, client: WebClient) -> None:
    """ "Aanpassen" under the settings: open the settings modal for process supporters."""
    ack()

    def help_text(_user: str, _id: int, lang: str) -> dict:
        return {"text": t("checkins.cmd.help", lang)}

    _open_form(body, action, core, client, core.checkins.settings_form, help_text)


def handle_settings_submission(ack: Callable[..., None], body: dict, view: dict, core: Core, client: WebClient) -> None:
    """Store the settings (committed), then acknowledge: errors per field, or close and confirm."""
    user = (body.get("user") or {}).get("id", "")
    lang = core.checkins.service.lang_of(user, core.settings.language)
    metadata = str(view.get("private_metadata") or "")
    values = submitted_values(view)
    result = core.checkins.save_settings_form(user, int(metadata), values, lang) if metadata.isdigit() else None
    if result is None or "_" in result.errors:
        ack()
        private(client, user, {"text": result.errors["_"] if result else t("checkins.error.round_gone", lang)})
        return
    if result.errors:
        ack(response_action="errors", errors=result.errors)
        return
    ack()
    if result.reply is not None:
        private(client, user, render(result.reply, lang))


class SlackUploader:
    """Uploads a file into the user's DM (files.getUploadURLExternal + files.completeUploadExternal)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def upload(self, user_id: str, filename: str, content: str, title: str) -> None:
        """Upload `content` to the DM with `user_id`; MessengerError when Slack refuses."""
        try:
            channel = self.client.conversations_open(users=user_id)["channel"]["id"]
            self.client.files_upload_v2(channel=channel, content=content, filename=filename, title=title)
        except SlackApiError as exc:
            log.warning("file upload failed: %s", api_error(exc))
            raise MessengerError(api_error(exc)) from exc
