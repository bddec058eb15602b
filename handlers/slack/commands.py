"""The `/lef` slash command: every subcommand the core knows, answered so only the asker sees it."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from slack_bolt import App
from slack_sdk import WebClient

from bot.chat.replies import Button, Reply
from bot.core import Core
from handlers.slack.blocks import render
from handlers.slack.delivery import private
from handlers.slack.markup import command_text, mentions
from handlers.slack.texts import st
from handlers.slack.users import command_context

log = logging.getLogger(__name__)

COMMAND = "/lef"
SHARE_ACTION = "slack_share_answer"


def register(app: App, core: Core) -> None:
    """Listen to `/lef`."""
    app.command(COMMAND)(handle_lef)


def with_share_button(reply: Reply, lang: str) -> Reply:
    """Add "Deel in kanaal" to a private answer from the knowledge base."""
    entry, question = reply.meta.get("entry"), reply.meta.get("question_id", "")
    if not entry or reply.private:
        return reply
    share = Button(st("share", lang), SHARE_ACTION, f"{question}:{entry}")
    return dataclasses.replace(reply, buttons=(*reply.buttons, share))


def handle_lef(ack: Callable[..., None], command: dict, core: Core, client: WebClient) -> None:
    """Acknowledge at once, then run the command and answer privately through the response_url."""
    ack()
    text = command_text(command.get("text"))
    user, channel = command.get("user_id", ""), command.get("channel_id", "")
    lang = core.lang_for(text) if text else core.settings.language
    try:
        ctx = dataclasses.replace(command_context(client, user, channel, lang), mentions=mentions(command.get("text")))
        reply = with_share_button(core.command(ctx, text), lang)  # a file went out through the core's file port
        payload = render(reply, lang)
    except Exception:
        log.exception("/lef failed")
        payload = {"text": st("error", lang)}
    delivered = private(client, user, payload, response_url=command.get("response_url"), channel=channel)
    log.info("/lef by %s in %s: delivered=%s", user, channel, delivered)
