"""The fake Teams connector and the activity builders behave like the real services they stand in for."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pytest
from microsoft_agents.activity import Activity

from tests.teams.activities import Teams, TeamsChannel, TeamsUser
from tests.teams.fake_connector import FakeConnector

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def call(fake: FakeConnector, method: str, path: str, body: Any = None) -> tuple[int, Any, dict[str, str]]:
    """One request to the fake: (status, JSON body, headers)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        fake.url.rstrip("/") + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def test_send_reply_and_update_are_recorded_with_ids(connector: FakeConnector) -> None:
    conversation = "19:abc@thread.tacv2;messageid=1764590000001"
    quoted = urllib.request.quote(conversation, safe="")
    status, sent, _ = call(
        connector, "POST", f"/v3/conversations/{quoted}/activities", {"type": "message", "text": "a"}
    )
    assert status == 201 and sent["id"]
    status, reply, _ = call(
        connector,
        "POST",
        f"/v3/conversations/{conversation}/activities/1764590000001",
        {"type": "message", "text": "b"},
    )
    assert status == 201 and reply["id"] != sent["id"]
    status, updated, _ = call(
        connector, "PUT", f"/v3/conversations/{conversation}/activities/{reply['id']}", {"type": "message", "text": "c"}
    )
    assert status == 200 and updated == {"id": reply["id"]}
    calls = connector.wait_for_activities(3, conversation_id=conversation)
    assert [(c.kind, c.texts()) for c in calls] == [("send", "a"), ("reply", "b"), ("update", "c")]
    assert calls[1].activity_id == "1764590000001" and calls[2].activity_id == reply["id"]


def test_typing_is_left_out_unless_asked(connector: FakeConnector) -> None:
    call(connector, "POST", "/v3/conversations/a:1x/activities", {"type": "typing"})
    call(connector, "POST", "/v3/conversations/a:1x/activities", {"type": "message", "text": "hoi"})
    assert [c.type for c in connector.wait_for_activities(1)] == ["message"]
    assert [c.type for c in connector.sent(include_typing=True)] == ["typing", "message"]


def test_card_texts_are_collected(connector: FakeConnector) -> None:
    card = {
        "type": "AdaptiveCard",
        "body": [{"type": "TextBlock", "text": "Antwoord"}],
        "actions": [{"type": "Action.Execute", "title": "Ja, dit hielp"}],
    }
    call(
        connector,
        "POST",
        "/v3/conversations/a:1x/activities",
        {
            "type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
        },
    )
    assert connector.wait_for_activities(1)[0].texts() == "Antwoord\nJa, dit hielp"


def test_create_conversation_in_a_channel_and_personally(connector: FakeConnector) -> None:
    channel = "19:chan@thread.tacv2"
    status, created, _ = call(
        connector,
        "POST",
        "/v3/conversations",
        {
            "isGroup": True,
            "channelData": {"channel": {"id": channel}},
            "activity": {"type": "message", "text": "Nieuw"},
        },
    )
    assert status == 201
    assert created["id"] == f"{channel};messageid={created['activityId']}"
    status, personal, _ = call(connector, "POST", "/v3/conversations", {"members": [{"id": "29:1u"}]})
    assert status == 201 and personal["id"].startswith("a:1")
    assert [c.kind for c in connector.calls] == ["create", "create"]


def test_member_lookup_by_user_id_and_object_id(connector: FakeConnector) -> None:
    user = TeamsUser("Fatima el Amrani")
    connector.add_member(user.id, user.name, "fatima@example.nl", user.aad_object_id)
    for key in (user.id, user.aad_object_id):
        status, member, _ = call(connector, "GET", f"/v3/conversations/a:1x/members/{urllib.request.quote(key)}")
        assert status == 200
        assert (member["email"], member["aadObjectId"], member["id"]) == (
            "fatima@example.nl",
            user.aad_object_id,
            user.id,
        )
    status, error, _ = call(connector, "GET", "/v3/conversations/a:1x/members/29:1nobody")
    assert status == 404 and error["error"]["code"] == "MemberNotFoundInConversation"


def test_failures_on_demand(connector: FakeConnector) -> None:
    connector.fail_next(1, status=429, kind="reply", retry_after=2)
    connector.fail_next(1, status=500)
    status, _, headers = call(connector, "POST", "/v3/conversations/a:1x/activities/1", {"type": "message"})
    assert status == 429 and headers["Retry-After"] == "2"
    status, _, headers = call(connector, "POST", "/v3/conversations/a:1x/activities", {"type": "message"})
    assert status == 500 and "Retry-After" not in headers
    status, _, _ = call(connector, "POST", "/v3/conversations/a:1x/activities", {"type": "message"})
    assert status == 201
    assert len(connector.sent()) == 1


def test_unknown_paths_and_bad_bodies_are_refused(connector: FakeConnector) -> None:
    assert call(connector, "GET", "/v3/nothing")[0] == 404
    assert call(connector, "POST", "/v3/conversations/a:1x/activities", [1])[0] == 400


def test_waiting_times_out_with_what_was_seen(connector: FakeConnector) -> None:
    with pytest.raises(AssertionError, match="not met"):
        connector.wait_for_activities(1, timeout=0.2)


def _builders(teams: Teams) -> list[dict[str, Any]]:
    user, channel = TeamsUser("Jan de Vries"), TeamsChannel()
    personal = teams.personal_conversation(user)
    return [
        teams.personal_message(user, "help", personal),
        teams.channel_message(user, "wanneer is de deadline?", channel),
        teams.channel_message(user, "en nu?", channel, root_id="1764590000123"),
        teams.execute(user, personal, "feedback", {"helpful": True}, card_id="1764590000124"),
        teams.submit(user, personal, {"form": "checkin", "done": "alles"}, card_id="1764590000125"),
        teams.members_added(channel, [teams.bot]),
        teams.installation_update(user, "add"),
        teams.installation_update(user, "remove", channel=channel),
    ]


def test_built_activities_are_valid_sdk_activities(teams: Teams) -> None:
    for raw in _builders(teams):
        activity = Activity.model_validate(raw)
        assert activity.channel_id == "msteams" and activity.service_url == teams.service_url
        assert activity.from_property.id.startswith("29:1") and GUID.match(activity.from_property.aad_object_id)
        assert activity.recipient.id == f"28:{teams.app_id}"
        assert activity.conversation.tenant_id == teams.tenant_id


def test_teams_shapes(teams: Teams) -> None:
    user, channel = TeamsUser("Jan de Vries"), TeamsChannel()
    personal = teams.personal_message(user, "help")
    assert (
        personal["conversation"]["id"].startswith("a:1") and personal["conversation"]["conversationType"] == "personal"
    )
    post = teams.channel_message(user, "vraag", channel)
    assert post["conversation"]["id"] == f"{channel.id};messageid={post['id']}"
    assert re.match(r"^19:[0-9a-f]{32}@thread\.tacv2;messageid=\d{13}$", post["conversation"]["id"])
    assert post["text"] == "<at>lefbot</at> vraag"
    assert post["entities"][0]["mentioned"] == teams.bot
    reply = teams.channel_message(user, "nog een", channel, root_id=post["id"])
    assert reply["conversation"]["id"] == post["conversation"]["id"] and reply["replyToId"] == post["id"]
    invoke = teams.execute(user, personal["conversation"], "feedback", {"x": 1}, card_id="7")
    assert (invoke["type"], invoke["name"], invoke["value"]["action"]["type"]) == (
        "invoke",
        "adaptiveCard/action",
        "Action.Execute",
    )
    assert teams.members_added(channel, [teams.bot])["channelData"]["team"]["id"] == channel.team_id
    assert teams.installation_update(user, "remove")["action"] == "remove"
