"""What the core does where an adapter lacks a capability: a DM instead of a private reply, a new message instead
of an update in place. Adapters that have the capability never see these paths."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.messenger import Capabilities, MessengerError
from bot.chat.replies import Reply
from bot.texts import t

log = logging.getLogger(__name__)
SENT = "sent"  # ActionResult mode: the core delivered the result itself; the adapter shows nothing more


def _dm(messenger: Any, ctx: CommandContext, reply: Reply) -> bool:
    try:
        messenger.send_dm(ctx.user_id, replace(reply, private=False))
    except MessengerError as exc:
        log.info("fallback DM failed: %s", exc.__class__.__name__)
        return False
    return True


def click_result(result: ActionResult, ctx: CommandContext, caps: Capabilities, messenger: Any) -> ActionResult:
    """A click's result as this adapter can show it."""
    if messenger is None:
        return result
    shared = ctx.channel_kind not in ("dm", "console")  # in a direct chat a private result is private already
    if result.mode == "private" and shared and not caps.private_replies:
        return ActionResult(result.reply, SENT) if _dm(messenger, ctx, result.reply) else result
    if result.mode in ("replace", "amend") and not caps.update_in_place:
        where = ctx.message.channel if ctx.message is not None else ""
        try:
            if where:
                messenger.post(where, result.reply)
                return ActionResult(result.reply, SENT)
        except MessengerError as exc:
            log.info("fallback post failed: %s", exc.__class__.__name__)
        return ActionResult(result.reply, SENT) if _dm(messenger, ctx, result.reply) else result
    return result


def command_reply(reply: Reply, ctx: CommandContext, caps: Capabilities, messenger: Any) -> Reply:
    """A private command reply in a shared conversation goes by DM where private replies do not exist."""
    if messenger is None or not reply.private or caps.private_replies or ctx.channel_kind in ("dm", "console"):
        return reply
    return Reply(t("chat.sent_in_dm", ctx.lang)) if _dm(messenger, ctx, reply) else reply
