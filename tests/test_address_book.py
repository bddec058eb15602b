"""The address book: an unreachable member is not sent to, is marked in both plans, and their supporter told once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.chat.addresses import MEMBER, AddressBook
from bot.chat.messenger import Capabilities
from bot.claims import Claim
from bot.config import load_settings
from bot.core import Core
from bot.db import Database
from bot.deadlines import nudge_sending
from tests.checkin_seed import PROMPT, seed
from tests.deadline_helpers import add_deadline, setup_team
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger
from tests.test_cli_output import COHORT

AMS = ZoneInfo("Europe/Amsterdam")
CREATED = datetime(2026, 12, 1, 12, tzinfo=AMS)


class StoredAddressMessenger(FakeMessenger):
    """A platform (like Teams) where only a stored address reaches a member, without private replies or updates."""

    platform = "teams"
    capabilities = Capabilities(private_replies=False, update_in_place=False, direct_by_id=False)


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock) -> Core:
    return Core(load_settings(env, dotenv=False), clock=clock, messenger=StoredAddressMessenger())


def supporter_notes(core: Core, address: str) -> list[str]:
    return [s.reply.text for s in core.messenger.to(address, "dm") if "nog niet rechtstreeks bereiken" in s.reply.text]


def test_slack_and_console_reach_everyone_with_a_user_id(db: Database) -> None:
    for platform in ("slack", "console"):
        book = AddressBook(db, platform)
        assert book.member("U01") == "U01" and book.reachable(["U01", "W02"]) == {"U01", "W02"}
    assert AddressBook(db, "teams").reachable(["U01"]) == set()


def test_recording_is_per_platform_and_replaces_a_changed_address(db: Database) -> None:
    teams = AddressBook(db, "teams")
    teams.record(MEMBER, "29:abc", '{"conversation": "a"}', CREATED)
    teams.record(MEMBER, "29:abc", '{"conversation": "b"}', CREATED)
    assert AddressBook(db, "teams").member("29:abc") == '{"conversation": "b"}'
    assert AddressBook(db, "other").member("29:abc") is None
    assert teams.reachable(["29:abc", "29:def"]) == {"29:abc"}


def test_a_nudge_for_an_unreachable_member_is_skipped_and_the_supporter_told_once(core: Core) -> None:
    team = setup_team(core.db, CREATED, [{"id": "U01", "name": "Anna"}], supporters=("USUP",))
    add_deadline(core.db, team, "Plan", datetime(2026, 12, 8, 17, tzinfo=AMS), ["U01"], CREATED)
    core.addresses.record(MEMBER, "USUP", "conv-sup", CREATED)
    first = datetime(2026, 12, 3, 9, 30, tzinfo=AMS)
    core.clock.set(first)
    result = nudge_sending.send_due(core, first)
    assert (result.sent, result.unreachable, result.failed) == (0, 1, 0)
    assert core.messenger.to("U01") == [] and core.messenger.to("conv-sup", "dm")
    [note] = supporter_notes(core, "conv-sup")
    assert "Anna" in note and "Krachtteam Bouw" in note
    with core.db.session() as s:
        statuses = {c.kind: c.status for c in s.exec(select(Claim)).all()}
    assert statuses["nudge"] == "skipped" and statuses["unreachable"] == "sent"
    core.clock.set(first + timedelta(minutes=1))
    nudge_sending.send_due(core, first + timedelta(minutes=1))
    assert len(supporter_notes(core, "conv-sup")) == 1  # told once, not on every sweep
    core.addresses.record(MEMBER, "U01", "conv-anna", CREATED)  # Anna opened the app
    due_day = datetime(2026, 12, 8, 9, 30, tzinfo=AMS)
    core.clock.set(due_day)
    assert nudge_sending.send_due(core, due_day).sent == 1
    [nudge] = core.messenger.to("conv-anna", "dm")
    assert "Plan" in nudge.reply.text


def test_a_checkin_prompt_for_an_unreachable_member_is_skipped_and_the_supporter_told_once(core: Core) -> None:
    seed(core.db)
    for user in ("U1", "S1"):
        core.addresses.record(MEMBER, user, f"conv-{user}", CREATED)
    core.clock.set(PROMPT)
    assert core.checkins.run(PROMPT)["prompts"] == 1  # Anna (U1); Bram (U2) cannot be reached; Chris is free
    assert core.messenger.to("conv-U1", "dm") and not core.messenger.to("U2")
    [note] = supporter_notes(core, "conv-S1")
    assert "Bram" in note and "Team Noord" in note
    core.clock.set(PROMPT + timedelta(minutes=1))
    core.checkins.run(PROMPT + timedelta(minutes=1))
    assert len(supporter_notes(core, "conv-S1")) == 1


def test_both_plans_mark_a_member_who_cannot_be_reached(
    run_cli,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    path = tmp_path / "cohort.yaml"
    path.write_text(COHORT, encoding="utf-8")
    assert run_cli("teams", "import", str(path))[0] == 0
    _, slack_json, _ = run_cli("nudges", "plan", "--json", "--from", "2027-03-09T12:00")
    assert slack_json and all("reachable" not in json.loads(line) for line in slack_json.splitlines())
    monkeypatch.setattr("bot.core.platform_of", lambda _settings: "teams")
    AddressBook(db, "teams").record(MEMBER, "U01", "conv-anna", datetime.now(UTC))
    for argv in (("nudges", "plan", "--from", "2027-03-09T12:00"), ("checkins", "plan", "--from", "2027-03-08")):
        code, out, _ = run_cli(*argv, "--json")
        assert code == 0
        lines = [json.loads(line) for line in out.splitlines()]
        who = {line.get("user_id", line.get("member")): line.get("reachable", True) for line in lines}
        assert who == {"U01": True, "U02": False}
        _, plain, _ = run_cli(*argv)
        marked = [line for line in plain.splitlines() if "[nog niet bereikbaar]" in line]
        assert any("(U02)" in line for line in marked) and not any("(U01)" in line for line in marked)
        assert any("(U01)" in line for line in plain.splitlines())  # Anna is planned, unmarked
