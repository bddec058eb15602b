"""The core's Messenger port on Slack: DMs, channel posts, updates and permalinks."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.chat.messenger import MessengerError
from bot.chat.replies import MessageRef, Reply
from bot.claims import CLAIM_META
from handlers.slack.blocks import render
from handlers.slack.client import api_error

log = logging.getLogger(__name__)
DM_CACHE_SIZE = 50_000
CLAIM_EVENT = "lefbot_claim"  # message metadata event type that carries a claim key
HISTORY_LIMIT = 200  # how far back `already_delivered` looks (a taken-over message is recent)


class SlackMessenger:
    """Sends the core's proactive messages through the Slack Web API."""

    def __init__(self, client: WebClient, lang: str = "nl") -> None:
        self.client = client
        self.lang = lang
        self._dm: dict[str, str] = {}  # user id -> DM channel id (stable in Slack; saves a call per nudge)

    def dm_channel(self, user_id: str) -> str:
        """The DM channel with a user, opened once per process."""
        channel = self._dm.get(user_id)
        if channel is None:
            try:
                channel = self.client.conversations_open(users=user_id)["channel"]["id"]
            except SlackApiError as exc:
                log.warning("conversations.open failed: %s", api_error(exc))
                raise MessengerError(api_error(exc)) from exc
            if len(self._dm) >= DM_CACHE_SIZE:
                self._dm.clear()
            self._dm[user_id] = channel
        return channel

    def send_dm(self, user_id: str, reply: Reply) -> MessageRef:
        """Post in the DM with a user; a stale cached channel is opened again once."""
        try:
            return self.post(self.dm_channel(user_id), reply)
        except MessengerError as exc:
            if str(exc) not in ("channel_not_found", "is_archived") or self._dm.pop(user_id, None) is None:
                raise
        return self.post(self.dm_channel(user_id), reply)

    def post(self, channel: str, reply: Reply, thread: str | None = None) -> MessageRef:
        """Post a reply in a channel, or in a thread of it."""
        extra = {}
        if reply.meta.get(CLAIM_META):
            extra["metadata"] = {"event_type": CLAIM_EVENT, "event_payload": {"key": reply.meta[CLAIM_META]}}
        try:
            response = self.client.chat_postMessage(
                channel=channel, thread_ts=thread, **render(reply, self.lang), **extra
            )
        except SlackApiError as exc:
            log.warning("chat.postMessage failed: %s", api_error(exc))
            raise MessengerError(api_error(exc)) from exc
        return MessageRef(response["channel"], response["ts"])

    def update(self, ref: MessageRef, reply: Reply) -> None:
        """Replace an earlier message."""
        try:
            self.client.chat_update(channel=ref.channel, ts=ref.ts, **render(reply, self.lang))
        except SlackApiError as exc:
            log.warning("chat.update failed: %s", api_error(exc))
            raise MessengerError(api_error(exc)) from exc

    def permalink(self, ref: MessageRef) -> str | None:
        """A link to a channel message; None for DMs (others cannot open them) and on errors."""
        if ref.channel.startswith("D"):
            return None
        try:
            return self.client.chat_getPermalink(channel=ref.channel, message_ts=ref.ts).get("permalink")
        except SlackApiError as exc:
            log.info("chat.getPermalink failed: %s", api_error(exc))
            return None

    def already_delivered(self, target: str, key: str) -> bool | None:
        """Look for a message stamped with claim `key` in the recent history of a user's DM or a channel."""
        try:
            channel = self.dm_channel(target) if target[:1] in ("U", "W") else target
            response = self.client.conversations_history(
                channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
            )
        except (SlackApiError, MessengerError) as exc:
            log.info("conversations.history failed: %s", exc.__class__.__name__)
            return None
        for message in response.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == CLAIM_EVENT and (metadata.get("event_payload") or {}).get("key") == key:
                return True
        return False
