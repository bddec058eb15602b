"""Fills the address book with what Slack shows: a user's id on first contact (the id is all a DM needs)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.response import BoltResponse

from bot.chat.addresses import MEMBER
from bot.core import Core

log = logging.getLogger(__name__)


def sender(body: dict) -> str:
    """The user behind an event, slash command or interaction; "" when there is none."""
    event = body.get("event")
    if isinstance(event, dict):
        return str(event.get("user") or "") if isinstance(event.get("user"), str) else ""
    if body.get("command"):
        return str(body.get("user_id") or "")
    user = body.get("user")
    return str(user.get("id") or "") if isinstance(user, dict) else ""


def record_contacts(core: Core) -> Callable[..., BoltResponse | None]:
    """Global middleware: record each user the bot hears from (once per process), then go on."""

    def record_contact(body: dict, next: Callable[[], BoltResponse | None]) -> BoltResponse | None:
        user = sender(body)
        if user:
            try:
                core.addresses.record(MEMBER, user, user, core.clock.now())
            except Exception:  # noqa: BLE001 - the address book must never stop a reply
                log.warning("recording a Slack contact failed", exc_info=True)
        return next()

    return record_contact
