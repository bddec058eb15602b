"""Signed requests as Slack sends them: Events API JSON, slash-command forms and interactivity payloads."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

TEAM = "T0LEF"


def sign(secret: str, timestamp: str, body: str) -> str:
    """Slack's request signature: v0= + HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


@dataclass
class Response:
    """What the bot answered to one request."""

    status: int
    body: str
    seconds: float


class SlackSender:
    """Posts signed requests to the bot's /slack/events."""

    def __init__(self, base_url: str, secret: str) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.log_path: Path | None = None

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> Response:
        """POST a raw body, signed unless told otherwise."""
        ts = timestamp or str(int(time.time()))
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if signed:
            all_headers["X-Slack-Request-Timestamp"] = ts
            all_headers["X-Slack-Signature"] = signature or sign(self.secret, ts, body)
        request = urllib.request.Request(self.url, data=body.encode(), headers=all_headers, method="POST")
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Response(response.status, response.read().decode(), time.perf_counter() - start)
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read().decode(), time.perf_counter() - start)

    def get(self, path: str) -> Response:
        """GET a path of the bot."""
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=10) as response:
                return Response(response.status, response.read().decode(), time.perf_counter() - start)
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.read().decode(), time.perf_counter() - start)

    def event(
        self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None, **kw: Any
    ) -> Response:
        """Deliver an Events API event (optionally as Slack's retry number `retry`)."""
        body = json.dumps(event_envelope(event, event_id))
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.post(body, "application/json", headers=headers, **kw)

    def command(self, text: str, user: str, channel: str, response_url: str, command: str = "/lef") -> Response:
        """Run a slash command."""
        form = {
            "token": "deprecated",
            "team_id": TEAM,
            "team_domain": "lef",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "algemeen",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0LEF",
            "response_url": response_url,
            "trigger_id": f"{uuid.uuid4().int % 10**12}.{uuid.uuid4().int % 10**12}.abc",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def action(self, payload: dict[str, Any]) -> Response:
        """Send an interactivity payload (a button click)."""
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def event_envelope(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """Wrap an event the way the Events API does."""
    return {
        "token": "deprecated",
        "team_id": TEAM,
        "api_app_id": "A0LEF",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:16].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}],
    }


def new_ts() -> str:
    """A fresh Slack message timestamp."""
    return f"{time.time():.6f}"


def mention(text: str, user: str = "U0ASKER", channel: str = "C0LEF", thread_ts: str | None = None) -> dict:
    """An app_mention event."""
    event = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": new_ts(),
        "channel": channel,
        "event_ts": new_ts(),
        "client_msg_id": str(uuid.uuid4()),
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(text: str, user: str = "U0ASKER", channel: str = "D0ASKER", **extra: Any) -> dict:
    """A direct message event."""
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": new_ts(),
        "channel": channel,
        "event_ts": new_ts(),
        **extra,
    }


def click(
    message: dict,
    channel: str,
    user: str,
    action_id: str,
    value: str,
    block_id: str,
    response_url: str,
    ephemeral: bool = False,
) -> dict:
    """A block_actions payload for a button in `message` (a recorded chat.postMessage body plus its ts)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "lef"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0LEF",
        "token": "deprecated",
        "container": {
            "type": "message",
            "message_ts": message.get("ts", ""),
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "1.2.abc",
        "channel": {"id": channel, "name": "algemeen"},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "text": {"type": "plain_text", "text": "knop"},
                "action_ts": new_ts(),
            }
        ],
    }
    if not ephemeral:
        payload["message"] = {
            "type": "message",
            "user": "UBOT",
            "bot_id": "BBOT",
            "ts": message.get("ts", ""),
            "text": message.get("text", ""),
            "blocks": message.get("blocks", []),
            **({"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}),
        }
    return payload


def view_submission(user: str, view: dict[str, Any], values: dict[str, str]) -> dict:
    """A view_submission payload for an opened modal (the recorded views.open `view`), with typed values."""
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        element = block.get("element", {})
        value = values.get(block["block_id"], "")
        if element.get("type") == "static_select":
            chosen = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
            state[block["block_id"]] = {element["action_id"]: {"type": "static_select", "selected_option": chosen}}
        elif element.get("type") == "multi_users_select":
            state[block["block_id"]] = {
                element["action_id"]: {"type": "multi_users_select", "selected_users": value.split()}
            }
        else:
            state[block["block_id"]] = {element["action_id"]: {"type": "plain_text_input", "value": value or None}}
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "lef"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0LEF",
        "token": "deprecated",
        "trigger_id": "1.2.submit",
        "view": {**view, "id": "V0001", "team_id": TEAM, "state": {"values": state}, "hash": "1.abc"},
        "response_urls": [],
    }
