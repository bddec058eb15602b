"""The activity builders drive the SDK's card and proactive paths: Action.Execute invokes and stored references."""

from __future__ import annotations

import urllib.request

from tests.teams import card_bot
from tests.teams.activities import Teams, TeamsUser, post_activity
from tests.teams.conftest import Served
from tests.teams.fake_connector import FakeConnector


def test_execute_invoke_answers_with_the_replacement_card(card_bot_server: Served, teams: Teams) -> None:
    user = TeamsUser("Jan de Vries")
    conversation = teams.personal_conversation(user)
    status, body = post_activity(
        card_bot_server.url, teams.execute(user, conversation, "helpful", {"answer": 1}, "17645")
    )
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    assert body["value"]["body"][0]["text"] == card_bot.THANKS and "actions" not in body["value"]


def test_message_gets_a_card_and_notify_replies_through_the_stored_reference(
    card_bot_server: Served, teams: Teams, connector: FakeConnector
) -> None:
    message = teams.personal_message(TeamsUser("Fatima el Amrani"), "hoi")
    assert post_activity(card_bot_server.url, message)[0] == 202
    [answer] = connector.wait_for_activities(1)
    assert answer.activity["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "Ja, dit hielp" in answer.texts() and card_bot.ANSWER in answer.texts()
    request = urllib.request.Request(card_bot_server.url + "/notify", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    calls = connector.wait_for_activities(2)
    nudge = calls[-1]
    assert nudge.activity["text"] == card_bot.NUDGE
    # SDK 1.9.0 replies to the continuation activity's own fresh id (a GUID), not to the stored message id.
    assert (nudge.kind, nudge.conversation_id) == ("reply", message["conversation"]["id"])
    assert nudge.activity["recipient"]["id"] == message["from"]["id"]
