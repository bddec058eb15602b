"""Button clicks: any action id registered on `core.actions` is routed to the core and shown by its mode."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.chat.actions import ActionResult
from bot.chat.messenger import MessengerError
from bot.chat.replies import MessageRef, Reply
from bot.core import Core
from handlers.slack.blocks import amend, base_action_id, context, fallback, render
from handlers.slack.client import respond
from handlers.slack.commands import SHARE_ACTION
from handlers.slack.delivery import post, private, update
from handlers.slack.mrkdwn import t
from handlers.slack.texts import st
from handlers.slack.users import command_context

log = logging.getLogger(__name__)

ANY = re.compile(r".+")


def register(app: App, core: Core) -> None:
    """Route core actions generically, plus the Slack-only "Deel in kanaal"."""
    app.action(re.compile(rf"^{SHARE_ACTION}(#\d+)?$"))(handle_share)
    app.action(ANY, matchers=[is_core_action])(handle_core_action)


def register_fallback(app: App) -> None:
    """Acknowledge clicks nobody handles (old messages, removed features); register after every feature."""
    app.action(re.compile(r".*"))(handle_unknown_action)


def is_core_action(body: dict, core: Core) -> bool:
    """True when the clicked action id (without its #n suffix) is registered on the core, now."""
    acts = body.get("actions") or [{}]
    return base_action_id(str(acts[0].get("action_id", ""))) in core.actions.ids()


class Click:
    """Where a click happened, read once from the interaction payload."""

    def __init__(self, body: dict, action: dict) -> None:
        container = body.get("container") or {}
        self.message: dict[str, Any] = body.get("message") or {}
        self.user: str = (body.get("user") or {}).get("id", "")
        self.channel: str = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
        self.ts: str = container.get("message_ts") or self.message.get("ts") or ""
        self.thread: str | None = self.message.get("thread_ts")
        self.ephemeral = bool(container.get("is_ephemeral"))
        self.response_url: str | None = body.get("response_url")
        self.block_id: str = action.get("block_id", "")
        self.action_id: str = str(action.get("action_id", ""))
        self.value: str = str(action.get("value") or "")

    @property
    def ref(self) -> MessageRef | None:
        """The clicked message, when it is a normal (linkable, updatable) message."""
        return MessageRef(self.channel, self.ts) if self.channel and self.ts and not self.ephemeral else None

    def lang(self, core: Core) -> str:
        """The language of the clicked message."""
        text = self.message.get("text") or ""
        return core.lang_for(text) if text else core.settings.language


def handle_core_action(ack: Callable[..., None], body: dict, action: dict, core: Core, client: WebClient) -> None:
    """Acknowledge, let the core handle the click, then show the result by its mode."""
    ack()
    click = Click(body, action)
    lang = click.lang(core)
    try:
        ctx = command_context(client, click.user, click.channel, lang, click.ref)
        result = core.click(ctx, base_action_id(click.action_id), click.value)
    except MessengerError:
        result = ActionResult(Reply(st("escalate_failed", lang)), "private")
    except Exception:
        log.exception("action %s failed", click.action_id)
        result = ActionResult(Reply(st("error", lang)), "private")
    shown = show(client, click, result, lang)
    log.info("action %s by %s: mode=%s shown=%s", base_action_id(click.action_id), click.user, result.mode, shown)


def show(client: WebClient, click: Click, result: ActionResult, lang: str) -> bool:
    """replace: swap the whole message; amend: swap only the clicked buttons; private: only the user sees it."""
    payload = render(result.reply, lang)
    if result.mode == "replace":
        if click.ref and update(client, click.channel, click.ts, payload):
            return True
        if click.response_url and respond(click.response_url, {"replace_original": True, **payload}):
            return True
    elif result.mode == "amend" and click.message.get("blocks") and click.block_id:
        blocks = amend(click.message["blocks"], click.block_id, result.reply)
        amended = {"text": fallback(f"{click.message.get('text', '')}\n\n{result.reply.text}"), "blocks": blocks}
        if click.ref and update(client, click.channel, click.ts, amended):
            return True
        if click.response_url and respond(click.response_url, {"replace_original": True, **amended}):
            return True
    in_channel = bool(click.channel) and not click.ephemeral
    return private(
        client,
        click.user,
        payload,
        channel=click.channel if in_channel else "",
        thread=click.thread,
        response_url=None if in_channel else click.response_url,
    )


def handle_share(ack: Callable[..., None], body: dict, action: dict, core: Core, client: WebClient) -> None:
    """ "Deel in kanaal": post the privately given answer in the channel, for everyone."""
    ack()
    click = Click(body, action)
    lang = click.lang(core)
    entry = core.kb.entries.get(click.value.partition(":")[2])
    if entry is None:
        private(client, click.user, {"text": t("answer.gone", lang)}, response_url=click.response_url)
        return
    reply = core.answering.entry_reply(entry, None, lang)
    payload = render(reply, lang)
    shared = t("answer.shared", lang, user=click.user)
    payload = {"text": fallback(f"{shared}\n{reply.text}"), "blocks": [context(shared), *payload["blocks"]]}
    shared_ok = post(client, click.channel, payload) if click.channel else False
    if not shared_ok and click.response_url:
        shared_ok = respond(click.response_url, {"response_type": "in_channel", "replace_original": False, **payload})
    if not shared_ok:
        private(client, click.user, {"text": st("share_failed", lang)}, response_url=click.response_url)
    log.info("shared entry %s in %s: %s", entry.id, click.channel, shared_ok)


def handle_unknown_action(ack: Callable[..., None], body: dict, action: dict, client: WebClient) -> None:
    """A click nobody handles: acknowledge it and say so privately, instead of Slack's error triangle."""
    ack()
    click = Click(body, action)
    log.info("unhandled action %s", click.action_id)
    if not action.get("url"):
        in_channel = bool(click.channel) and not click.ephemeral
        private(
            client,
            click.user,
            {"text": st("unknown_action")},
            channel=click.channel if in_channel else "",
            thread=click.thread,
            response_url=None if in_channel else click.response_url,
        )
