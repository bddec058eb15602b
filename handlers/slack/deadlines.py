"""Deadlines on Slack: the "new deadline" modal, opened by `/lef deadline nieuw` without arguments or a button.

Slack's trigger_id is valid for 3 seconds, so a request is acknowledged first and `views.open` follows
straight away; the only work before it is one read of the sprints the user may manage (the choices of
the modal, and whether to refuse kindly instead). Profile lookups and every write wait for the submission.
A submission is validated and committed by the core first and only then acknowledged: with
response_action="errors" on the right field, or a plain ack that closes the modal, followed by a private
confirmation. The same title in the same sprint is refused (unique constraint), so a repeated submission
never makes a second deadline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.chat.commands import CommandContext
from bot.chat.replies import Reply
from bot.core import Core
from bot.deadlines.commands.base import DEADLINE_FORM_ID, FORM_TITLE, NEW_FORM_ACTION
from handlers.slack.actions import Click
from handlers.slack.blocks import render
from handlers.slack.client import api_error
from handlers.slack.commands import COMMAND
from handlers.slack.delivery import private
from handlers.slack.forms import acknowledge, modal, submitted_values
from handlers.slack.markup import from_slack
from handlers.slack.mrkdwn import t
from handlers.slack.texts import st
from handlers.slack.users import channel_kind, command_context, profile

log = logging.getLogger(__name__)

FORM_WORDS = (("deadline", "nieuw"), ("deadline", "new"))


def register(app: App, core: Core) -> None:
    """`/lef deadline nieuw` (no arguments) and "Nieuwe deadline" open the modal; submitting it makes the deadline."""
    app.command(COMMAND, matchers=[wants_form])(handle_command)
    app.action(NEW_FORM_ACTION)(handle_button)
    app.view(DEADLINE_FORM_ID)(handle_submission)


def wants_form(command: dict) -> bool:
    """True for `/lef deadline nieuw` without arguments (with arguments the text command does the work)."""
    return tuple(from_slack(command.get("text")).lower().split()) in FORM_WORDS


def open_form(
    core: Core, client: WebClient, user: str, channel: str, trigger_id: str, lang: str, response_url: str | None
) -> bool:
    """Open the modal, or say privately why not; True when the modal opened."""
    ctx = CommandContext(user, channel, channel_kind(channel), lang)
    form = core.forms.open(DEADLINE_FORM_ID, ctx)
    where: dict[str, Any] = {"response_url": response_url} if response_url else {"channel": channel}
    if isinstance(form, Reply):
        private(client, user, render(form, lang), **where)
        return False
    try:
        client.views_open(trigger_id=trigger_id, view=modal(form, lang))
    except SlackApiError as exc:
        log.warning("views.open failed: %s", api_error(exc))
        private(client, user, {"text": t("dl.deadline_usage", lang)}, **where)
        return False
    profile(client, user)  # warms the cache, so the submission needs no users.info call
    return True


def handle_command(ack: Callable[..., None], command: dict, core: Core, client: WebClient) -> None:
    """`/lef deadline nieuw`: acknowledge, then open the modal right away."""
    ack()
    text = from_slack(command.get("text"))
    lang = core.lang_for(text) if text else core.settings.language
    opened = open_form(core, client, command.get("user_id", ""), command.get("channel_id", ""),
                       command.get("trigger_id", ""), lang, command.get("response_url"))  # fmt: skip
    log.info("deadline form by command: opened=%s", opened)


def handle_button(ack: Callable[..., None], body: dict, action: dict, core: Core, client: WebClient) -> None:
    """ "Nieuwe deadline": acknowledge, then open the modal right away."""
    ack()
    click = Click(body, action)
    lang = click.lang(core)
    opened = open_form(core, client, click.user, "" if click.ephemeral else click.channel,
                       body.get("trigger_id", ""), lang, click.response_url)  # fmt: skip
    log.info("deadline form by button: opened=%s", opened)


def handle_submission(ack: Callable[..., None], body: dict, view: dict, core: Core, client: WebClient) -> None:
    """Create (and commit) first, then acknowledge: errors on the right field, or close and confirm privately."""
    user = (body.get("user") or {}).get("id", "")
    metadata = str(view.get("private_metadata") or "")
    lang = metadata if metadata in ("nl", "en") else core.settings.language
    try:
        ctx = command_context(client, user, "", lang)
        result = core.forms.submit(DEADLINE_FORM_ID, ctx, metadata, submitted_values(view))
    except Exception:
        log.exception("creating a deadline from the form failed; not acknowledged as saved")
        ack(response_action="errors", errors={FORM_TITLE: st("error", lang)})
        return
    acknowledge(ack, client, user, result, lang)
    log.info("deadline created from the form: %s", (result.reply.meta if result.reply else {}).get("deadline_id"))
