"""What arrives from Teams, read once: checks before the SDK, who wrote, where, and whether it is a command."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity
from pydantic import ValidationError

from bot.chat.cleaning import clean_text

MAX_BODY = 1_000_000
CARD_ACTION = "adaptiveCard/action"
MAX_TEXT = 40_000  # as on Slack
INT_MAX = 2**31 - 1  # the largest id a database column holds
_VALUE = re.compile(r"[\x20-\x7e]{0,2000}")  # button values are lefbot's own: plain ASCII
_NUMBER = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?![A-Za-z0-9])")
COMMAND_PREFIX = re.compile(r"^\s*/?lef(?:\s+|$)", re.IGNORECASE)
_AT = re.compile(r"<at>[^<]{0,200}</at>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]{0,500}>")


def invalid_activity(raw: bytes) -> str | None:
    """Why `raw` is not an activity lefbot can handle, or None (the SDK itself would answer 500 on most)."""
    if len(raw) > MAX_BODY:
        return "activity too large"
    try:
        body = json.loads(raw)
    except ValueError:
        return "body is not JSON"
    if not isinstance(body, dict):
        return "activity must be a JSON object"
    try:
        activity = Activity.model_validate(body)
    except ValidationError as error:
        return f"invalid activity ({error.error_count()} errors)"
    missing = [
        name
        for name, value in (
            ("type", activity.type),
            ("channelId", activity.channel_id),
            ("conversation.id", activity.conversation and activity.conversation.id),
            ("from.id", activity.from_property and activity.from_property.id),
            ("recipient.id", activity.recipient and activity.recipient.id),
        )
        if not value
    ]
    if missing:
        return "activity lacks " + ", ".join(missing)
    if not (activity.service_url or "").startswith(("https://", "http://")):
        return "activity lacks an http(s) serviceUrl"
    if body.get("type") == "invoke" and body.get("name") == CARD_ACTION:
        return _card_action_problem(body.get("value"))
    return None


def _card_action_problem(value: Any) -> str | None:
    """Why an Action.Execute invoke's value is not one a card of lefbot's sends, or None."""
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict):
        return "invoke value lacks an action"
    verb, data = action.get("verb"), action.get("data", {})
    if not isinstance(verb, str) or not 0 < len(verb) <= 255:
        return "invoke action lacks a verb"
    if not isinstance(data, dict):
        return "invoke action data is not an object"
    return None


def unhandled_invoke(raw: bytes) -> bool:
    """True for an invoke lefbot has no use for (anything but Action.Execute): answered 200, nothing done."""
    body = json.loads(raw)
    return body.get("type") == "invoke" and body.get("name") != CARD_ACTION


def dedupe_key(raw: bytes) -> str | None:
    """The database key under which this activity is handled once (messages and invokes with an id)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if body.get("type") not in ("message", "invoke") or not body.get("id"):
        return None
    conversation = (body.get("conversation") or {}).get("id", "")
    digest = hashlib.sha256(f"{conversation}\n{body['id']}".encode()).hexdigest()[:40]
    return f"teams:{digest}"


@dataclass(frozen=True)
class Where:
    """Who wrote and where: the member (Entra object id), the conversation kind and ids."""

    user_id: str
    user_name: str
    kind: str  # dm | channel
    conversation_id: str
    channel: str  # the team channel (or group chat) id; the personal conversation id in a 1:1 chat
    thread: str | None
    timezone: str


def where(activity: Activity) -> Where:
    """Read who and where from an activity."""
    sender = activity.from_property
    user_id = getattr(sender, "aad_object_id", None) or sender.id
    conversation = activity.conversation
    kind = "dm" if (conversation.conversation_type or "personal") == "personal" else "channel"
    channel_data: dict[str, Any] = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    base, _, root = conversation.id.partition(";messageid=")
    channel = ((channel_data.get("channel") or {}).get("id")) or base
    return Where(
        user_id=user_id,
        user_name=getattr(sender, "name", "") or "",
        kind=kind,
        conversation_id=conversation.id,
        channel=channel if kind == "channel" else conversation.id,
        thread=root or None,
        timezone=activity.local_timezone or "",
    )


def mentions_bot(activity: Activity) -> bool:
    """True when the activity @mentions the bot (its recipient)."""
    bot_id = activity.recipient.id if activity.recipient else ""
    for entity in activity.entities or []:
        data = entity.model_dump(by_alias=True) if hasattr(entity, "model_dump") else dict(entity)
        mentioned = data.get("mentioned") or {}
        if data.get("type") == "mention" and isinstance(mentioned, dict) and mentioned.get("id") == bot_id:
            return True
    return False


def message_text(text: str | None) -> str:
    """The typed text without leftover mention tags or HTML, cleaned (at most MAX_TEXT characters)."""
    return clean_text(_TAGS.sub("", _AT.sub(" ", (text or "")[:MAX_TEXT])))


def valid_value(value: str) -> bool:
    """A button value lefbot could have sent: short ASCII, numbers that fit a database id."""
    return bool(_VALUE.fullmatch(value)) and all(int(n) <= INT_MAX for n in _NUMBER.findall(value))


def command_text(text: str, manifest_commands: tuple[str, ...]) -> str | None:
    """The command part of `/lef <cmd>` or `lef <cmd>`, a bare `help`, or a command picked from the manifest's list."""
    match = COMMAND_PREFIX.match(text)
    if match:
        return text[match.end() :].strip()
    lowered = text.lower().strip(" .!?")
    if lowered in ("help", "hulp") or lowered in manifest_commands:
        return lowered
    return None
