"""The real lefbot on Teams, black-box over HTTP: `lefbot run --teams` as a subprocess (anonymous), the fake
connector as the activities' serviceUrl (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.chat.replies import Button, Reply
from bot.db import Database
from handlers.teams.references import SqlReferenceStore, channel_key, user_key
from tests.conftest import fresh_database
from tests.teams.activities import Teams, TeamsChannel, TeamsUser, post_activity
from tests.teams.conftest import REPO, Served
from tests.teams.fake_connector import FakeConnector
from tests.teams.harness import free_port, start_server, stop_server

LEFBOT = str(Path(sys.executable).parent / "lefbot")
FIXTURE_KB = REPO / "tests" / "e2e" / "fixtures" / "kb"
SUPPORT = TeamsChannel(name="Procesbegeleiders")


def bot_env(database_url: str, port: int, home: Path, **extra: str) -> dict[str, str]:
    """The environment of lefbot under test: anonymous Teams unless `extra` says otherwise."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "teams-secret-key-0123456789",
        "LEFBOT_DATA_DIR": str(home),
        "KB_PATH": str(FIXTURE_KB),
        "PORT": str(port),
        "SUPPORT_CHANNEL": SUPPORT.id,
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        "TEAMS_ALLOW_ANONYMOUS": "true",
        **extra,
    }


@pytest.fixture(scope="session")
def teams_database_url(_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One fresh migrated database for the bot under test."""
    folder = tmp_path_factory.mktemp("teams_db")
    with fresh_database(_template, f"lefbot_teams_{uuid.uuid4().hex[:8]}", folder) as url:
        yield url


@pytest.fixture(scope="session")
def lefbot_teams(teams_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`lefbot run --teams`, anonymous, on a free port."""
    home = tmp_path_factory.mktemp("lefbot_teams")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = home / "server.log"
    process = start_server(
        [LEFBOT, "run", "--teams"], bot_env(teams_database_url, port, home), home, log_path, url + "/healthz"
    )
    try:
        yield Served(url, log_path)
    finally:
        stop_server(process)


@pytest.fixture
def store(teams_database_url: str) -> Iterator[SqlReferenceStore]:
    """The bot's reference store, read from the test."""
    db = Database(teams_database_url)
    yield SqlReferenceStore(db)
    db.dispose()


def post(served: Served, activity: dict[str, Any] | bytes) -> tuple[int, Any]:
    """POST to the bot; the status and body."""
    return post_activity(served.url, activity)


def replies(connector: FakeConnector, conversation_id: str, count: int = 1) -> list[Any]:
    """The activities the bot sent in a conversation (waits for `count`)."""
    return connector.wait_for_activities(count, conversation_id)


def card_of(call: Any) -> dict[str, Any]:
    """The Adaptive Card a sent activity carries."""
    attachments = call.activity.get("attachments") or []
    assert attachments, f"no card in {call.activity}"
    assert attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachments[0]["content"]


def action(card: dict[str, Any], verb: str) -> dict[str, Any]:
    """The Action.Execute with `verb` anywhere in a card."""
    found = [a for a in card.get("actions", []) if a.get("verb") == verb]
    for element in card.get("body", []):
        found += [a for a in element.get("actions", []) if a.get("verb") == verb]
    assert found, f"no {verb} in {json.dumps(card)[:500]}"
    return found[0]


def test_personal_question_gets_an_answer_card(lefbot_teams: Served, connector: FakeConnector, teams: Teams) -> None:
    user = TeamsUser("Anna de Vries")
    activity = teams.personal_message(user, "Wat is een sprint?")
    status, _ = post(lefbot_teams, activity)
    assert status in (200, 202)
    [sent] = replies(connector, activity["conversation"]["id"])
    card = card_of(sent)
    assert card["version"] == "1.5"
    assert "Wat is een sprint?" in sent.texts()
    assert "transform4c.com" in json.dumps(card)  # the source as a link
    assert card["fallbackText"]
    assert action(card, "answer_helpful")["title"] == "Ja, dit hielp"


def test_helpful_click_updates_the_card_in_place(lefbot_teams: Served, connector: FakeConnector, teams: Teams) -> None:
    user = TeamsUser("Bram Jansen")
    activity = teams.personal_message(user, "Hoe lang duurt een sprint?")
    post(lefbot_teams, activity)
    [sent] = replies(connector, activity["conversation"]["id"])
    helpful = action(card_of(sent), "answer_helpful")
    press = teams.execute(user, activity["conversation"], "answer_helpful", helpful["data"], sent.sent_id)
    status, body = post(lefbot_teams, press)
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    updated = json.dumps(body["value"], ensure_ascii=False)
    assert "Wat is een sprint?" in updated  # the answer stays
    assert "answer_helpful" not in updated  # the buttons are gone
    assert "Dank" in updated or "Fijn" in updated


def test_forged_card_body_is_not_shown(lefbot_teams: Served, connector: FakeConnector, teams: Teams) -> None:
    user = TeamsUser("Eva Smit")
    activity = teams.personal_message(user, "Wat is een sprint?")
    post(lefbot_teams, activity)
    [sent] = replies(connector, activity["conversation"]["id"])
    data = dict(action(card_of(sent), "answer_helpful")["data"])
    data["s"] = "0" * 32
    press = teams.execute(user, activity["conversation"], "answer_helpful", data, sent.sent_id)
    status, body = post(lefbot_teams, press)
    assert status == 200
    assert "Wat is een sprint?" not in json.dumps(body["value"], ensure_ascii=False)


def test_channel_mention_is_answered_in_its_thread(
    lefbot_teams: Served, connector: FakeConnector, teams: Teams
) -> None:
    user, channel = TeamsUser("Chris Bakker"), TeamsChannel()
    activity = teams.channel_message(user, "wat is een sprint?", channel)
    post(lefbot_teams, activity)
    [sent] = replies(connector, activity["conversation"]["id"])
    assert sent.conversation_id == f"{channel.id};messageid={activity['id']}"
    assert "Wat is een sprint?" in sent.texts()


def test_channel_message_without_mention_is_left_alone(
    lefbot_teams: Served, connector: FakeConnector, teams: Teams
) -> None:
    user, channel = TeamsUser("Dirk Visser"), TeamsChannel()
    quiet = teams.channel_message(user, "wat is een sprint?", channel, mention=False)
    loud = teams.channel_message(user, "wat is een sprint?", channel)
    assert post(lefbot_teams, quiet)[0] in (200, 202)
    post(lefbot_teams, loud)
    replies(connector, loud["conversation"]["id"])
    assert connector.sent(quiet["conversation"]["id"]) == []


def test_typed_commands_and_help(lefbot_teams: Served, connector: FakeConnector, teams: Teams) -> None:
    user = TeamsUser("Fatima El Amrani")
    conversation = teams.personal_conversation(user)
    for text in ("/lef help", "lef help", "help"):
        post(lefbot_teams, teams.personal_message(user, text, conversation))
    sent = replies(connector, conversation["id"], 3)
    assert all("mijn deadlines" in call.texts() for call in sent)


def test_choices_answer_in_place(lefbot_teams: Served, connector: FakeConnector, teams: Teams) -> None:
    user = TeamsUser("Gert Mulder")
    activity = teams.personal_message(user, "procesbegeleider sprint")
    post(lefbot_teams, activity)
    [sent] = replies(connector, activity["conversation"]["id"])
    card = card_of(sent)
    chosen = [a for e in card["body"] for a in e.get("actions", []) if a.get("verb") == "answer_choose"]
    assert len(chosen) == 2, sent.texts()[:300]
    press = teams.execute(user, activity["conversation"], "answer_choose", chosen[0]["data"], sent.sent_id)
    status, body = post(lefbot_teams, press)
    assert status == 200
    assert chosen[0]["title"] in json.dumps(body["value"], ensure_ascii=False)


def test_malformed_activities_get_400(lefbot_teams: Served, teams: Teams) -> None:
    user = TeamsUser("Hanna Kok")
    no_channel = teams.personal_message(user, "hoi")
    del no_channel["channelId"]
    for bad in (b"{not json", b"[1, 2]", json.dumps({"type": 5}).encode(), no_channel):
        status, body = post(lefbot_teams, bad)
        assert status == 400, (bad, status, body)


def test_duplicate_activity_is_answered_once(lefbot_teams: Served, connector: FakeConnector, teams: Teams) -> None:
    user = TeamsUser("Iris de Boer")
    activity = teams.personal_message(user, "Wat is een sprint?")
    post(lefbot_teams, activity)
    replies(connector, activity["conversation"]["id"])
    assert post(lefbot_teams, activity)[0] == 200
    post(lefbot_teams, teams.personal_message(user, "help", activity["conversation"]))
    sent = replies(connector, activity["conversation"]["id"], 2)
    assert len(sent) == 2  # the repeat was skipped; the later help was answered


def test_install_stores_references_and_uninstall_forgets(
    lefbot_teams: Served, connector: FakeConnector, teams: Teams, store: SqlReferenceStore
) -> None:
    user, channel = TeamsUser("Joost Dekker"), TeamsChannel()
    assert post(lefbot_teams, teams.installation_update(user, "add"))[0] in (200, 202)
    assert post(lefbot_teams, teams.installation_update(user, "add", channel))[0] in (200, 202)
    connector.wait_for(lambda _calls: store.get(channel_key(channel.id)) is not None, 10)
    assert store.get(user_key(user.aad_object_id))["serviceUrl"] == connector.url
    assert store.get(channel_key(channel.id))["conversation"]["id"] == channel.id
    post(lefbot_teams, teams.installation_update(user, "remove"))
    connector.wait_for(lambda _calls: store.get(user_key(user.aad_object_id)) is None, 10)

    removed = teams.members_added(channel, [teams.bot])
    removed["membersRemoved"] = removed.pop("membersAdded")  # the bot was removed from the team
    assert post(lefbot_teams, removed)[0] in (200, 202)
    connector.wait_for(lambda _calls: store.get(channel_key(channel.id)) is None, 10)
    assert post(lefbot_teams, teams.members_added(channel, [teams.bot]))[0] in (200, 202)
    connector.wait_for(lambda _calls: store.get(channel_key(channel.id)) is not None, 10)


def test_escalation_is_posted_in_the_support_channel(
    lefbot_teams: Served, connector: FakeConnector, teams: Teams
) -> None:
    user = TeamsUser("Kees Peters")
    post(lefbot_teams, teams.installation_update(user, "add", SUPPORT))
    activity = teams.personal_message(user, "Hoeveel kost een parkeervergunning op de maan?")
    post(lefbot_teams, activity)
    [sent] = replies(connector, activity["conversation"]["id"])
    escalate = action(card_of(sent), "answer_escalate")
    press = teams.execute(user, activity["conversation"], "answer_escalate", escalate["data"], sent.sent_id)
    status, _body = post(lefbot_teams, press)
    assert status == 200
    [posted] = connector.wait_for_activities(1, SUPPORT.id)
    assert "parkeervergunning" in posted.texts()


def test_turn_errors_show_no_exception_text(lefbot_teams: Served, connector: FakeConnector, teams: Teams) -> None:
    user = TeamsUser("Lotte Vos")
    activity = teams.personal_message(user, "Wat is een sprint?")
    connector.fail_next(1, 500, kind="reply")
    post(lefbot_teams, activity)
    [apology] = replies(connector, activity["conversation"]["id"])
    assert apology.texts().startswith("Sorry, er ging iets mis")
    assert "ClientResponseError" not in apology.texts()
    log = lefbot_teams.log_path.read_text()
    assert "message failed: ClientResponseError" in log
    assert "Traceback" not in log


def test_not_anonymous_without_token_is_401(teams_database_url: str, tmp_path: Path, teams: Teams) -> None:
    port = free_port()
    env = bot_env(
        teams_database_url,
        port,
        tmp_path,
        TEAMS_ALLOW_ANONYMOUS="false",
        TEAMS_APP_ID=str(uuid.uuid4()),
        TEAMS_APP_PASSWORD="not-a-real-secret",
        TEAMS_TENANT_ID=str(uuid.uuid4()),
    )
    url = f"http://127.0.0.1:{port}"
    process = start_server([LEFBOT, "run", "--teams"], env, tmp_path, tmp_path / "log", url + "/healthz")
    try:
        status, _ = post_activity(url, teams.personal_message(TeamsUser("Mila"), "hoi"))
        assert status == 401
    finally:
        stop_server(process)


def test_without_teams_settings_it_refuses_in_one_line(teams_database_url: str, tmp_path: Path) -> None:
    env = bot_env(teams_database_url, free_port(), tmp_path, TEAMS_ALLOW_ANONYMOUS="")
    done = subprocess.run([LEFBOT, "run", "--teams"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "TEAMS_APP_ID" in done.stderr


def test_proactive_message_through_a_stored_reference(
    lefbot_teams: Served, connector: FakeConnector, teams: Teams, store: SqlReferenceStore
) -> None:
    from handlers.teams.app import make_adapter
    from handlers.teams.messenger import TeamsMessenger
    from handlers.teams.settings import TeamsSettings

    user = TeamsUser("Noor Hendriks")
    post(lefbot_teams, teams.installation_update(user, "add"))
    connector.wait_for(lambda _calls: store.get(user_key(user.aad_object_id)) is not None, 10)
    adapter, _c, _cfg = make_adapter(TeamsSettings(anonymous=True))
    messenger = TeamsMessenger(adapter, store, "", "teams-secret-key-0123456789")
    try:
        nudge = Reply("Herinnering: je deadline is morgen.", buttons=(Button("Klaar", "nudge_done", "1"),))
        ref = messenger.send_dm(user.aad_object_id, nudge)
        assert ref.channel == user.aad_object_id  # short enough for every id column
        [sent] = connector.wait_for_activities(1, store.get(user_key(user.aad_object_id))["conversation"]["id"])
        assert sent.sent_id == ref.ts
        messenger.update(ref, Reply("Deadline afgerond."))
        [updated] = connector.wait_for(lambda calls: any(c.kind == "update" for c in calls))[-1:]
        assert (updated.kind, updated.activity_id, updated.conversation_id) == ("update", ref.ts, sent.conversation_id)
        assert "Deadline afgerond." in updated.texts()
        assert action(card_of(sent), "nudge_done")["title"] == "Klaar"
        with pytest.raises(Exception, match="no_reference"):
            messenger.send_dm(str(uuid.uuid4()), nudge)
    finally:
        messenger.close()


def test_private_reply_from_a_channel_goes_to_the_personal_chat(
    lefbot_teams: Served, connector: FakeConnector, teams: Teams
) -> None:
    user, channel = TeamsUser("Olga Smits"), TeamsChannel()
    personal = teams.personal_conversation(user)
    post(lefbot_teams, teams.personal_message(user, "hallo", personal))
    replies(connector, personal["id"])
    asked = teams.channel_message(user, "lef mijn gegevens", channel)
    post(lefbot_teams, asked)
    [pointer] = replies(connector, asked["conversation"]["id"])
    assert "persoonlijk bericht" in pointer.texts()
    [_hello, private] = replies(connector, personal["id"], 2)
    assert "lefbot" in private.texts().lower()


def test_process_supporters_may_be_teams_object_ids(tmp_path: Path) -> None:
    from bot.config import load_settings

    guid = str(uuid.uuid4())
    env = {"LEFBOT_DATA_DIR": str(tmp_path), "SECRET_KEY": "0123456789abcdef0", "PROCESS_SUPPORTERS": f"U01,{guid}"}
    assert load_settings(env, dotenv=False).process_supporters == {"U01", guid}


def test_worker_with_only_teams_runs_the_scheduler_and_stops_cleanly(teams_database_url: str, tmp_path: Path) -> None:
    import signal
    import time

    env = bot_env(teams_database_url, free_port(), tmp_path)
    process = subprocess.Popen([LEFBOT, "run", "--worker"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)  # fmt: skip
    seen = ""
    deadline = time.monotonic() + 60
    while "sending to Teams" not in seen and time.monotonic() < deadline and process.poll() is None:
        seen += process.stdout.readline()
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert "sending to Teams" in seen, seen + output
    assert process.returncode == 0 and "Traceback" not in seen + output


def test_stale_or_forged_buttons_get_a_kind_notice(lefbot_teams: Served, teams: Teams) -> None:
    user = TeamsUser("Pim Stale")
    conversation = teams.personal_conversation(user)
    for verb, data in (("removed_feature", {"v": "1"}), ("answer_helpful", {"v": "99999999999999999999"}),
                       ("answer_helpful", {"v": "é" * 10})):  # fmt: skip
        status, body = post(lefbot_teams, teams.execute(user, conversation, verb, data, "1764590000001"))
        assert status == 200, (verb, body)
        assert "werkt niet meer" in json.dumps(body, ensure_ascii=False), (verb, body)


def test_odd_activities_never_end_in_a_5xx_or_a_traceback(lefbot_teams: Served, teams: Teams) -> None:
    user = TeamsUser("Quinten Fuzz")
    conv = teams.personal_conversation(user)
    invoke = "adaptiveCard/action"
    cases = {
        "invoke value text": (teams._base("invoke", user, conv, name=invoke, value="x"), 400),
        "invoke action number": (teams._base("invoke", user, conv, name=invoke, value={"action": 5}), 400),
        "invoke without verb": (teams._base("invoke", user, conv, name=invoke, value={"action": {}}), 400),
        "execute data list": (teams.execute(user, conv, "answer_helpful", [1, 2], "1"), 400),  # type: ignore[arg-type]
        "other invoke": (teams._base("invoke", user, conv, name="composeExtension/query", value={}), 200),
        "invoke without name": (teams._base("invoke", user, conv), 200),
        "text not a string": ({**teams.personal_message(user, "hoi"), "text": ["a"]}, 400),
        "channelData text": ({**teams.personal_message(user, "hoi"), "channelData": "x"}, 202),
        "odd conversation type": (
            {**teams.personal_message(user, "hoi"), "conversation": {"id": "x", "conversationType": "weird"}},
            202,
        ),  # fmt: skip
        "event": (teams._base("event", user, conv, name="x"), 202),
        "sender without aadObjectId": ({**teams.personal_message(user, "hoi"), "from": {"id": "29:x"}}, 202),
        "form with an object value": (
            teams.execute(user, conv, "lef_form", {"f": "deadline_form", "title": {"a": 1}}, "1"),
            200,
        ),  # fmt: skip
        "check-in form out of range": (
            teams.execute(user, conv, "lef_form", {"f": "checkin_form", "m": "999999999999"}, "1"),
            200,
        ),  # fmt: skip
    }
    for name, (activity, expected) in cases.items():
        status, body = post(lefbot_teams, activity)
        assert status == expected, (name, status, body)
    assert "Traceback" not in lefbot_teams.log_path.read_text()
