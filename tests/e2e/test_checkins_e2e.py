"""Check-ins end to end on Slack: prompt DM, modal (signed submission), summary with thread, blocker, pickup, CSV.

The scheduler side runs in this test process on a frozen clock with the real Slack messenger pointed at the
fake Web API; clicks and submissions are signed requests to the real bot (`lefbot run --http`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlmodel import select

from bot.checkins.models import CheckinAnswer, CheckinRound
from bot.config import load_settings
from bot.core import Core
from bot.db import Database
from handlers.slack.messenger import SlackMessenger
from tests.checkin_seed import PROMPT, SUMMARY, seed
from tests.e2e.conftest import FIXTURE_KB
from tests.e2e.fake_slack import Call, FakeSlack
from tests.e2e.slack_requests import SlackSender, click, dm, view_submission
from tests.fakes.clock import FrozenClock


def unique(prefix: str) -> str:
    """A unique id with a readable prefix."""
    return f"{prefix}{uuid.uuid4().hex[:6].upper()}"


class Team:
    """One fresh team per test: two members and a supporter with unique ids, and a scheduler core."""

    def __init__(self, core: Core, team_id: int, channel: str, users: tuple[str, str], supporter: str) -> None:
        self.core, self.team_id, self.channel, self.users, self.supporter = core, team_id, channel, users, supporter

    def run(self, moment) -> dict[str, int]:
        self.core.clock.set(moment)
        return self.core.checkins.run(moment)

    def round_id(self) -> int:
        with self.core.db.session() as s:
            return s.exec(select(CheckinRound).where(CheckinRound.team_id == self.team_id)).one().id

    def rows(self) -> list[CheckinAnswer]:
        with self.core.db.session() as s:
            return list(
                s.exec(
                    select(CheckinAnswer)
                    .where(CheckinAnswer.round_id == self.round_id())
                    .order_by(CheckinAnswer.user_id)
                ).all()
            )


@pytest.fixture
def team(slack: SlackSender, fake_slack: FakeSlack, e2e_database_url: str, tmp_path) -> Iterator[Team]:
    settings = load_settings(
        {
            "DATABASE_URL": e2e_database_url,
            "SECRET_KEY": "e2e-secret-key-0123456789",
            "KB_PATH": str(FIXTURE_KB),
            "LEFBOT_DATA_DIR": str(tmp_path),
        },
        dotenv=False,
    )
    client = WebClient(token="xoxb-e2e-token", base_url=fake_slack.api_url)
    core = Core(
        settings,
        db=Database(e2e_database_url),
        clock=FrozenClock(PROMPT),
        messenger=SlackMessenger(client, "nl"),
        migrate=False,
    )
    users = (unique("U0CKA"), unique("U0CKB"))
    supporter, channel = unique("U0SUP"), unique("C0CK")
    team_id = seed(core.db, channel=channel, name=unique("Team E2E "), users=users, supporter=supporter)
    yield Team(core, team_id, channel, users, supporter)
    core.db.dispose()


def dm_channel(user: str) -> str:
    """The DM channel id the fake's conversations.open gives for a user."""
    return "D" + user.lstrip("U")


def to(channel: str, thread: str | None = None):
    """Calls posting to one channel (and thread)."""
    return lambda c: c.body.get("channel") == channel and (thread is None or c.body.get("thread_ts") == thread)


def press(slack: SlackSender, fake: FakeSlack, message: Call, channel: str, user: str, action_id: str) -> None:
    """Click a button of a recorded message as `user`."""
    button, block_id = message.button(action_id)
    payload = click(message.message(), channel, user, action_id, button["value"], block_id, fake.response_url("ck"))
    payload["trigger_id"] = unique("trig.")
    assert slack.action(payload).status == 200


def open_modal(slack: SlackSender, fake: FakeSlack, team: Team, user: str) -> dict:
    """Click "Invullen" on the user's prompt and return the modal Slack was asked to open."""
    prompt = fake.wait_for("chat.postMessage", where=to(dm_channel(user)))[0]
    before = len(fake.calls_to("views.open"))
    press(slack, fake, prompt, dm_channel(user), user, "checkin_open")
    return fake.wait_for("views.open", count=before + 1)[-1].body["view"]


def submit(slack: SlackSender, user: str, view: dict, values: dict[str, str]):
    """Send a signed view_submission."""
    return slack.action(view_submission(user, json.loads(view) if isinstance(view, str) else view, values))


def test_prompt_modal_summary_thread_blocker_and_pickup(slack: SlackSender, fake_slack: FakeSlack, team: Team) -> None:
    anna, bram = team.users
    assert team.run(PROMPT)["prompts"] == 2
    prompt = fake_slack.wait_for("chat.postMessage", where=to(dm_channel(anna)))[0]
    assert prompt.action_ids() == ["checkin_open", "checkin_later", "checkin_skip", "checkin_off"]
    assert "Vraag 1 van 4" in prompt.texts()

    view = open_modal(slack, fake_slack, team, anna)
    assert view["callback_id"] == "checkin_form" and view["private_metadata"] == str(team.round_id())
    assert [b["block_id"] for b in view["blocks"]] == ["q0", "q1", "q2", "q3"]
    assert view["blocks"][3]["element"]["type"] == "static_select" and view["blocks"][2]["optional"]

    bad = submit(slack, anna, view, {"q0": "🙂🙂", "q1": "x" * 3001, "q3": "4"})
    errors = json.loads(bad.body)
    assert errors["response_action"] == "errors" and set(errors["errors"]) == {"q0", "q1"}
    assert "3001 tekens" in errors["errors"]["q1"] and team.rows()[0].status == "prompted"

    values = {"q0": "Gesprek met de provincie", "q1": "Notitie schrijven", "q2": "Wacht op mandaat", "q3": "2"}
    ok = submit(slack, anna, view, values)
    assert ok.status == 200 and ok.body == ""
    row = team.rows()[0]  # committed before Slack got the acknowledgement
    assert (row.status, row.confidence, row.blocker, row.version) == ("answered", 2, "Wacht op mandaat", 1)
    assert submit(slack, anna, view, values).status == 200  # a double click on "Versturen"
    assert [r.version for r in team.rows()] == [1, 0] and len(team.rows()) == 2
    thanks = fake_slack.wait_for("chat.postMessage", count=3, where=to(dm_channel(anna)))
    assert "Dank je wel" in thanks[1].texts() and "niets veranderd" in thanks[2].texts().lower()

    assert team.run(SUMMARY)["summaries"] == 1
    main = fake_slack.wait_for("chat.postMessage", where=to(team.channel))[0]
    assert "Deelname: 1/2" in main.texts() and "Wacht op mandaat" in main.texts() and "thread_ts" not in main.body
    thread = fake_slack.wait_for("chat.postMessage", where=to(team.channel, main.answer["ts"]))[0]
    assert "Gesprek met de provincie" in thread.texts()
    assert team.run(SUMMARY + timedelta(minutes=1))["summaries"] == 0
    assert len(fake_slack.calls_to("chat.postMessage", where=to(team.channel))) == 2

    blocker = fake_slack.wait_for("chat.postMessage", where=to(dm_channel(team.supporter)))[0]
    assert "Wacht op mandaat" in blocker.texts() and blocker.action_ids() == ["checkin_pickup"]
    press(slack, fake_slack, blocker, dm_channel(team.supporter), team.supporter, "checkin_pickup")
    told = fake_slack.wait_for("chat.postMessage", count=4, where=to(dm_channel(anna)))[-1]
    assert "pakt je blokkade op" in told.texts()
    amended = fake_slack.wait_for("chat.update", where=to(dm_channel(team.supporter)))[0]
    assert "Jij pakt deze blokkade op" in amended.texts()
    assert team.rows()[0].blocker_status == "picked" and team.rows()[0].picked_by == team.supporter


def test_answers_one_by_one_in_the_dm_and_late_answers_join_the_thread(
    slack: SlackSender, fake_slack: FakeSlack, team: Team
) -> None:
    anna, bram = team.users
    team.run(PROMPT)
    team.run(SUMMARY)
    main = fake_slack.wait_for("chat.postMessage", where=to(team.channel))[0]
    for number, text in enumerate(("Laat, maar gedaan", "Verder", "niets", "4"), start=1):
        assert slack.event(dm(text, user=bram, channel=dm_channel(bram))).status == 200
        fake_slack.wait_for("chat.postMessage", count=number + 1, where=to(dm_channel(bram)))
    replies = [c.texts() for c in fake_slack.calls_to("chat.postMessage", where=to(dm_channel(bram)))]
    assert "Vraag 2 van 4" in replies[1] and "Vraag 4 van 4" in replies[3] and "draad" in replies[4]
    late = fake_slack.wait_for("chat.postMessage", where=to(team.channel, main.answer["ts"]))[0]
    assert "(later ingevuld)" in late.texts() and "Laat, maar gedaan" in late.texts()
    update = fake_slack.wait_for("chat.update", where=to(team.channel))[0]
    assert "Deelname: 1/2" in update.texts()


def test_supporter_sets_up_checkins_and_gets_the_csv_as_a_file(
    slack: SlackSender, fake_slack: FakeSlack, team: Team
) -> None:
    with team.core.db.session() as s:
        from bot.deadlines.models import Team as TeamRow

        name = s.get(TeamRow, team.team_id).name
    url = fake_slack.response_url("setup")
    assert slack.command(f"checkin {name} dagen di,vr", team.supporter, team.channel, url).status == 200
    assert "Dagen: di,vr" in fake_slack.wait_for("response_url")[0].texts()
    team.run(PROMPT - timedelta(days=2))  # Tuesday 1 December
    assert slack.command(f"checkin export {name} sprint 1", team.supporter, team.channel, url).status == 200
    fake_slack.wait_for("files.completeUploadExternal")
    upload = fake_slack.wait_for("file_upload")[0]
    assert upload.body["content"].startswith("team,date,sprint,member")
    assert team.users[0] in upload.body["content"]
    denied = slack.command(f"checkin {name} uit", team.users[0], team.channel, fake_slack.response_url("no"))
    assert denied.status == 200
    assert any("procesbegeleider" in c.texts() for c in fake_slack.wait_for("response_url", count=3))


def test_supporter_changes_settings_in_a_modal(slack: SlackSender, fake_slack: FakeSlack, team: Team) -> None:
    with team.core.db.session() as s:
        from bot.deadlines.models import Team as TeamRow

        name = s.get(TeamRow, team.team_id).name
    assert slack.command(f"checkin {name}", team.supporter, team.channel, fake_slack.response_url("show")).status == 200
    shown = fake_slack.wait_for("response_url")[0]
    button, block_id = shown.button("checkin_settings")
    payload = click(
        shown.body,
        team.channel,
        team.supporter,
        "checkin_settings",
        button["value"],
        block_id,
        fake_slack.response_url("set"),
        ephemeral=True,
    )
    payload["trigger_id"] = unique("trig.")
    assert slack.action(payload).status == 200
    view = fake_slack.wait_for("views.open")[-1].body["view"]
    assert view["callback_id"] == "checkin_settings_form"
    values = {b["block_id"]: b["element"].get("initial_value", "") for b in view["blocks"]}
    bad = json.loads(submit(slack, team.supporter, view, {**values, "time": "16:30", "summary": "16:00"}).body)
    assert bad["response_action"] == "errors" and set(bad["errors"]) == {"summary"}
    assert submit(slack, team.supporter, view, {**values, "days": "wo", "summary": "16:45"}).status == 200
    from bot.checkins.models import CheckinSettings

    with team.core.db.session() as s:
        row = s.get(CheckinSettings, team.team_id)
    assert (row.days, row.summary_time) == ("wed", "16:45")
