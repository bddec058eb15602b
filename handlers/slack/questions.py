"""Questions: a mention in a channel is answered in its thread, a direct message in the DM."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot.chat.replies import Incoming
from bot.core import Core
from handlers.slack.blocks import render
from handlers.slack.delivery import post
from handlers.slack.markup import from_slack, mentions
from handlers.slack.texts import st

log = logging.getLogger(__name__)


def register(app: App, core: Core) -> None:
    """Listen to mentions and direct messages."""
    app.event("app_mention")(handle_mention)
    app.event("message")(handle_message)


def handle_mention(event: dict, core: Core, client: WebClient) -> None:
    """A mention in a channel: answer in the thread of the mention."""
    answer_event(core, client, event, "channel", event.get("thread_ts") or event.get("ts"))


def handle_message(event: dict, core: Core, client: WebClient) -> None:
    """A direct message: answer in the DM; channel messages without a mention get no answer."""
    if event.get("channel_type") != "im":
        return
    answer_event(core, client, event, "dm", event.get("thread_ts"))


def answer_event(core: Core, client: WebClient, event: dict, kind: str, thread: str | None) -> None:
    """Ask the core and post its reply; a failure gives a kind apology instead of silence."""
    channel, user = event.get("channel", ""), event.get("user", "")
    lang = core.settings.language
    try:
        text = event.get("text")
        answer = core.ask(Incoming(user, from_slack(text), channel, kind, thread, mentions(text)))
        lang = answer.lang
        payload = render(answer.reply, lang)
        outcome = answer.outcome
    except Exception:
        log.exception("answering a %s message failed", kind)
        payload, outcome = {"text": st("error", lang)}, "error"
    delivered = post(client, channel, payload, thread)
    log.info("answered %s message in %s: outcome=%s delivered=%s", kind, channel, outcome, delivered)
