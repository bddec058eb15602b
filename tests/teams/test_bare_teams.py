"""The bare Agents SDK app (the Teams bench baseline) answers through the fake connector; bad input gives 400."""

from __future__ import annotations

import time

import pytest

from benchmarks.bare_teams import FIXED_TEXT
from tests.teams.activities import Teams, TeamsChannel, TeamsUser, post_activity
from tests.teams.conftest import Served
from tests.teams.fake_connector import FakeConnector


def test_personal_message_is_answered_at_the_connector(
    bare_teams: Served, teams: Teams, connector: FakeConnector
) -> None:
    activity = teams.personal_message(TeamsUser("Jan de Vries"), "hallo")
    status, _ = post_activity(bare_teams.url, activity)
    assert status == 202
    [reply] = connector.wait_for_activities(1, conversation_id=activity["conversation"]["id"])
    assert reply.kind == "reply" and reply.activity_id == activity["id"]
    assert reply.activity["text"] == FIXED_TEXT
    assert reply.activity["recipient"]["id"] == activity["from"]["id"]
    assert "Authorization" not in reply.headers  # anonymous: no token is sent


def test_channel_mention_is_answered_in_its_thread(bare_teams: Served, teams: Teams, connector: FakeConnector) -> None:
    activity = teams.channel_message(TeamsUser("Fatima el Amrani"), "vraag", TeamsChannel())
    assert post_activity(bare_teams.url, activity)[0] == 202
    [reply] = connector.wait_for_activities(1, conversation_id=activity["conversation"]["id"])
    assert reply.activity["conversation"]["id"].endswith(f";messageid={activity['id']}")


def test_a_connector_failure_does_not_fail_the_request(
    bare_teams: Served, teams: Teams, connector: FakeConnector
) -> None:
    connector.fail_next(1, status=500, kind="reply")
    activity = teams.personal_message(TeamsUser("Jan de Vries"), "hallo")
    assert post_activity(bare_teams.url, activity)[0] == 202
    connector.wait_for(lambda calls: any(c.status == 500 for c in calls))
    deadline = time.monotonic() + 10
    while "turn failed: ClientResponseError" not in bare_teams.log_path.read_text():
        assert time.monotonic() < deadline, "the turn-error handler did not run"
        time.sleep(0.05)  # polling the log until the handler wrote its line


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"type": 5}',
        b'{"type": "message"}',
        b'{"type": "message", "channelId": "msteams", "conversation": {"id": "a:1x"}, "from": {"id": "29:1u"},'
        b' "recipient": {"id": "28:b"}}',
        b'{"type": "message", "channelId": "msteams", "conversation": {"id": "a:1x"}, "from": {"id": "29:1u"},'
        b' "recipient": {"id": "28:b"}, "serviceUrl": "file:///etc/passwd"}',
    ],
)
def test_malformed_activity_gives_400(bare_teams: Served, body: bytes, connector: FakeConnector) -> None:
    status, answer = post_activity(bare_teams.url, body)
    assert status == 400 and answer["error"]
    assert connector.calls == []
