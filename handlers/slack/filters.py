"""Events the bot never answers: its own and other bots' messages, edits, deletions, joins and such."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

# Message subtypes that are people writing something new; every other subtype is ignored.
ANSWERED_SUBTYPES = {None, "file_share", "thread_broadcast"}


def is_noise(event: dict) -> bool:
    """True for events that must not get an answer."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("app_id"):
        return True
    if event.get("type") not in ("message", "app_mention"):
        return False
    return event.get("subtype") not in ANSWERED_SUBTYPES or bool(event.get("edited")) or not event.get("user")


def ignore_noise(body: dict, next: Callable[[], BoltResponse | None]) -> BoltResponse | None:
    """Global middleware: acknowledge noise events without running any listener."""
    event = body.get("event") if body.get("type") == "event_callback" else None
    if isinstance(event, dict) and is_noise(event):
        log.debug("ignored %s/%s event %s", event.get("type"), event.get("subtype"), body.get("event_id"))
        return BoltResponse(status=200, body="")
    return next()
