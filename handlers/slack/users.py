"""Who a Slack user is (display name and IANA time zone), looked up with users.info and cached."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands import CommandContext
from bot.replies import MessageRef
from handlers.slack.client import api_error

log = logging.getLogger(__name__)

TTL_SECONDS = 3600.0


@dataclass(frozen=True)
class Profile:
    """The few user facts the core may use; empty when Slack does not say."""

    name: str = ""
    tz: str = ""


_cache: dict[str, tuple[float, Profile]] = {}
_lock = threading.Lock()


def profile(client: WebClient, user_id: str) -> Profile:
    """The user's name and time zone; an empty Profile when the lookup fails (unknown user, no scope)."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(user_id)
    if cached and now - cached[0] < TTL_SECONDS:
        return cached[1]
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError as exc:
        log.info("users.info failed for %s: %s", user_id, api_error(exc))
        return Profile()
    except OSError as exc:
        log.info("users.info failed for %s: %s", user_id, exc.__class__.__name__)
        return Profile()
    user = user if isinstance(user, dict) else {}
    info = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    found = Profile(
        name=str(info.get("display_name") or info.get("real_name") or user.get("real_name") or user.get("name") or ""),
        tz=str(user.get("tz") or ""),
    )
    with _lock:
        _cache[user_id] = (now, found)
    return found


def clear() -> None:
    """Forget all cached profiles."""
    with _lock:
        _cache.clear()


def channel_kind(channel: str) -> str:
    """dm for direct-message conversations, channel for the rest, home when there is no conversation."""
    if not channel:
        return "home"
    return "dm" if channel.startswith("D") else "channel"


def command_context(
    client: WebClient, user_id: str, channel: str, lang: str, message: MessageRef | None = None
) -> CommandContext:
    """The core's context for a command or click by a Slack user."""
    found = profile(client, user_id)
    return CommandContext(user_id, channel, channel_kind(channel), lang, found.name, found.tz, message)
