"""`lefbot run` on Slack: which mode starts for which settings."""

from __future__ import annotations

import dataclasses

import pytest

from bot.config import Settings
from handlers.slack import run as run_module


class FakeSocketModeHandler:
    """Records how Socket Mode was started."""

    started: list[tuple[object, str]] = []

    def __init__(self, app: object, app_token: str) -> None:
        self.app, self.app_token = app, app_token

    def connect(self) -> None:
        FakeSocketModeHandler.started.append((self.app, self.app_token))

    def close(self) -> None:
        return None


@pytest.fixture
def slack_settings(settings: Settings) -> Settings:
    """Settings with a bot token and the e2e fixture KB."""
    from tests.e2e.conftest import FIXTURE_KB

    return dataclasses.replace(settings, slack_bot_token="xoxb-1", kb_path=FIXTURE_KB, slack_api_url="http://x.invalid/")


def test_socket_mode_starts_when_an_app_token_is_set(monkeypatch: pytest.MonkeyPatch, slack_settings: Settings) -> None:
    import slack_bolt.adapter.socket_mode as socket_mode

    monkeypatch.setattr(socket_mode, "SocketModeHandler", FakeSocketModeHandler)
    monkeypatch.setattr(run_module, "_wait_for_stop", lambda: None)
    built: list[bool] = []
    def fake_build(core: object, socket_mode: bool | None = None) -> str:
        built.append(bool(socket_mode))
        return "app"

    monkeypatch.setattr("handlers.slack.app.build_app", fake_build)
    settings = dataclasses.replace(slack_settings, slack_app_token="xapp-1")
    assert run_module.run(settings) == 0
    assert FakeSocketModeHandler.started[-1] == ("app", "xapp-1")
    assert built == [True]


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
