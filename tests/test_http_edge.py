"""The HTTP edge in process: the signature before any parsing, malformed input refused, never a 5xx (issue 9)."""

from __future__ import annotations

import io
import json
import logging
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from bot.config import Settings, load_settings
from bot.core import Core
from handlers.slack import users
from handlers.slack.web import create_wsgi_app
from knowledge_base.kb import KnowledgeBase
from tests.conftest import fresh_database
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import TEAM, click, dm, event_envelope, mention, sign

FIXTURE_KB = Path(__file__).resolve().parent / "e2e" / "fixtures" / "kb"
SECRET = "edge-signing-secret"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def module_fake() -> Iterator[FakeSlack]:
    """A fake Slack Web API for this module."""
    server = FakeSlack().start()
    yield server
    server.stop()


@pytest.fixture
def fake(module_fake: FakeSlack) -> FakeSlack:
    """The fake, with the recordings of earlier tests cleared."""
    module_fake.reset()
    return module_fake


@pytest.fixture(scope="module")
def slack_settings(
    _template: str, tmp_path_factory: pytest.TempPathFactory, module_fake: FakeSlack
) -> Iterator[Settings]:
    """Settings for HTTP mode against the fake, on one fresh database for the module (most cases never reach it)."""
    folder = tmp_path_factory.mktemp("edge")
    with fresh_database(_template, f"lefbot_edge_{uuid.uuid4().hex[:8]}", folder) as url:
        env = {
            "DATABASE_URL": url,
            "SECRET_KEY": "edge-secret-key-0123456789",
            "LEFBOT_DATA_DIR": str(folder / "data"),
            "SLACK_BOT_TOKEN": "xoxb-edge",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": module_fake.api_url,
            "SUPPORT_CHANNEL": "C0SUPPORT",
            "KB_PATH": str(FIXTURE_KB),
        }
        yield load_settings(env, dotenv=False)


@pytest.fixture(scope="module")
def wsgi(slack_settings: Settings) -> Iterator:
    """The WSGI application, as gunicorn runs it."""
    users.clear()
    core = Core(slack_settings, kb=KnowledgeBase(FIXTURE_KB), migrate=False)
    yield create_wsgi_app(slack_settings, core=core)
    core.db.dispose()


def call(app, body: bytes | str, content_type: str = JSON, *, signed: bool = True, headers: dict | None = None) -> int:
    """One POST to /slack/events; the HTTP status."""
    raw = body.encode() if isinstance(body, str) else body
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }
    if signed:
        ts = str(int(time.time()))
        environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"] = ts
        environ["HTTP_X_SLACK_SIGNATURE"] = sign(SECRET, ts, raw.decode("utf-8", "surrogateescape"))
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    statuses: list[str] = []
    b"".join(app(environ, lambda status, _headers: statuses.append(status)))
    return int(statuses[0].split()[0])


def signed_bytes(raw: bytes) -> dict[str, str]:
    """Signature headers over raw bytes (for bodies that are not UTF-8)."""
    import hashlib
    import hmac

    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


BROKEN = [b'{"type":', b"[1,2]", b"\xff\xfe{}", b"payload=%7B", b"", b"null", b'"x"', b"{}" * 3, b"[" * 5000]


@pytest.mark.parametrize("body", BROKEN)
def test_unsigned_and_forged_requests_get_401_whatever_the_body(wsgi, body: bytes) -> None:
    assert call(wsgi, body, signed=False) == 401
    assert call(wsgi, body, FORM, signed=False) == 401
    forged = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
    assert call(wsgi, body, signed=False, headers=forged) == 401


@pytest.mark.parametrize("timestamp", ["abc", "", "-1", "1e9", "٣٣", str(int(time.time()) - 600), "9" * 40])
def test_bad_or_stale_timestamps_get_401(wsgi, timestamp: str) -> None:
    body = json.dumps(event_envelope(dm("hoi")))
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": sign(SECRET, timestamp, body)}
    assert call(wsgi, body, signed=False, headers=headers) == 401


@pytest.mark.parametrize("body", BROKEN)
def test_signed_but_unreadable_bodies_get_400(wsgi, body: bytes) -> None:
    assert call(wsgi, body, signed=False, headers=signed_bytes(body)) == 400


def envelope(event: object, **top: object) -> str:
    """An Events API body around any `event`."""
    return json.dumps({**event_envelope({}), "event": event, **top})


def action_payload(**changes: object) -> str:
    """A block_actions form body, with fields replaced by `changes`."""
    message = {"ts": "1.2", "text": "vraag", "blocks": []}
    payload = click(message, "C0LEF", "U0ASKER", "answer_helpful", "1", "b1", "https://127.0.0.1:9/r")
    payload.update(changes)
    return urlencode({"payload": json.dumps(payload)})


def command_body(text: str = "help", **changes: str) -> str:
    """A `/lef` slash-command form body."""
    form = {
        "team_id": TEAM,
        "channel_id": "C0LEF",
        "user_id": "U0ASKER",
        "command": "/lef",
        "text": text,
        "response_url": "http://127.0.0.1:9/r",
        "trigger_id": "1.2.abc",
        **changes,
    }
    return urlencode(form)


SIGNED_ODD = {
    "event is a number": (envelope(7), JSON),
    "event is a list": (envelope([1]), JSON),
    "event type missing": (envelope({"user": "U1"}), JSON),
    "NUL in event_id": (envelope(dm("hoi"), event_id="Ev\u0000x"), JSON),
    "event_id a number": (envelope(dm("hoi"), event_id=5), JSON),
    "DM text a number": (envelope({**dm("hoi"), "text": 5}), JSON),
    "DM text an object": (envelope({**dm("hoi"), "text": {"a": 1}}), JSON),
    "mention user an object": (envelope({**mention("hoi"), "user": {"id": "U1"}}), JSON),
    "NUL in DM text": (envelope(dm("ho\u0000i")), JSON),
    "authorizations a number": (json.dumps({**event_envelope(dm("hoi")), "authorizations": 5}), JSON),
    "no actions": (action_payload(actions=[]), FORM),
    "actions a string": (action_payload(actions="x"), FORM),
    "action a number": (action_payload(actions=[5]), FORM),
    "huge button value": (action_payload(actions=[{"action_id": "answer_helpful", "value": "9" * 21}]), FORM),
    "huge nudge key": (
        action_payload(
            actions=[{"action_id": "deadline_done", "value": "nudge:999999999999999999999:U0ASKER:first3:1"}]
        ),
        FORM,
    ),
    "user a string": (action_payload(user="U0ASKER"), FORM),
    "user without id": (action_payload(user={"name": "x"}), FORM),
    "channel a list": (action_payload(channel=[1]), FORM),
    "message a string": (action_payload(message="x"), FORM),
    "view user a string": (
        urlencode({"payload": json.dumps({"type": "view_submission", "user": "U1", "view": {"callback_id": "x"}})}),
        FORM,
    ),
    "view state values a list": (
        urlencode(
            {
                "payload": json.dumps(
                    {
                        "type": "view_submission",
                        "user": {"id": "U1"},
                        "view": {"callback_id": "x", "private_metadata": "1", "state": {"values": [1]}},
                    }
                )
            }
        ),
        FORM,
    ),
    "huge private metadata": (
        urlencode(
            {
                "payload": json.dumps(
                    {
                        "type": "view_submission",
                        "user": {"id": "U1"},
                        "view": {"callback_id": "checkin_form", "private_metadata": "9" * 30},
                    }
                )
            }
        ),
        FORM,
    ),
    "payload not JSON": ("payload=%7B", FORM),
    "payload a list": ("payload=" + quote("[1]"), FORM),
    "NUL in /lef user_id": (command_body(user_id="U0\u0000X"), FORM),
    "/lef without user_id": (command_body(user_id=""), FORM),
    "/lef with a user_id longer than any Slack id": (command_body(user_id="U" + "A" * 60), FORM),
    "/lef with a bad response_url": (command_body(response_url="javascript:x"), FORM),
    "type a number": (json.dumps({"type": 5}), JSON),
    "no type at all": (json.dumps({"x": 1}), JSON),
}


@pytest.mark.parametrize("name", sorted(SIGNED_ODD))
def test_signed_odd_input_gets_400_without_a_traceback(wsgi, fake: FakeSlack, name: str, caplog) -> None:
    body, content_type = SIGNED_ODD[name]
    with caplog.at_level(logging.INFO):
        assert call(wsgi, body, content_type) == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not fake.calls_to("chat.postMessage") and not fake.calls_to("chat.postEphemeral")


@pytest.mark.parametrize("kind", ["shortcut", "message_action", "block_suggestion", "app_rate_limited"])
def test_kinds_lefbot_does_not_handle_are_acknowledged_and_ignored(wsgi, kind: str) -> None:
    assert call(wsgi, json.dumps({"type": kind, "callback_id": "x", "action_id": "y"})) == 200


def test_events_lefbot_does_not_listen_to_are_acknowledged_and_ignored(wsgi) -> None:
    assert call(wsgi, envelope({"type": "user_change", "user": {"id": "U1"}})) == 200


def test_url_verification_and_a_normal_dm_still_work(wsgi, fake: FakeSlack) -> None:
    assert call(wsgi, json.dumps({"type": "url_verification", "challenge": "abc"})) == 200
    assert call(wsgi, envelope(dm("help"))) == 200
    assert fake.wait_for("chat.postMessage")


def test_control_characters_in_text_are_cleaned_not_fatal(wsgi, fake: FakeSlack) -> None:
    assert call(wsgi, envelope(dm("he\u0007lp\u001b[31m \u202e"))) == 200
    assert fake.wait_for("chat.postMessage")
    assert call(wsgi, command_body("help\u0001\u0002", response_url=fake.response_url("edge")), FORM) == 200
    assert fake.wait_for("response_url")


def test_oversized_bodies_are_refused_before_reading(wsgi) -> None:
    assert call(wsgi, b"x" * 1_000_001) == 413


def test_socket_mode_payloads_get_the_same_boundary_checks(slack_settings: Settings, fake: FakeSlack) -> None:
    from slack_bolt.request import BoltRequest

    from handlers.slack.app import build_app

    core = Core(slack_settings, kb=KnowledgeBase(FIXTURE_KB), migrate=False)
    try:
        app = build_app(core, socket_mode=True)
        odd = json.loads(envelope({**dm("hoi"), "text": 5}))
        assert app.dispatch(BoltRequest(body=odd, mode="socket_mode")).status == 400
        fine = json.loads(envelope(dm("help", channel="D0SOCKET")))
        assert app.dispatch(BoltRequest(body=fine, mode="socket_mode")).status == 200
        assert fake.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == "D0SOCKET")
    finally:
        core.db.dispose()


def test_slack_generated_block_and_action_ids_are_accepted(wsgi, fake: FakeSlack) -> None:
    message = {"ts": "1.2", "text": "vraag", "blocks": []}
    payload = click(message, "C0LEF", "U0ASKER", "+Tl=", "", "x8a=/", fake.response_url("gen"))
    assert call(wsgi, urlencode({"payload": json.dumps(payload)}), FORM) == 200
    assert "werkt niet meer" in fake.wait_for("chat.postEphemeral")[0].body["text"]


def test_a_body_without_length_is_read_up_to_the_limit(wsgi) -> None:
    from handlers.slack.web import read_body

    assert read_body({"wsgi.input": io.BytesIO(b"x" * 1_000_001)}) is None
    assert read_body({"wsgi.input": io.BytesIO(b"{}")}) == b"{}"
    assert read_body({"CONTENT_LENGTH": "abc", "wsgi.input": io.BytesIO(b"{}")}) is None
