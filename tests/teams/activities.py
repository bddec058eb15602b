"""Builders of Teams-shaped activities (as the Teams service posts them to a bot) and a poster for /api/messages."""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

BOT_NAME = "lefbot"
_ids = itertools.count(1764590000000)


def _opaque(prefix: str, size: int = 60) -> str:
    """An id like Teams' opaque ones: a prefix and url-safe base64 noise."""
    return prefix + base64.urlsafe_b64encode(secrets.token_bytes(size)).decode().rstrip("=")


def thread_id() -> str:
    """A team channel / thread id: 19:<hex>@thread.tacv2."""
    return f"19:{secrets.token_hex(16)}@thread.tacv2"


@dataclass(frozen=True)
class TeamsUser:
    """A Teams user as a bot sees them."""

    name: str
    id: str = field(default_factory=lambda: _opaque("29:1"))
    aad_object_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def account(self) -> dict[str, Any]:
        """The channel account of `from` / `membersAdded`."""
        return {"id": self.id, "name": self.name, "aadObjectId": self.aad_object_id}


@dataclass(frozen=True)
class TeamsChannel:
    """A team and one of its channels."""

    team_id: str = field(default_factory=thread_id)
    id: str = field(default_factory=thread_id)
    name: str = "Algemeen"
    team_name: str = "Lef cohort 7"


@dataclass
class Teams:
    """A Teams tenant with one bot: builds the activities Teams would post to that bot."""

    service_url: str
    tenant_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    app_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    bot_name: str = BOT_NAME
    locale: str = "nl-NL"

    @property
    def bot(self) -> dict[str, Any]:
        """The bot's channel account (28:<app id>)."""
        return {"id": f"28:{self.app_id}", "name": self.bot_name}

    def personal_conversation(self, user: TeamsUser) -> dict[str, Any]:
        """The 1:1 conversation of `user` with the bot (id a:1...)."""
        return {"conversationType": "personal", "tenantId": self.tenant_id, "id": _opaque("a:1", 90)}

    def _base(self, kind: str, user: TeamsUser, conversation: dict[str, Any], **extra: Any) -> dict[str, Any]:
        now = datetime.now(UTC)
        activity = {
            "type": kind,
            "id": str(next(_ids)),
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "localTimestamp": now.isoformat(),
            "localTimezone": "Europe/Amsterdam",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": user.account(),
            "conversation": conversation,
            "recipient": self.bot,
            "locale": self.locale,
            "channelData": {"tenant": {"id": self.tenant_id}},
        }
        activity.update(extra)
        return activity

    def _client_info(self) -> dict[str, Any]:
        return {
            "type": "clientInfo",
            "locale": self.locale,
            "country": "NL",
            "platform": "Web",
            "timezone": "Europe/Amsterdam",
        }

    def personal_message(self, user: TeamsUser, text: str, conversation: dict[str, Any] | None = None) -> dict:
        """A message in the user's 1:1 chat with the bot."""
        conversation = conversation or self.personal_conversation(user)
        return self._base("message", user, conversation, text=text, textFormat="plain", entities=[self._client_info()])

    def channel_message(
        self, user: TeamsUser, text: str, channel: TeamsChannel, root_id: str | None = None, mention: bool = True
    ) -> dict:
        """A channel post (root_id None: a new thread) or a reply in thread `root_id`, @mentioning the bot."""
        activity_id = str(next(_ids))
        root = root_id or activity_id
        conversation = {
            "conversationType": "channel",
            "tenantId": self.tenant_id,
            "isGroup": True,
            "id": f"{channel.id};messageid={root}",
        }
        at = f"<at>{self.bot_name}</at>"
        entities: list[dict[str, Any]] = [self._client_info()]
        if mention:
            entities.insert(0, {"type": "mention", "text": at, "mentioned": self.bot})
        activity = self._base(
            "message",
            user,
            conversation,
            text=f"{at} {text}" if mention else text,
            textFormat="plain",
            entities=entities,
        )
        activity["id"] = activity_id
        if root_id:
            activity["replyToId"] = root_id
        activity["channelData"] = self._team_data(channel)
        return activity

    def _team_data(self, channel: TeamsChannel, **extra: Any) -> dict[str, Any]:
        return {
            "teamsChannelId": channel.id,
            "teamsTeamId": channel.team_id,
            "channel": {"id": channel.id, "name": channel.name},
            "team": {"id": channel.team_id, "name": channel.team_name, "aadGroupId": str(uuid.uuid4())},
            "tenant": {"id": self.tenant_id},
            **extra,
        }

    def execute(
        self, user: TeamsUser, conversation: dict[str, Any], verb: str, data: dict[str, Any], card_id: str
    ) -> dict:
        """An Action.Execute press on the card `card_id`: an `adaptiveCard/action` invoke."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
        return self._base("invoke", user, conversation, name="adaptiveCard/action", value=value, replyToId=card_id)

    def submit(self, user: TeamsUser, conversation: dict[str, Any], value: dict[str, Any], card_id: str) -> dict:
        """An Action.Submit press on the card `card_id`: a message without text that carries `value`."""
        return self._base("message", user, conversation, value=value, replyToId=card_id, text="")

    def members_added(self, channel: TeamsChannel, members: list[dict[str, Any]]) -> dict:
        """conversationUpdate: `members` (accounts; the bot's own for an install) were added to the team."""
        conversation = {"conversationType": "channel", "tenantId": self.tenant_id, "isGroup": True, "id": channel.id}
        installer = TeamsUser("Installer")
        activity = self._base("conversationUpdate", installer, conversation, membersAdded=members)
        activity["channelData"] = self._team_data(channel, eventType="teamMemberAdded")
        return activity

    def installation_update(
        self,
        user: TeamsUser,
        action: str,
        channel: TeamsChannel | None = None,
        conversation: dict[str, Any] | None = None,
    ) -> dict:
        """installationUpdate `add` or `remove`: personally (no channel) or in a team."""
        if channel is None:
            conversation = conversation or self.personal_conversation(user)
            return self._base("installationUpdate", user, conversation, action=action)
        conversation = {"conversationType": "channel", "tenantId": self.tenant_id, "isGroup": True, "id": channel.id}
        activity = self._base("installationUpdate", user, conversation, action=action)
        activity["channelData"] = self._team_data(channel, source={"name": "message"})
        return activity


def post_activity(
    base_url: str, activity: dict[str, Any] | bytes, headers: dict[str, str] | None = None, timeout: float = 15.0
) -> tuple[int, Any]:
    """POST an activity (or raw bytes) to <base_url>/api/messages; returns (status, parsed JSON body or text)."""
    data = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    request = urllib.request.Request(
        base_url.rstrip("/") + "/api/messages",
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text
