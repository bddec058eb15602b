"""Teams end to end with time under control: the real aiohttp app (`handlers.teams.app.build_app`) served in this
process on a free port, its Core built with a FrozenClock, the fake connector as serviceUrl. The test moves the
clock and runs `bot.scheduler.sweep_all`, exactly what the worker's jobs call, so a nudge goes out proactively
through the stored conversation reference. Covers the deadline form card (errors per field, duplicate) too."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiohttp import web
from sqlmodel import select

from bot import scheduler
from bot.config import load_settings
from bot.core import Core
from bot.deadlines import nudge_sending
from bot.deadlines import teams as team_svc
from bot.deadlines.models import Deadline, Sprint, Team
from handlers.teams.app import build_app
from handlers.teams.references import SqlReferenceStore
from handlers.teams.settings import TeamsSettings
from tests.conftest import fresh_database
from tests.fakes.clock import FrozenClock
from tests.teams.activities import Teams, TeamsChannel, TeamsUser, post_activity
from tests.teams.fake_connector import FakeConnector
from tests.teams.harness import free_port
from tests.teams.test_teams_bot import FIXTURE_KB, action, card_of

START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam
# Real Teams channel ids are longer than 40 characters: the teams.channel column holds them after the seam's
# migration 0007 (255); until then this test uses a short one, so it runs on PostgreSQL too.
SHORT_CHANNEL = "19:" + "a" * 16 + "@thread.tacv2"


@dataclass
class Live:
    """The served app, its core and clock."""

    url: str
    core: Core
    clock: FrozenClock

    def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        """POST an activity to the app."""
        return post_activity(self.url, activity)


@pytest.fixture(scope="module")
def live(_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """build_app(core with a FrozenClock) served by aiohttp in a thread."""
    folder = tmp_path_factory.mktemp("teams_live")
    with fresh_database(_template, f"lefbot_tl_{uuid.uuid4().hex[:8]}", folder) as url:
        settings = load_settings(
            {"DATABASE_URL": url, "SECRET_KEY": "teams-live-key-0123456789", "KB_PATH": str(FIXTURE_KB),
             "LEFBOT_DATA_DIR": str(folder)},
            dotenv=False,
        )  # fmt: skip
        clock = FrozenClock(START)
        core = Core(settings, clock=clock)
        app = build_app(core, TeamsSettings(anonymous=True), SqlReferenceStore(core.db))
        loop = asyncio.new_event_loop()
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        port = free_port()
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        thread = threading.Thread(target=loop.run_forever, name="teams-live", daemon=True)
        thread.start()
        try:
            yield Live(f"http://127.0.0.1:{port}", core, clock)
        finally:
            asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(20)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            core.db.dispose()


def set_up_team(live: Live, supporter: TeamsUser, member: TeamsUser, channel: TeamsChannel) -> str:
    """A team with a channel, a supporter, a member and a running sprint; returns the team name."""
    now = live.clock.now()
    name = f"Team {uuid.uuid4().hex[:6]}"
    with live.core.db.session() as s:
        team = Team(name=name, channel=channel.id, created_at=now)
        s.add(team)
        s.flush()
        boss = team_svc.ensure_member(s, supporter.aad_object_id, now, supporter.name)
        team_svc.add_to_team(s, team, boss, team_svc.SUPPORTER)
        team_svc.add_to_team(s, team, team_svc.ensure_member(s, member.aad_object_id, now, member.name))
        s.add(Sprint(team_id=team.id, name="Sprint 1", start=date(2026, 12, 7), end=date(2026, 12, 18)))
    return name


def deadlines_titled(live: Live, title: str) -> list[Deadline]:
    """The stored deadlines with this title."""
    with live.core.db.session() as s:
        return list(s.exec(select(Deadline).where(Deadline.title == title)).all())


def form_inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The inputs of a form card by id."""
    return {e["id"]: e for e in card["body"] if e.get("type", "").startswith("Input.")}


def test_deadline_form_card_errors_per_field_then_stores_one_and_the_nudge_arrives_proactively(
    live: Live, connector: FakeConnector, teams: Teams
) -> None:
    live.clock.set(START)
    supporter, member = TeamsUser("Sanne Supporter"), TeamsUser("Mila Lid")
    channel = TeamsChannel(id=SHORT_CHANNEL, team_id=SHORT_CHANNEL)
    set_up_team(live, supporter, member, channel)
    # Install: personally for the member (the nudge goes there) and in the team (the channel hears "afgerond").
    assert live.post(teams.installation_update(member, "add"))[0] in (200, 202)
    assert live.post(teams.installation_update(supporter, "add", channel))[0] in (200, 202)

    conversation = teams.personal_conversation(supporter)
    live.post(teams.personal_message(supporter, "lef deadline nieuw", conversation))
    [sent] = connector.wait_for_activities(1, conversation["id"])
    form = card_of(sent)
    inputs = form_inputs(form)
    assert set(inputs) == {"sprint", "title", "due", "owners"}
    assert inputs["owners"]["choices.data"]["dataset"] == "graph.microsoft.com/users"
    submit = action(form, "lef_form")

    title = f"Concept {uuid.uuid4().hex[:6]}"
    typed = {**submit["data"], "sprint": inputs["sprint"]["value"], "title": title, "due": "gisteren-ish"}
    status, body = live.post(teams.execute(supporter, conversation, "lef_form", typed, sent.sent_id))
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    again = body["value"]
    assert form_inputs(again)["title"]["value"] == title  # what was typed stays
    assert any(e.get("color") == "Attention" for e in again["body"])  # the date's error under its field
    assert deadlines_titled(live, title) == []

    typed.update(due="vrijdag 17:00", owners=member.aad_object_id)
    status, body = live.post(teams.execute(supporter, conversation, "lef_form", typed, sent.sent_id))
    assert status == 200 and title in json.dumps(body["value"], ensure_ascii=False)
    status, body = live.post(teams.execute(supporter, conversation, "lef_form", typed, sent.sent_id))
    assert status == 200  # a second press of the same form: refused, one deadline
    [deadline] = deadlines_titled(live, title)

    planned = [n for n in nudge_sending.upcoming(live.core, live.clock.now())
               if n.deadline_id == deadline.id and n.user_id == member.aad_object_id]  # fmt: skip
    assert planned
    connector.reset()
    live.clock.set(planned[0].send_at)
    scheduler.sweep_all(live.core, live.clock.now())
    [nudge] = connector.wait_for_activities(1)
    nudge_card = card_of(nudge)
    assert title in nudge.texts()
    buttons = [a["verb"] for a in nudge_card["actions"]]
    assert buttons == ["deadline_done", "deadline_snooze", "deadline_help"]

    done = action(nudge_card, "deadline_done")
    press = teams.execute(member, {"id": nudge.conversation_id, "conversationType": "personal"}, "deadline_done",
                          done["data"], nudge.sent_id)  # fmt: skip
    status, body = live.post(press)
    assert status == 200 and "deadline_done" not in json.dumps(body["value"])
    [told] = connector.wait_for_activities(1, SHORT_CHANNEL)
    assert title in told.texts()
    [finished] = deadlines_titled(live, title)
    assert finished.status == "done" and finished.done_by == member.aad_object_id


def test_a_member_without_a_reference_is_reported_not_skipped(live: Live, connector: FakeConnector) -> None:
    from bot.chat.messenger import MessengerError
    from bot.chat.replies import Reply

    with pytest.raises(MessengerError, match="no_reference"):
        live.core.messenger.send_dm(str(uuid.uuid4()), Reply("hallo"))


def test_checkin_prompt_form_card_summary_in_the_channel_thread(
    live: Live, connector: FakeConnector, teams: Teams
) -> None:
    from bot.checkins.models import CheckinAnswer, CheckinRound
    from tests.checkin_seed import PROMPT, SUMMARY, seed

    anna, bram, boss = TeamsUser("Anna Lid"), TeamsUser("Bram Lid"), TeamsUser("Bea Begeleider")
    channel_id = "19:" + "c" * 16 + "@thread.tacv2"  # short: see SHORT_CHANNEL
    channel = TeamsChannel(id=channel_id, team_id=channel_id)
    live.clock.set(PROMPT)
    team_id = seed(live.core.db, channel=channel_id, name=f"Team {uuid.uuid4().hex[:6]}",
                   users=(anna.aad_object_id, bram.aad_object_id), supporter=boss.aad_object_id)  # fmt: skip
    live.post(teams.installation_update(anna, "add"))
    live.post(teams.installation_update(boss, "add", channel))
    connector.reset()
    sent = live.core.checkins.run(PROMPT)
    assert sent["prompts"] == 1  # Bram never installed the app: reported as a failed delivery, not sent
    [prompt] = connector.wait_for_activities(1)
    card = card_of(prompt)
    assert [a["verb"] for a in card["actions"]] == ["checkin_open", "checkin_later", "checkin_skip", "checkin_off"]
    conversation = {"id": prompt.conversation_id, "conversationType": "personal"}

    opened = action(card, "checkin_open")
    status, body = live.post(teams.execute(anna, conversation, "checkin_open", opened["data"], prompt.sent_id))
    assert status == 200
    form = body["value"]
    assert list(form_inputs(form)) == ["q0", "q1", "q2", "q3"]
    submit = action(form, "lef_form")

    bad = {**submit["data"], "q0": "", "q1": "x" * 3001, "q3": "4"}
    status, body = live.post(teams.execute(anna, conversation, "lef_form", bad, prompt.sent_id))
    errors = [e["text"] for e in body["value"]["body"] if e.get("color") == "Attention"]
    assert status == 200 and any("3001" in e for e in errors)

    good = {**submit["data"], "q0": "Gesprek met de provincie", "q1": "Notitie", "q2": "Wacht op mandaat", "q3": "2"}
    for _press in range(2):  # a double press stores one answer
        status, body = live.post(teams.execute(anna, conversation, "lef_form", good, prompt.sent_id))
        assert status == 200
    with live.core.db.session() as s:
        round_id = s.exec(select(CheckinRound).where(CheckinRound.team_id == team_id)).one().id
        rows = s.exec(select(CheckinAnswer).where(CheckinAnswer.round_id == round_id,
                                                  CheckinAnswer.user_id == anna.aad_object_id)).all()  # fmt: skip
    assert [(r.status, r.version, r.blocker) for r in rows] == [("answered", 1, "Wacht op mandaat")]

    connector.reset()
    live.clock.set(SUMMARY)
    assert live.core.checkins.run(SUMMARY)["summaries"] == 1
    posts = connector.wait_for(lambda calls: any("Gesprek met de provincie" in c.texts() for c in calls))
    summary = next(c for c in posts if c.conversation_id == channel_id)
    assert "Wacht op mandaat" in summary.texts()
    thread = next(c for c in posts if "Gesprek met de provincie" in c.texts())
    assert thread.conversation_id == f"{channel_id};messageid={summary.sent_id}"


def test_a_form_asked_for_in_a_channel_opens_in_the_personal_chat(
    live: Live, connector: FakeConnector, teams: Teams
) -> None:
    live.clock.set(START)
    supporter, member = TeamsUser("Tom Supporter"), TeamsUser("Ula Lid")
    channel = TeamsChannel(id="19:" + "d" * 16 + "@thread.tacv2", team_id="19:" + "e" * 16 + "@thread.tacv2")
    set_up_team(live, supporter, member, channel)
    personal = teams.personal_conversation(supporter)
    live.post(teams.installation_update(supporter, "add", conversation=personal))
    asked = teams.channel_message(supporter, "lef deadline nieuw", channel)
    live.post(asked)
    [pointer] = connector.wait_for_activities(1, asked["conversation"]["id"])
    assert "persoonlijk bericht" in pointer.texts() and not pointer.activity.get("attachments")
    [form] = connector.wait_for_activities(1, personal["id"])
    assert set(form_inputs(card_of(form))) == {"sprint", "title", "due", "owners"}
    connector.reset()
    channel_conversation = {"id": asked["conversation"]["id"], "conversationType": "channel"}
    status, body = live.post(teams.execute(supporter, channel_conversation, "deadline_new_form", {"v": ""}, "1"))
    assert status == 200 and body["type"] == "application/vnd.microsoft.activity.message"
    assert "persoonlijk bericht" in body["value"]  # the channel's card stays as it is
    [again] = connector.wait_for_activities(1, personal["id"])
    assert "sprint" in form_inputs(card_of(again))
