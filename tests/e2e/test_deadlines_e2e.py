"""End to end, deadlines in Slack: the .ics upload, the "new deadline" modal, and the nudge flow over HTTP.

The modal and nudge tests run the real WSGI app in this process, served over HTTP on a free localhost
port by a threaded wsgiref server, against the fake Slack Web API (SLACK_API_URL). Every request to the
bot is signed as Slack signs it. Time is injected the way production code allows it: `create_wsgi_app`
takes an optional `core` (its documented injection point), and the Core is built with a FrozenClock, so the
test moves the clock and calls `bot.scheduler.sweep_all(core, clock.now())`, which is exactly what the
scheduler's jobs call. Waiting is done by polling the fake (woken by each call), never by sleeping.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from sqlmodel import select

from bot import scheduler
from bot.claims import Claim
from bot.config import load_settings
from bot.core import Core
from bot.deadlines import nudge_sending
from bot.deadlines.models import Deadline
from handlers.slack.web import create_wsgi_app
from tests.e2e.conftest import FIXTURE_KB, SIGNING_SECRET
from tests.e2e.fake_slack import Call, FakeSlack
from tests.e2e.slack_requests import SlackSender, click, view_submission
from tests.fakes.clock import FrozenClock

START = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam
SUPPORTER = "U0SUPDL"


def unique(prefix: str) -> str:
    """A unique readable id."""
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


def test_lef_deadlines_ical_uploads_the_calendar_file(slack: SlackSender, fake_slack: FakeSlack, e2e_db) -> None:  # noqa: ANN001
    from datetime import date

    from bot.deadlines import deadlines as dl
    from bot.deadlines import teams as team_svc
    from bot.deadlines.models import Team

    name, member = unique("Team "), unique("UMEM")
    now = datetime.now(UTC)
    with e2e_db.session() as s:
        team = Team(name=name, channel=unique("C"), created_at=now)
        s.add(team)
        s.flush()
        team_svc.add_to_team(s, team, team_svc.ensure_member(s, member, now, "Mila"))
        sprint = dl.create_sprint(s, team, "Sprint 1", date(2030, 5, 1), date(2030, 6, 30))
        dl.create_deadline(s, sprint, "Concept plan", datetime(2030, 6, 7, 15, tzinfo=UTC), [], True, now)
    url = fake_slack.response_url(unique("ical"))
    assert slack.command(f"deadlines ical {name}", member, unique("C"), url).status == 200
    [complete] = fake_slack.wait_for("files.completeUploadExternal")
    [ask] = fake_slack.calls_to("files.getUploadURLExternal")
    [upload] = fake_slack.calls_to("file_upload")
    content = upload.body["content"]
    assert content.startswith("BEGIN:VCALENDAR") and "SUMMARY:Deadline: Concept plan" in content
    assert int(ask.body["length"]) == len(content.encode()) and ask.body["filename"].endswith(".ics")
    assert upload.body["file_id"] == json.loads(complete.body["files"])[0]["id"]
    assert complete.body["channel_id"] == "D" + member.lstrip("U")  # the member's DM with the bot
    reply = fake_slack.wait_for("response_url", where=lambda c: c.path.endswith(url.rsplit("/", 1)[1]))[0]
    assert ".ics" in reply.texts() and "BEGIN:VCALENDAR" not in reply.texts()  # the file, not its text


# --- the real WSGI app in this process, on a frozen clock -------------------------------------------------


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request (Bolt answers while other requests run)."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr."""

    def log_message(self, *args: Any) -> None:
        return


@dataclass
class Live:
    """The served app: a signed sender, its core and the frozen clock the core reads."""

    slack: SlackSender
    core: Core
    clock: FrozenClock
    fake: FakeSlack

    def command(self, text: str, user: str, channel: str = "C0DLCMD") -> Call:
        """A signed `/lef` command; waits for its private answer on the response_url."""
        name = unique("cmd")
        assert self.slack.command(text, user, channel, self.fake.response_url(name)).status == 200
        return self.fake.wait_for("response_url", where=lambda c: c.path.endswith("/" + name))[0]

    def deadline(self, title: str) -> Deadline | None:
        """The stored deadline with this title."""
        with self.core.db.session() as s:
            return s.exec(select(Deadline).where(Deadline.title == title)).first()


@pytest.fixture(scope="module")
def served(fake_slack: FakeSlack, e2e_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """create_wsgi_app(settings, core=Core(settings, clock=FrozenClock(...))) served on a free port."""
    settings = load_settings({
        "DATABASE_URL": e2e_database_url, "SECRET_KEY": "e2e-secret-key-0123456789", "KB_PATH": str(FIXTURE_KB),
        "LEFBOT_DATA_DIR": str(tmp_path_factory.mktemp("live")), "SLACK_BOT_TOKEN": "xoxb-e2e-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake_slack.api_url, "PROCESS_SUPPORTERS": SUPPORTER,
    }, dotenv=False)  # fmt: skip
    clock = FrozenClock(START)
    core = Core(settings, clock=clock)
    app = create_wsgi_app(settings, core=core)
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="lefbot-wsgi", daemon=True)
    thread.start()
    try:
        yield Live(SlackSender(f"http://127.0.0.1:{server.server_address[1]}", SIGNING_SECRET), core, clock, fake_slack)
    finally:
        server.shutdown()
        server.server_close()
        core.db.dispose()


@pytest.fixture
def live(served: Live) -> Live:
    """The served app at START, with the fake's recordings cleared."""
    served.fake.reset()
    served.clock.set(START)
    return served


def set_up_team(live: Live, member: str) -> tuple[str, str]:
    """A process supporter's signed commands: a team with a channel, one member and a running sprint.

    The manifest has should_escape: false, so Slack sends names as typed, not `<@U…>`; ids are typed here.
    """
    name, channel = unique("Team "), unique("C0TEAM")
    said = [live.command(text, SUPPORTER).texts() for text in (
        f"team nieuw {name} | {channel}", f"team lid {name} | {member} Mila",
        f"sprint nieuw {name} | Sprint 1 | 7-12 | 18-12",
    )]  # fmt: skip
    # the answer's language follows the command text (random hex ids can look English): accept either
    assert "aangemaakt" in said[0] or "has been created" in said[0]
    assert "toegevoegd" in said[1] or "added" in said[1]
    assert "07-12-2026" in said[2] and "18-12-2026" in said[2]
    return name, channel


def dm_of(user: str) -> str:
    """The DM channel id the fake's conversations.open gives for a user."""
    return "D" + user.lstrip("U")


def to(channel: str):  # noqa: ANN201
    """Calls posting to one channel."""
    return lambda c: c.body.get("channel") == channel


# --- the modal ----------------------------------------------------------------------------------------------


def open_modal(live: Live, user: str) -> dict:
    """`/lef deadline nieuw` without arguments: the modal is opened (views.open) with the command's trigger."""
    before = len(live.fake.calls_to("views.open"))
    assert live.slack.command("deadline nieuw", user, "C0DLCMD", live.fake.response_url(unique("m"))).status == 200
    opened = live.fake.wait_for("views.open", count=before + 1)[-1]
    assert opened.body["trigger_id"]
    view = opened.body["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_new_deadline_modal_stores_the_deadline_and_refuses_a_bad_date(live: Live) -> None:
    member = unique("U0MEM")
    name, _ = set_up_team(live, member)
    view = open_modal(live, SUPPORTER)
    assert view["callback_id"] == "deadline_form"
    sprint = next(b for b in view["blocks"] if b["block_id"] == "sprint")["element"]
    value = next(o["value"] for o in sprint["options"] if o["text"]["text"].startswith(name))
    title = unique("Plan ")

    bad = live.slack.action(view_submission(SUPPORTER, view, {"sprint": value, "title": title, "due": "31-02"}))
    assert bad.status == 200
    answer = json.loads(bad.body)
    assert answer["response_action"] == "errors" and "bestaat niet" in answer["errors"]["due"]
    assert live.deadline(title) is None

    good = {"sprint": value, "title": title, "due": "vrijdag 17:00", "owners": member}
    saved = live.slack.action(view_submission(SUPPORTER, view, good))
    assert saved.status == 200 and "errors" not in saved.body, saved.body
    stored = live.deadline(title)
    assert stored is not None and stored.due_at == datetime(2026, 12, 11, 16, 0, tzinfo=UTC) and not stored.whole_team
    [confirmation] = live.fake.wait_for("chat.postMessage", where=to(dm_of(SUPPORTER)))
    assert title in confirmation.texts()

    again = json.loads(live.slack.action(view_submission(SUPPORTER, view, good)).body)  # submitted twice
    assert "title" in again["errors"]
    with live.core.db.session() as s:
        assert len(s.exec(select(Deadline).where(Deadline.title == title)).all()) == 1


def test_new_deadline_button_opens_the_modal_and_a_member_is_refused_kindly(live: Live) -> None:
    member = unique("U0MEM")
    set_up_team(live, member)
    listing = live.command("deadlines", SUPPORTER)
    button, block_id = listing.button("deadline_new_form")
    before = len(live.fake.calls_to("views.open"))
    payload = click(
        {"ts": "", "text": "lijst"},
        "C0DLCMD",
        SUPPORTER,
        "deadline_new_form",
        button["value"],
        block_id,
        live.fake.response_url(unique("b")),
        ephemeral=True,
    )
    assert live.slack.action(payload).status == 200
    assert live.fake.wait_for("views.open", count=before + 1)[-1].body["view"]

    url = live.fake.response_url(unique("refused"))
    assert live.slack.command("deadline nieuw", member, "C0DLCMD", url).status == 200
    refusal = live.fake.wait_for("response_url", where=lambda c: c.path == "/response_url/" + url.rsplit("/", 1)[1])
    assert "procesbegeleider" in refusal[0].texts()
    assert len(live.fake.calls_to("views.open")) == before + 1  # no modal for the member


# --- the nudge flow -----------------------------------------------------------------------------------------


def create_by_command(live: Live, member: str) -> tuple[Deadline, str]:
    """Team and deadline made by signed slash commands; returns the deadline and the team channel."""
    name, channel = set_up_team(live, member)
    title = unique("Concept ")
    created = live.command(f"deadline nieuw {name} | {title} | vrijdag 17:00 | {member}", SUPPORTER)
    assert title in created.texts()
    deadline = live.deadline(title)
    assert deadline is not None
    return deadline, channel


def first_nudge_moment(live: Live, deadline: Deadline, member: str) -> datetime:
    """When the planner sends the member's first nudge for this deadline."""
    planned = [n for n in nudge_sending.upcoming(live.core, live.clock.now())
               if n.deadline_id == deadline.id and n.user_id == member]  # fmt: skip
    assert planned, "the deadline should have a nudge planned"
    return planned[0].send_at


def sweep_to_first_nudge(live: Live, deadline: Deadline, member: str) -> list[Call]:
    """Move the clock to the member's first nudge and run the scheduler's sweep; the DM attempts to the member."""
    live.clock.set(first_nudge_moment(live, deadline, member))
    scheduler.sweep_all(live.core, live.clock.now())
    live.fake.wait_for("chat.postMessage", where=to(dm_of(member)))
    return live.fake.calls_to("chat.postMessage", ok_only=False, where=to(dm_of(member)))


def claims_of(live: Live, member: str, deadline: Deadline) -> list[Claim]:
    """The nudge claims of this member for this deadline."""
    with live.core.db.session() as s:
        rows = s.exec(select(Claim).where(Claim.subject == member)).all()
    return [c for c in rows if f":{deadline.id}:" in c.key and c.kind != "cap"]


def test_nudge_dm_with_three_buttons_and_done_click_updates_message_and_tells_the_team(live: Live) -> None:
    member = unique("U0MEM")
    deadline, team_channel = create_by_command(live, member)
    assert live.fake.calls_to("chat.postMessage", where=to(dm_of(member))) == []  # nothing before its moment

    attempts = sweep_to_first_nudge(live, deadline, member)
    [dm] = attempts
    assert live.fake.calls_to("conversations.open", where=lambda c: c.body.get("users") == member)
    assert dm.action_ids() == ["deadline_done", "deadline_snooze", "deadline_help"]
    assert deadline.title in dm.texts()

    button, block_id = dm.button("deadline_done")
    payload = click(dm.message(), dm_of(member), member, "deadline_done", button["value"], block_id,
                    live.fake.response_url(unique("done")))  # fmt: skip
    assert live.slack.action(payload).status == 200
    [updated] = live.fake.wait_for("chat.update", where=to(dm_of(member)))
    assert updated.body["ts"] == dm.message()["ts"] and "klaar" in updated.texts()
    [told] = live.fake.wait_for("chat.postMessage", where=to(team_channel))
    assert "afgerond" in told.texts() and deadline.title in told.texts()
    done = live.deadline(deadline.title)
    assert done is not None and done.status == "done" and done.done_by == member


@pytest.mark.parametrize(("status", "failures"), [(429, 1), (500, 2)])
def test_a_nudge_dm_that_slack_refuses_at_first_is_delivered_exactly_once(
    live: Live, status: int, failures: int
) -> None:
    member = unique("U0MEM")
    deadline, _ = create_by_command(live, member)
    live.fake.fail_next(failures, status=status, method="chat.postMessage", channel=dm_of(member), retry_after=1)

    attempts = sweep_to_first_nudge(live, deadline, member)
    assert [c.status for c in attempts] == [status] * failures + [200]
    if status == 429:
        assert attempts[0].answer == {"ok": False, "error": "ratelimited"}
    [claim] = claims_of(live, member, deadline)
    assert claim.status == "sent" and claim.ref_channel == dm_of(member) and claim.ref_ts

    scheduler.sweep_all(live.core, live.clock.now())  # the next sweep at the same moment sends nothing again
    assert len(live.fake.calls_to("chat.postMessage", where=to(dm_of(member)))) == 1
