"""The Bolt app in process: generic routing of new commands and actions, click modes, dedupe and filters."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.chat.actions import ActionResult
from bot.chat.commands import CommandContext
from bot.chat.replies import Incoming, MessageRef, Reply
from bot.config import Settings, load_settings
from bot.core import Core
from bot.db import Database
from handlers.slack import dedupe, users
from handlers.slack.app import SlackSetupError, build_app
from handlers.slack.client import make_client
from handlers.slack.filters import is_noise
from handlers.slack.messenger import SlackMessenger
from knowledge_base.kb import KnowledgeBase
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import click, dm, event_envelope, sign

FIXTURE_KB = Path(__file__).resolve().parent / "e2e" / "fixtures" / "kb"
SECRET = "unit-signing-secret"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fake Slack Web API for this test."""
    server = FakeSlack().start()
    yield server
    server.stop()


@pytest.fixture
def slack_settings(env: dict[str, str], fake: FakeSlack) -> Settings:
    """Settings for HTTP mode against the fake."""
    env = {
        **env,
        "SLACK_BOT_TOKEN": "xoxb-unit",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "SUPPORT_CHANNEL": "C0SUPPORT",
        "KB_PATH": str(FIXTURE_KB),
    }
    return load_settings(env, dotenv=False)


@pytest.fixture
def core(slack_settings: Settings) -> Iterator[Core]:
    """A core on the test database and the fixture knowledge base."""
    instance = Core(slack_settings, kb=KnowledgeBase(FIXTURE_KB), migrate=False)
    yield instance
    instance.db.dispose()


@pytest.fixture
def app(core: Core) -> App:
    """The Bolt app."""
    users.clear()
    return build_app(core)


def dispatch(app: App, body: str, content_type: str) -> int:
    """Run one signed request through Bolt; the HTTP status."""
    ts = str(int(time.time()))
    headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": [ts],
        "x-slack-signature": [sign(SECRET, ts, body)],
    }
    return app.dispatch(BoltRequest(body=body, headers=headers)).status


def send_click(app: App, payload: dict) -> int:
    """A button click."""
    return dispatch(app, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def send_command(app: App, text: str, fake: FakeSlack, user: str = "U0ASKER") -> int:
    """A `/lef` command."""
    form = {
        "command": "/lef",
        "text": text,
        "user_id": user,
        "channel_id": "C0LEF",
        "team_id": "T0LEF",
        "response_url": fake.response_url("cmd"),
        "trigger_id": "1.2.3",
    }
    return dispatch(app, urlencode(form), "application/x-www-form-urlencoded")


def test_a_command_registered_later_on_the_core_works_without_slack_changes(
    app: App, core: Core, fake: FakeSlack
) -> None:
    seen: list[CommandContext] = []

    def my_deadlines(ctx: CommandContext, rest: str) -> Reply:
        seen.append(ctx)
        return Reply(f"deadlines voor {ctx.user_name} ({ctx.user_tz}) {rest}".strip())

    core.router.register("mijn voorbeeld", my_deadlines, "jouw voorbeeld", "your example")
    assert send_command(app, "mijn voorbeeld sprint 3", fake) == 200
    reply = fake.wait_for("response_url")[0]
    assert reply.body["text"] == "deadlines voor amb-u0asker (Europe/Amsterdam) sprint 3"
    assert reply.body["response_type"] == "ephemeral"
    assert seen[0].channel == "C0LEF" and seen[0].channel_kind == "channel"


@pytest.mark.parametrize("mode", ["replace", "amend", "private"])
def test_an_action_registered_later_is_routed_and_shown_by_its_mode(
    app: App, core: Core, fake: FakeSlack, mode: str
) -> None:
    clicks: list[tuple[CommandContext, str]] = []

    def done(ctx: CommandContext, value: str) -> ActionResult:
        clicks.append((ctx, value))
        return ActionResult(Reply(f"klaar: {value}"), mode)

    core.actions.register("example_done", done)
    message = {
        "ts": "111.222",
        "text": "Deadline morgen",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "Deadline morgen"}},
            {
                "type": "actions",
                "block_id": "lef_actions",
                "elements": [{"type": "button", "action_id": "example_done", "value": "d9"}],
            },
        ],
    }
    payload = click(message, "C0LEF", "U0ASKER", "example_done", "d9", "lef_actions", fake.response_url("c"))
    assert send_click(app, payload) == 200
    if mode == "private":
        note = fake.wait_for("chat.postEphemeral")[0]
        assert note.body["user"] == "U0ASKER" and note.body["text"] == "klaar: d9"
        assert fake.calls_to("chat.update") == []
    else:
        update = fake.wait_for("chat.update")[0]
        assert update.body["ts"] == "111.222" and update.body["channel"] == "C0LEF"
        texts = [b["text"]["text"] for b in update.body["blocks"] if b["type"] == "section"]
        assert texts == (["klaar: d9"] if mode == "replace" else ["Deadline morgen", "klaar: d9"])
    ctx, value = clicks[0]
    assert value == "d9" and ctx.message == MessageRef("C0LEF", "111.222") and ctx.user_name == "amb-u0asker"


def test_clicks_in_ephemeral_messages_answer_through_the_response_url(app: App, core: Core, fake: FakeSlack) -> None:
    core.actions.register("try_replace", lambda ctx, value: ActionResult(Reply("nieuw"), "replace"))
    payload = click({"ts": "1.2"}, "C0LEF", "U0ASKER", "try_replace", "", "b", fake.response_url("e"), ephemeral=True)
    assert send_click(app, payload) == 200
    reply = fake.wait_for("response_url")[0]
    assert reply.body["replace_original"] is True and reply.body["text"] == "nieuw"
    assert fake.calls_to("chat.update") == []


def test_unknown_action_ids_are_acknowledged_and_explained(app: App, fake: FakeSlack) -> None:
    payload = click({"ts": "1.2", "blocks": []}, "C0LEF", "U0ASKER", "removed_feature", "x", "b", "")
    assert send_click(app, payload) == 200
    assert "werkt niet meer" in fake.wait_for("chat.postEphemeral")[0].body["text"]


def test_a_failing_core_action_gives_a_kind_private_reply(app: App, core: Core, fake: FakeSlack) -> None:
    def broken(ctx: CommandContext, value: str) -> ActionResult:
        raise RuntimeError("boom")

    core.actions.register("broken", broken)
    assert send_click(app, click({"ts": "1.2", "blocks": []}, "C0LEF", "U0ASKER", "broken", "", "b", "")) == 200
    assert "ging iets mis" in fake.wait_for("chat.postEphemeral")[0].body["text"]


def test_escalation_without_a_reachable_support_channel_says_so(app: App, core: Core, fake: FakeSlack) -> None:
    answer = core.ask(Incoming("U0ASKER", "fietsprijs utrecht?", "C0LEF", "channel"))
    fake.fail_next(3, status=500, method="chat.postMessage")
    message = {"ts": "5.6", "text": "x", "blocks": [{"type": "actions", "block_id": "lef_actions", "elements": []}]}
    payload = click(message, "C0LEF", "U0ASKER", "answer_escalate", str(answer.question_id), "lef_actions", "")
    assert send_click(app, payload) == 200
    assert "lukte nu niet" in fake.wait_for("chat.postEphemeral")[0].body["text"]


def test_same_event_id_is_claimed_once_and_old_ids_are_pruned(db: Database) -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert dedupe.claim(db, "Ev1", now) is True
    assert dedupe.claim(db, "Ev1", now + timedelta(minutes=5)) is False
    assert dedupe.claim(db, "Ev2", now) is True
    assert dedupe.prune(db, now + timedelta(days=8), force=True) == 2
    assert dedupe.claim(db, "Ev1", now + timedelta(days=8)) is True


def test_the_dedupe_middleware_skips_a_second_delivery(app: App, fake: FakeSlack) -> None:
    body = json.dumps(event_envelope(dm("Wat is een sprint?", channel="D0X"), "EvSAME"))
    assert dispatch(app, body, "application/json") == 200
    fake.wait_for("chat.postMessage")
    assert dispatch(app, body, "application/json") == 200
    assert dispatch(app, json.dumps(event_envelope(dm("wat is een krachtteam", channel="D0Y"))), "application/json")
    fake.wait_for("chat.postMessage", where=lambda c: c.body["channel"] == "D0Y")
    assert len(fake.calls_to("chat.postMessage", where=lambda c: c.body["channel"] == "D0X")) == 1


@pytest.mark.parametrize(
    ("event", "noise"),
    [
        ({"type": "message", "user": "U1", "text": "hoi"}, False),
        ({"type": "message", "user": "U1", "text": "hoi", "subtype": "file_share"}, False),
        ({"type": "app_mention", "user": "U1", "text": "<@UBOT> hoi"}, False),
        ({"type": "app_home_opened", "user": "U1", "tab": "home"}, False),
        ({"type": "message", "user": "U1", "text": "hoi", "bot_id": "B1"}, True),
        ({"type": "message", "subtype": "bot_message", "text": "hoi"}, True),
        ({"type": "message", "subtype": "message_changed", "message": {}}, True),
        ({"type": "message", "subtype": "message_deleted"}, True),
        ({"type": "message", "subtype": "channel_join", "user": "U1"}, True),
        ({"type": "app_mention", "user": "U1", "text": "x", "edited": {"ts": "1"}}, True),
    ],
)
def test_noise_filter(event: dict, noise: bool) -> None:
    assert is_noise(event) is noise


def test_http_mode_refuses_to_start_without_a_signing_secret(core: Core) -> None:
    core.settings = dataclasses.replace(core.settings, slack_signing_secret="")
    with pytest.raises(SlackSetupError, match="SLACK_SIGNING_SECRET"):
        build_app(core, socket_mode=False)


def test_client_uses_slack_api_url_and_retries_429_5xx_and_connection_errors(slack_settings: Settings) -> None:
    client = make_client(slack_settings)
    assert client.base_url == slack_settings.slack_api_url
    kinds = {type(h).__name__: h.max_retry_count for h in client.retry_handlers}
    assert kinds == {"ConnectionErrorRetryHandler": 2, "RateLimitErrorRetryHandler": 2, "ServerErrorRetryHandler": 2}


def test_messenger_dm_post_update_and_permalink(fake: FakeSlack) -> None:
    messenger = SlackMessenger(WebClient(token="xoxb-unit", base_url=fake.api_url))
    ref = messenger.send_dm("U0ASKER", Reply("hallo"))
    assert ref.channel == "D0ASKER"
    assert fake.calls_to("conversations.open")[0].body["users"] == "U0ASKER"
    thread_ref = messenger.post("C0LEF", Reply("in draad"), thread="1.1")
    assert fake.calls_to("chat.postMessage")[-1].body["thread_ts"] == "1.1"
    messenger.update(thread_ref, Reply("bijgewerkt"))
    assert fake.calls_to("chat.update")[0].body["ts"] == thread_ref.ts
    assert messenger.permalink(thread_ref).startswith("https://lef.example.slack.com/archives/C0LEF/p")
    assert messenger.permalink(ref) is None  # DMs: support staff could not open the link


def test_messenger_raises_messenger_error_when_slack_refuses(fake: FakeSlack) -> None:
    from bot.chat.messenger import MessengerError

    messenger = SlackMessenger(WebClient(token="xoxp-not-a-bot", base_url=fake.api_url))
    with pytest.raises(MessengerError):
        messenger.post("C0LEF", Reply("x"))


def test_profiles_are_cached_and_unknown_users_get_an_empty_profile(fake: FakeSlack) -> None:
    users.clear()
    client = WebClient(token="xoxb-unit", base_url=fake.api_url)
    assert users.profile(client, "U7") == users.Profile("amb-u7", "Europe/Amsterdam")
    assert users.profile(client, "U7").name == "amb-u7"
    assert len(fake.calls_to("users.info")) == 1
    assert users.profile(client, "UNKNOWN1") == users.Profile()


def test_home_tab_counts_the_users_recent_questions(app: App, core: Core, fake: FakeSlack) -> None:
    for question in ("wat is een sprint", "wat is een krachtteam"):
        core.ask(Incoming("U0HOME", question, "D0HOME", "dm"))
    body = json.dumps(event_envelope({"type": "app_home_opened", "user": "U0HOME", "tab": "home"}))
    assert dispatch(app, body, "application/json") == 200
    view = fake.wait_for("views.publish")[0].body["view"]
    assert "2 vraag/vragen" in json.dumps(view, ensure_ascii=False)
    messages_tab = json.dumps(event_envelope({"type": "app_home_opened", "user": "U0HOME", "tab": "messages"}))
    assert dispatch(app, messages_tab, "application/json") == 200
    assert len(fake.calls_to("views.publish")) == 1


def test_socket_mode_app_needs_no_signing_secret(core: Core) -> None:
    core.settings = dataclasses.replace(core.settings, slack_signing_secret="", slack_app_token="xapp-1")
    assert isinstance(build_app(core), App)


def test_core_buttons_use_registered_action_ids(core: Core) -> None:
    answer = core.ask(Incoming("U1", "wat is een sprint", "C", "dm"))
    assert {b.action_id for b in answer.reply.buttons} <= set(core.actions.ids())
