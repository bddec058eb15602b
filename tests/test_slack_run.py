"""`lefbot run` on Slack: which mode starts for which settings."""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from typing import Any

import pytest

from bot import scheduler
from bot.config import Settings
from handlers.slack import run as run_module
from handlers.slack.messenger import SlackMessenger


class FakeSocketModeHandler:
    """Records how Socket Mode was started."""

    started: list[tuple[object, str]] = []

    def __init__(self, app: object, app_token: str) -> None:
        self.app, self.app_token = app, app_token

    def connect(self) -> None:
        FakeSocketModeHandler.started.append((self.app, self.app_token))

    def close(self) -> None:
        return None


@pytest.fixture(autouse=True)
def _tokens_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack accepts the tokens (the real check against a fake Slack is in test_cli_errors.py)."""
    monkeypatch.setattr(run_module, "check_tokens", lambda settings, socket_mode: None)


@pytest.fixture
def slack_settings(settings: Settings) -> Settings:
    """Settings with a bot token and the e2e fixture KB."""
    from tests.e2e.conftest import FIXTURE_KB

    return dataclasses.replace(
        settings, slack_bot_token="xoxb-1", kb_path=FIXTURE_KB, slack_api_url="http://x.invalid/"
    )


@pytest.fixture
def schedulers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records scheduler starts (with whether the core could send) and stops instead of running one."""
    events: list[str] = []
    monkeypatch.setattr(scheduler, "start", lambda core: events.append(f"start:{type(core.messenger).__name__}"))
    monkeypatch.setattr(scheduler, "shutdown", lambda: events.append("stop"))
    return events


def test_socket_mode_starts_when_an_app_token_is_set(
    monkeypatch: pytest.MonkeyPatch, slack_settings: Settings, schedulers: list[str]
) -> None:
    import slack_bolt.adapter.socket_mode as socket_mode

    monkeypatch.setattr(socket_mode, "SocketModeHandler", FakeSocketModeHandler)
    monkeypatch.setattr(run_module, "_wait_for_stop", lambda stop: schedulers.append("running"))
    built: list[bool] = []

    def fake_build(core: Any, socket_mode: bool | None = None) -> str:
        built.append(bool(socket_mode))
        core.attach_messenger(SlackMessenger(None))  # what the real build_app does
        return "app"

    monkeypatch.setattr("handlers.slack.app.build_app", fake_build)
    settings = dataclasses.replace(slack_settings, slack_app_token="xapp-1")
    assert run_module.run(settings) == 0
    assert FakeSocketModeHandler.started[-1] == ("app", "xapp-1")
    assert built == [True]
    assert schedulers == ["start:SlackMessenger", "running", "stop"]  # socket and scheduler in one process


def test_socket_mode_with_worker_flag_is_the_same_single_process(
    monkeypatch: pytest.MonkeyPatch, slack_settings: Settings, schedulers: list[str]
) -> None:
    monkeypatch.setattr(run_module, "run_socket_mode", lambda settings: schedulers.append("socket") or 0)
    assert run_module.run(dataclasses.replace(slack_settings, slack_app_token="xapp-1"), worker=True) == 0
    assert schedulers == ["socket"]


def test_http_worker_runs_only_the_scheduler_with_a_slack_messenger(
    monkeypatch: pytest.MonkeyPatch, slack_settings: Settings, schedulers: list[str]
) -> None:
    monkeypatch.setattr(run_module.LefbotServer, "run", lambda self: schedulers.append("web"))
    monkeypatch.setattr(run_module, "_wait_for_stop", lambda stop: schedulers.append("running"))
    assert run_module.run(dataclasses.replace(slack_settings, slack_signing_secret="s"), worker=True) == 0
    assert schedulers == ["start:SlackMessenger", "running", "stop"]  # no web server


def test_http_web_runs_no_scheduler_and_says_a_worker_is_needed(
    monkeypatch: pytest.MonkeyPatch, slack_settings: Settings, schedulers: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(run_module.LefbotServer, "run", lambda self: schedulers.append("web"))
    settings = dataclasses.replace(slack_settings, slack_signing_secret="s")
    for http in (False, True):
        assert run_module.run(settings, http=http) == 0
    assert schedulers == ["web", "web"]
    assert "lefbot run --worker" in caplog.text


def test_worker_stops_cleanly_on_sigterm(
    monkeypatch: pytest.MonkeyPatch, slack_settings: Settings, schedulers: list[str]
) -> None:
    started = threading.Event()
    monkeypatch.setattr(scheduler, "start", lambda core: (schedulers.append("start"), started.set()))
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}  # restored below
    killer = threading.Thread(target=lambda: started.wait(30) and os.kill(os.getpid(), signal.SIGTERM))
    killer.start()
    try:
        assert run_module.run(dataclasses.replace(slack_settings, slack_signing_secret="s"), worker=True) == 0
    finally:
        killer.join(30)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    assert schedulers == ["start", "stop"]


def test_http_mode_needs_a_signing_secret(slack_settings: Settings) -> None:
    assert run_module.run(dataclasses.replace(slack_settings, slack_signing_secret="")) == 2


def test_http_mode_serves_with_gunicorn_one_worker_and_threads(
    monkeypatch: pytest.MonkeyPatch, slack_settings: Settings
) -> None:
    served: list[dict] = []
    monkeypatch.setattr(run_module.LefbotServer, "run", lambda self: served.append(dict(self.options)))
    settings = dataclasses.replace(slack_settings, slack_signing_secret="s", port=4567)
    assert run_module.run(settings, http=True) == 0
    options = served[0]
    assert options["bind"] == "0.0.0.0:4567" and options["workers"] == 1
    assert options["worker_class"] == "gthread" and options["threads"] >= 2
