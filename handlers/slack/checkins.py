"""Check-ins on Slack: the answer and settings modals (views.open on "Invullen" / "Aanpassen") and their submissions.

The modal is opened within Slack's 3 seconds of the click (ack, then views.open with the trigger_id).
A submission is stored and committed by the core first; only then is it acknowledged: with
response_action="errors" per field when an answer needs fixing, or a plain ack that closes the modal.
A duplicate submission changes nothing (the core stores one answer per member per round).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.checkins.service import FORM_ID
from bot.checkins.settings_commands import SETTINGS_ACTION, SETTINGS_FORM_ID
from bot.core import Core
from handlers.slack.blocks import render
from handlers.slack.client import api_error
from handlers.slack.delivery import private
from handlers.slack.forms import acknowledge, modal, submitted_values
from handlers.slack.mrkdwn import t
from handlers.slack.texts import st

log = logging.getLogger(__name__)

OPEN_ACTION = "checkin_open"


def register(app: App, core: Core) -> None:
    """Open the modals on "Invullen" and "Aanpassen"; handle their submissions (through the core's form registry)."""
    app.action(OPEN_ACTION)(handle_open)
    app.view(FORM_ID)(handle_submission)
    app.action(SETTINGS_ACTION)(handle_settings_open)
    app.view(SETTINGS_FORM_ID)(handle_settings_submission)


def _context(core: Core, body: dict) -> CommandContext:
    """The clicking or submitting user, in their check-in language (the core looks it up)."""
    user = (body.get("user") or {}).get("id", "")
    return CommandContext(user, "", "dm", core.settings.language)


def _open_form(
    body: dict, action: dict, core: Core, client: WebClient, form_id: str, fallback: Callable[[str, int, str], dict]
) -> None:
    """Open the modal a button asks for, or say privately why not (`fallback` when views.open fails)."""
    ctx = _context(core, body)
    user, value = ctx.user_id, str(action.get("value") or "")
    lang = core.checkins.service.lang_of(user, core.settings.language)
    form = core.forms.open(form_id, ctx, value)
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

    _open_form(body, action, core, client, FORM_ID, in_dm)


def handle_submission(ack: Callable[..., None], body: dict, view: dict, core: Core, client: WebClient) -> None:
    """Store (and commit) first, then acknowledge: errors per field, or close the modal and say thanks."""
    ctx = _context(core, body)
    lang = core.checkins.service.lang_of(ctx.user_id, core.settings.language)
    metadata = str(view.get("private_metadata") or "")
    try:
        result = core.forms.submit(FORM_ID, ctx, metadata, submitted_values(view))
    except Exception:
        log.exception("storing a check-in submission failed; not acknowledged as saved")
        first = next(iter(submitted_values(view)), "q0")
        ack(response_action="errors", errors={first: st("error", lang)})
        return
    acknowledge(ack, client, ctx.user_id, result, lang)
    log.info("check-in submitted for round %s", metadata)


def handle_settings_open(ack: Callable[..., None], body: dict, action: dict, core: Core, client: WebClient) -> None:
    """ "Aanpassen" under the settings: open the settings modal for process supporters."""
    ack()

    def help_text(_user: str, _id: int, lang: str) -> dict:
        return {"text": t("checkins.cmd.help", lang)}

    _open_form(body, action, core, client, SETTINGS_FORM_ID, help_text)


def handle_settings_submission(ack: Callable[..., None], body: dict, view: dict, core: Core, client: WebClient) -> None:
    """Store the settings (committed), then acknowledge: errors per field, or close and confirm."""
    ctx = _context(core, body)
    lang = core.checkins.service.lang_of(ctx.user_id, core.settings.language)
    metadata = str(view.get("private_metadata") or "")
    result = core.forms.submit(SETTINGS_FORM_ID, ctx, metadata, submitted_values(view))
    acknowledge(ack, client, ctx.user_id, result, lang)
