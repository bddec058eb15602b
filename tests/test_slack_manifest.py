"""manifest.yml declares exactly what the Slack adapter listens to and the scopes it uses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from handlers.slack.app import FEATURES

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
# Web API methods the adapter calls, and the bot scope each needs.
SCOPES_FOR = {
    "chat_postMessage": "chat:write",
    "chat_update": "chat:write",
    "chat_postEphemeral": "chat:write",
    "conversations_open": "im:write",
    "users_info": "users:read",
    "files_upload_v2": "files:write",
    # `already_delivered` reads a DM's or a channel's recent history: DMs, public and private channels
    "conversations_history": ("im:history", "channels:history", "groups:history"),
}
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history"}


class Recorder:
    """Stands in for the Bolt app and records what each feature registers."""

    def __init__(self) -> None:
        self.events: set[str] = set()
        self.commands: set[str] = set()

    def _record(self, bucket: set[str], name: Any) -> Callable[[Callable], Callable]:
        if isinstance(name, str):
            bucket.add(name)
        return lambda fn: fn

    def event(self, name: Any, **_: Any) -> Callable[[Callable], Callable]:
        return self._record(self.events, name)

    def command(self, name: Any, **_: Any) -> Callable[[Callable], Callable]:
        return self._record(self.commands, name)

    def action(self, *_: Any, **__: Any) -> Callable[[Callable], Callable]:
        return lambda fn: fn

    def view(self, *_: Any, **__: Any) -> Callable[[Callable], Callable]:
        return lambda fn: fn


def _registered() -> Recorder:
    recorder = Recorder()
    for feature in FEATURES:
        feature.register(recorder, None)
    return recorder


def test_manifest_events_match_the_listeners() -> None:
    manifest_events = {e.split(".")[0] for e in MANIFEST["settings"]["event_subscriptions"]["bot_events"]}
    assert manifest_events == _registered().events


def test_manifest_slash_commands_match_the_listeners() -> None:
    assert {c["command"] for c in MANIFEST["features"]["slash_commands"]} == _registered().commands


def test_manifest_scopes_are_exactly_the_ones_used() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "handlers" / "slack").glob("*.py"))
    used: set[str] = set()
    for method, scopes in SCOPES_FOR.items():
        if f".{method}(" in source:
            used.update((scopes,) if isinstance(scopes, str) else scopes)
    used |= {EVENT_SCOPES[e] for e in MANIFEST["settings"]["event_subscriptions"]["bot_events"] if e in EVENT_SCOPES}
    used.add("commands")
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == used


def test_manifest_settings_for_interactivity_home_and_socket_mode() -> None:
    settings, features = MANIFEST["settings"], MANIFEST["features"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_read_only_enabled"] is False
