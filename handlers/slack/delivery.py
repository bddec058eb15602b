"""Putting a rendered reply where it belongs: a channel or thread, an update, or only the user's eyes."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.slack.client import api_error, respond

log = logging.getLogger(__name__)


def post(client: WebClient, channel: str, payload: dict[str, Any], thread: str | None = None) -> bool:
    """Post a message (without link previews); False when Slack refused it after retries."""
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread, unfurl_links=False, unfurl_media=False, **payload)
    except SlackApiError as exc:
        log.warning("chat.postMessage failed: %s", api_error(exc))
        return False
    return True


def update(client: WebClient, channel: str, ts: str, payload: dict[str, Any]) -> bool:
    """Replace a message the bot sent; False when Slack refused it."""
    try:
        client.chat_update(channel=channel, ts=ts, **payload)
    except SlackApiError as exc:
        log.warning("chat.update failed: %s", api_error(exc))
        return False
    return True


def private(
    client: WebClient,
    user: str,
    payload: dict[str, Any],
    *,
    channel: str = "",
    thread: str | None = None,
    response_url: str | None = None,
) -> bool:
    """Show a message only `user` sees: ephemeral in the channel (or thread), else via response_url, else a DM."""
    if channel and not response_url:
        try:
            client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread, **payload)
            return True
        except SlackApiError as exc:
            log.warning("chat.postEphemeral failed: %s", api_error(exc))
    if response_url:
        return respond(response_url, {"response_type": "ephemeral", "replace_original": False, **payload})
    try:
        dm = client.conversations_open(users=user)["channel"]["id"]
    except SlackApiError as exc:
        log.warning("conversations.open failed: %s", api_error(exc))
        return False
    return post(client, dm, payload)
