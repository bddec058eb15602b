"""The HTTP edge: Slack's signature on the raw bytes, then the shape of what Slack may send, before any listener.

Only request kinds lefbot handles pass (slash commands, events, button clicks, modal submissions, Slack's own
checks); every field a listener or Bolt's routing reads is checked for its type, its length, NUL and control
characters, and integers that no database column could hold. Free text keeps its content here and is cleaned
where it becomes plain text (`handlers.slack.markup`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Callable
from typing import Any

MAX_BODY = 1_000_000  # bytes; Slack's largest payloads (modal states) stay far below this
MAX_AGE = 300  # seconds a signed request stays valid (Slack's own rule)
MAX_TEXT = 40_000  # Slack's message limit
MAX_DEPTH = 40

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:#-]{0,99}")  # event ids, timestamps, trigger ids
_SLACK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")  # user, channel and team ids (stored in 40 characters)
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,255}")  # action, block and callback ids (Slack's own may hold + = /)
_PRINTABLE = re.compile(r"[\x20-\x7e]*")  # button values and private metadata are ours: plain ASCII
_NUMBER = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?![A-Za-z0-9])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INT_MAX = 2**31 - 1  # the largest id a database column holds

EVENT_TYPES = {"message", "app_mention", "app_home_opened"}


class Invalid(ValueError):
    """A signed request lefbot will not act on; the message says which field (never its value)."""


class Ignored(Exception):
    """A well-formed request of a kind lefbot does not act on: acknowledged, nothing done."""


def signature_ok(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float | None = None
) -> bool:
    """Slack's v0 signature over the raw bytes, with a fresh timestamp; never raises."""
    if not secret or not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if len(timestamp) > 12 or abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE:
        return False
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}".encode(), signature.encode("utf-8", "replace"))


def check(body: Any) -> None:
    """Pass when Bolt may route `body`; Ignored for well-formed kinds lefbot does not handle; Invalid otherwise."""
    if not isinstance(body, dict):
        raise Invalid("body is not an object")
    _no_nul(body, "body", 0)
    if "command" in body:
        _command(body)
        return
    if "ssl_check" in body:
        return
    kind = body.get("type")
    if not isinstance(kind, str):
        raise Invalid("type")
    checker = KINDS.get(kind)
    if checker is None:
        raise Ignored
    checker(body)


def _no_nul(node: Any, where: str, depth: int) -> None:
    """No NUL in any string or key, and no absurd nesting."""
    if depth > MAX_DEPTH:
        raise Invalid(f"{where}: nested too deep")
    if isinstance(node, str):
        if "\x00" in node:
            raise Invalid(f"{where}: NUL character")
    elif isinstance(node, dict):
        for key, value in node.items():
            _no_nul(key, where, depth + 1)
            _no_nul(value, f"{where}.{key}"[:200], depth + 1)
    elif isinstance(node, list):
        for item in node:
            _no_nul(item, where, depth + 1)


def _ident(value: Any, where: str, *, optional: bool = True, pattern: re.Pattern[str] = _ID) -> None:
    if value is None or (optional and value == ""):
        if optional:
            return
        raise Invalid(f"{where}: missing")
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise Invalid(f"{where}: not an id")


def _name(value: Any, where: str, *, optional: bool = True) -> None:
    _ident(value, where, optional=optional, pattern=_NAME)


def _slack_id(value: Any, where: str, *, optional: bool = True) -> None:
    _ident(value, where, optional=optional, pattern=_SLACK_ID)


def _text(value: Any, where: str, limit: int = MAX_TEXT) -> None:
    if value is not None and (not isinstance(value, str) or len(value) > limit):
        raise Invalid(f"{where}: not a text of at most {limit} characters")


def _url(value: Any, where: str) -> None:
    if value is None or value == "":
        return
    if not isinstance(value, str) or len(value) > 2000 or not value.startswith(("https://", "http://")):
        raise Invalid(f"{where}: not a URL")
    if _CONTROL.search(value) or " " in value:
        raise Invalid(f"{where}: not a URL")


def _value(value: Any, where: str, limit: int = 3000) -> None:
    """A button value or private metadata: lefbot's own ASCII, numbers that fit a database id."""
    if value is None:
        return
    if not isinstance(value, str) or len(value) > limit or not _PRINTABLE.fullmatch(value):
        raise Invalid(f"{where}: not a value")
    if any(int(n) > INT_MAX for n in _NUMBER.findall(value)):
        raise Invalid(f"{where}: number out of range")


def _flag(value: Any, where: str) -> None:
    if value is not None and not isinstance(value, bool):
        raise Invalid(f"{where}: not true or false")


def _obj(value: Any, where: str, *, optional: bool = True) -> dict:
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise Invalid(f"{where}: not an object")
    return value


def _command(body: dict) -> None:
    """A slash command (a form: every value is a string)."""
    for key in ("command", "text", "user_id", "channel_id", "team_id", "response_url", "trigger_id"):
        if key in body and not isinstance(body[key], str):
            raise Invalid(f"{key}: not a text")
    if not body["command"].startswith("/") or not _ID.fullmatch(body["command"][1:] or "-"):
        raise Invalid("command")
    _slack_id(body.get("user_id"), "user_id", optional=False)
    for key in ("channel_id", "team_id"):
        _slack_id(body.get(key), key)
    _ident(body.get("trigger_id"), "trigger_id")
    _text(body.get("text"), "text", 4000)
    _url(body.get("response_url"), "response_url")


def _event_callback(body: dict) -> None:
    """An Events API delivery of an event lefbot listens to; other events are acknowledged and ignored."""
    _ident(body.get("event_id"), "event_id")
    event = _obj(body.get("event"), "event", optional=False)
    kind = event.get("type")
    _name(kind, "event.type", optional=False)
    if kind not in EVENT_TYPES:
        raise Ignored
    for key in ("user", "channel", "team", "bot_id", "app_id"):
        _slack_id(event.get(key), f"event.{key}")
    for key in ("ts", "thread_ts", "event_ts"):
        _ident(event.get(key), f"event.{key}")
    for key in ("channel_type", "subtype", "tab"):
        _name(event.get(key), f"event.{key}")
    _text(event.get("text"), "event.text")
    for key in ("message", "previous_message", "bot_profile", "edited"):
        _obj(event.get(key), f"event.{key}")


def _user(body: dict) -> None:
    user = _obj(body.get("user"), "user", optional=False)
    _slack_id(user.get("id"), "user.id", optional=False)
    _slack_id(user.get("team_id"), "user.team_id")


def _block_actions(body: dict) -> None:
    """A button click (or a select in a message)."""
    _user(body)
    channel = _obj(body.get("channel"), "channel")
    _slack_id(channel.get("id"), "channel.id")
    container = _obj(body.get("container"), "container")
    _slack_id(container.get("channel_id"), "container.channel_id")
    for key in ("message_ts", "thread_ts", "view_id"):
        _ident(container.get(key), f"container.{key}")
    _flag(container.get("is_ephemeral"), "container.is_ephemeral")
    message = _obj(body.get("message"), "message")
    for key in ("ts", "thread_ts"):
        _ident(message.get(key), f"message.{key}")
    _text(message.get("text"), "message.text")
    blocks = message.get("blocks")
    if blocks is not None and not (isinstance(blocks, list) and all(isinstance(b, dict) for b in blocks)):
        raise Invalid("message.blocks")
    _url(body.get("response_url"), "response_url")
    _ident(body.get("trigger_id"), "trigger_id")
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise Invalid("actions: not a non-empty list")
    for n, action in enumerate(actions):
        action = _obj(action, f"actions[{n}]", optional=False)
        _name(action.get("action_id"), f"actions[{n}].action_id", optional=False)
        _name(action.get("block_id"), f"actions[{n}].block_id")
        _name(action.get("type"), f"actions[{n}].type")
        _value(action.get("value"), f"actions[{n}].value", 2000)
        _url(action.get("url"), f"actions[{n}].url")


def _view(body: dict) -> None:
    """A modal submitted or closed."""
    _user(body)
    view = _obj(body.get("view"), "view", optional=False)
    _name(view.get("callback_id"), "view.callback_id", optional=False)
    _name(view.get("type"), "view.type")
    _value(view.get("private_metadata"), "view.private_metadata")
    state = _obj(view.get("state"), "view.state")
    for block_id, actions in _obj(state.get("values"), "view.state.values").items():
        _name(block_id, "view.state.values", optional=False)
        for element in _obj(actions, f"view.state.values.{block_id}", optional=False).values():
            element = _obj(element, f"view.state.values.{block_id}", optional=False)
            _text(element.get("value"), f"{block_id}.value", 10_000)
            option = _obj(element.get("selected_option"), f"{block_id}.selected_option")
            _text(option.get("value"), f"{block_id}.selected_option.value", 150)
            users = element.get("selected_users")
            if users is not None and not isinstance(users, list):
                raise Invalid(f"{block_id}.selected_users")
            for user in users or []:
                _slack_id(user, f"{block_id}.selected_users", optional=False)
    urls = body.get("response_urls")
    if urls is not None and not (isinstance(urls, list) and all(isinstance(u, dict) for u in urls)):
        raise Invalid("response_urls")


def _url_verification(body: dict) -> None:
    _text(body.get("challenge"), "challenge", 200)


KINDS: dict[str, Callable[[dict], None]] = {
    "event_callback": _event_callback,
    "block_actions": _block_actions,
    "view_submission": _view,
    "view_closed": _view,
    "url_verification": _url_verification,
}
