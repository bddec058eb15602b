"""Fuzz of the real bot over HTTP (issue 9): unsigned, forged and signed odd requests never give a 5xx or a traceback.

Each test sends a bounded, derandomized batch of requests made by hypothesis to `lefbot run --http` (the
session's bot against the fake Slack API), then waits until the bot is quiet and checks that /healthz is 200
and that the part of the bot's log written during the test holds no traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import SIGNING_SECRET
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import TEAM, SlackSender, click, dm, event_envelope, mention, new_ts

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain", "", "application/json; x=1"]
cases = {"count": 0}

# -- strategies --------------------------------------------------------------------------------------------

odd_text = st.text(max_size=60) | st.sampled_from(["", "\x00", "\u202e", "<@U1>", "<!channel>", "9" * 25, "٣²"])
huge_text = st.builds(lambda c, n: c * n, st.characters(), st.integers(1000, 45_000))
any_text = odd_text | huge_text | st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | any_text
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3), max_leaves=8
)
loopback = st.sampled_from(["http://127.0.0.1:9/x", "https://127.0.0.1:9/y", "javascript:alert(1)", ""])


def _set(payload: dict, path: tuple[str, ...], value: Any) -> dict:
    """A copy of `payload` with the value at `path` replaced (missing dicts on the way are made)."""
    copy = json.loads(json.dumps(payload))
    node = copy
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return copy


EVENT_PATHS = [("event",), ("event_id",), ("type",), ("authorizations",), ("team_id",), ("event", "type"),
               ("event", "text"), ("event", "user"), ("event", "channel"), ("event", "ts"), ("event", "thread_ts"),
               ("event", "channel_type"), ("event", "subtype"), ("event", "bot_id"), ("event", "tab"),
               ("event", "message"), ("event", "edited")]  # fmt: skip
ACTION_PATHS = [
    ("actions",),
    ("user",),
    ("user", "id"),
    ("channel",),
    ("channel", "id"),
    ("container",),
    ("container", "is_ephemeral"),
    ("container", "message_ts"),
    ("message",),
    ("message", "text"),
    ("message", "blocks"),
    ("message", "ts"),
    ("response_url",),
    ("trigger_id",),
    ("type",),
    ("team",),
]
VIEW_PATHS = [("view",), ("view", "callback_id"), ("view", "private_metadata"), ("view", "state"),
              ("view", "state", "values"), ("user",), ("user", "id"), ("response_urls",), ("type",)]  # fmt: skip
ACTION_IDS = ["answer_helpful", "answer_not_helpful", "answer_escalate", "answer_choose", "privacy_erase",
              "deadline_done", "deadline_snooze", "deadline_help", "checkin_open", "checkin_later", "checkin_skip",
              "checkin_off", "checkin_pickup", "checkin_csv", "checkin_settings", "slack_share_answer",
              "deadline_new_form", "nope"]  # fmt: skip
CALLBACKS = ["checkin_form", "deadline_form", "checkin_settings_form", "nope"]
COMMAND_WORDS = ["help", "vraag", "mijn gegevens", "vergeet mij", "deadline", "deadline nieuw", "deadlines",
                 "mijn deadlines", "vrij", "vrije dagen", "afwezig", "team", "sprint", "checkin", "checkins",
                 "tijdzone", "taal", "klaar", "verzet", "dag", "#", "999999999999999999999", "-1", "²"]  # fmt: skip
VALUES = st.sampled_from(["1", "0", "-1", "1:x", "nudge:1:U0FUZZ:first3:1", "9" * 21, "nudge:" + "9" * 21 + ":U:x:1",
                          "2147483648", "٣", "1:" + "9" * 30, "\x00", "U0FUZZ"]) | odd_text  # fmt: skip


def fuzz_ids(prefix: str) -> st.SearchStrategy[str]:
    """Mostly well-formed ids, sometimes odd ones."""
    return st.builds(lambda: f"{prefix}{uuid.uuid4().hex[:8].upper()}") | odd_text


@st.composite
def events(draw: st.DrawFn) -> dict:
    """A DM, mention or Home-tab event with one or two fields replaced by anything."""
    user, channel = draw(fuzz_ids("UFZ")), draw(fuzz_ids("D"))
    base = draw(st.sampled_from([
        dm(draw(any_text), user="U0FUZZ", channel="D0FUZZ"),
        mention(draw(any_text), user="U0FUZZ", channel="C0FUZZ"),
        {"type": "app_home_opened", "user": "U0FUZZ", "tab": "home", "event_ts": new_ts()},
    ]))  # fmt: skip
    body = event_envelope(base)
    for _ in range(draw(st.integers(0, 2))):
        body = _set(body, draw(st.sampled_from(EVENT_PATHS)), draw(json_values | st.just(user) | st.just(channel)))
    return body


@st.composite
def actions(draw: st.DrawFn, fake_url: str) -> dict:
    """A button click with a fuzzed action id, value and surroundings."""
    message = {"ts": new_ts(), "text": draw(odd_text), "blocks": []}
    payload = click(message, draw(st.sampled_from(["C0FUZZ", "D0FUZZ", ""])), "U0FUZZ",
                    draw(st.sampled_from(ACTION_IDS)), draw(VALUES), "b1", fake_url,
                    ephemeral=draw(st.booleans()))  # fmt: skip
    for _ in range(draw(st.integers(0, 2))):
        payload = _set(payload, draw(st.sampled_from(ACTION_PATHS)), draw(json_values))
    return payload


@st.composite
def views(draw: st.DrawFn) -> dict:
    """A modal submission with fuzzed metadata and state."""
    values = draw(st.dictionaries(odd_text, st.dictionaries(st.just("value"), json_values, max_size=1), max_size=3))
    payload = {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": "U0FUZZ", "team_id": TEAM},
               "view": {"callback_id": draw(st.sampled_from(CALLBACKS)), "private_metadata": draw(VALUES),
                        "state": {"values": values}, "type": "modal"}}  # fmt: skip
    for _ in range(draw(st.integers(0, 1))):
        payload = _set(payload, draw(st.sampled_from(VIEW_PATHS)), draw(json_values))
    return payload


@st.composite
def commands(draw: st.DrawFn, fake_url: str) -> dict:
    """A `/lef` command with fuzzed text (often a real subcommand plus anything) and sometimes odd fields."""
    text = draw(st.sampled_from(COMMAND_WORDS) | st.just("")) + " " + draw(any_text)
    form = {"team_id": TEAM, "channel_id": draw(st.sampled_from(["C0FUZZ", "D0FUZZ", ""])),
            "user_id": draw(st.sampled_from(["U0FUZZ", "U0FUZZ2"]) | fuzz_ids("UFZ")), "command": "/lef",
            "text": text, "response_url": fake_url, "trigger_id": "1.2.fuzz"}  # fmt: skip
    if draw(st.booleans()):
        form[draw(st.sampled_from(list(form)))] = draw(odd_text | loopback)
    return form


# -- the harness -------------------------------------------------------------------------------------------


def post(sender: SlackSender, body: bytes, content_type: str, headers: dict[str, str]) -> int:
    """POST raw bytes to /slack/events; the status."""
    request = urllib.request.Request(sender.url, data=body, method="POST",
                                     headers={"Content-Type": content_type, **headers})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


def signed(body: bytes, timestamp: str | None = None) -> dict[str, str]:
    """Slack's signature headers over raw bytes."""
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


class Fuzzer:
    """Sends fuzz cases to the bot, asserting that none gets a 5xx."""

    def __init__(self, sender: SlackSender) -> None:
        self.sender = sender

    def send(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> int:
        """POST one case: signed unless `headers` gives the signature headers (or none) itself."""
        status = post(self.sender, body, content_type, signed(body) if headers is None else headers)
        cases["count"] += 1
        assert status < 500, (status, body[:300], content_type)
        return status


@pytest.fixture
def fuzzer(bot_server: SlackSender, fake_slack: FakeSlack) -> Iterator[Fuzzer]:
    """A fuzzer for one test; afterwards the bot must be quiet, healthy and without a traceback in its log."""
    assert bot_server.log_path is not None
    start = bot_server.log_path.stat().st_size
    yield Fuzzer(bot_server)
    wait_until_quiet(bot_server)
    assert bot_server.get("/healthz").status == 200
    with bot_server.log_path.open("rb") as log:
        log.seek(start)
        written = log.read().decode(errors="replace")
    assert "Traceback" not in written, written[-6000:]
    fake_slack.reset()
    print(f" [HTTP fuzz cases so far: {cases['count']}]", end="")


def wait_until_quiet(sender: SlackSender, quiet: float = 1.0, limit: float = 30.0) -> None:
    """Wait until the bot's log stopped growing (the listeners of the last requests are done)."""
    assert sender.log_path is not None
    end, size, since = time.monotonic() + limit, -1, time.monotonic()
    while time.monotonic() < end:
        now = sender.log_path.stat().st_size
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)  # polling the log file of another process


def form(payload: dict) -> bytes:
    """An interactivity payload as Slack posts it."""
    return urlencode({"payload": json.dumps(payload)}).encode()


# -- the tests ---------------------------------------------------------------------------------------------

raw_bodies = st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode())


@settings(FUZZ, max_examples=60)
@given(body=raw_bodies, content_type=st.sampled_from(CONTENT_TYPES),
       kind=st.sampled_from(["none", "forged", "stale", "garbage"]))  # fmt: skip
def test_unsigned_forged_or_stale_requests_get_401(fuzzer: Fuzzer, body: bytes, content_type: str, kind: str) -> None:
    now = str(int(time.time()))
    headers = {
        "none": {},
        "forged": {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "ab" * 32},
        "stale": signed(body, str(int(time.time()) - 3600)),
        "garbage": {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=xyz"},
    }[kind]
    assert fuzzer.send(body, content_type, headers) == 401


@settings(FUZZ, max_examples=60)
@given(body=raw_bodies | st.builds(lambda t: b"payload=" + quote(t).encode(), odd_text),
       content_type=st.sampled_from(CONTENT_TYPES))  # fmt: skip
def test_signed_random_bodies_get_no_5xx(fuzzer: Fuzzer, body: bytes, content_type: str) -> None:
    fuzzer.send(body, content_type)


@settings(FUZZ, max_examples=80)
@given(body=events())
def test_signed_odd_events_get_no_5xx(fuzzer: Fuzzer, body: dict) -> None:
    fuzzer.send(json.dumps(body).encode(), "application/json")


@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_signed_odd_clicks_and_modal_submissions_get_no_5xx(fuzzer: Fuzzer, fake_slack: FakeSlack, data) -> None:  # noqa: ANN001
    payload = data.draw(actions(fake_slack.response_url("fuzz")) | views())
    fuzzer.send(form(payload), "application/x-www-form-urlencoded")


@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_signed_odd_slash_commands_get_no_5xx(fuzzer: Fuzzer, fake_slack: FakeSlack, data) -> None:  # noqa: ANN001
    body = urlencode(data.draw(commands(fake_slack.response_url("fuzz")))).encode()
    fuzzer.send(body, "application/x-www-form-urlencoded")
