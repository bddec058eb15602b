"""Ids of any chat platform: Teams and Entra ids in commands and cohort files, members found by e-mail."""

from pathlib import Path

import pytest
from sqlmodel import select

from bot.chat.commands import CommandContext
from bot.config import load_settings
from bot.core import Core
from bot.deadlines import cohort
from bot.deadlines import teams as team_svc
from bot.deadlines.models import Team
from bot.ids import is_email, is_platform_id
from bot.people.models import Member
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

SUP = "29:1SupErVisor-xYz_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"  # 80 chars, a Teams id
ANNA = "8f2e4c1a-7b3d-4e5f-9a0b-1c2d3e4f5a6b"  # an Entra object id
CHANNEL = "19:a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6@thread.tacv2"


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    settings = load_settings({**env, "PROCESS_SUPPORTERS": SUP}, dotenv=False)
    return Core(settings, clock=clock, messenger=messenger)


def say(core: Core, user: str, text: str) -> str:
    return core.command(CommandContext(user, "conv", "dm", "nl", user_name="Sanne"), text).text


@pytest.mark.parametrize(
    ("text", "ok"),
    [("U01ABC", True), (SUP, True), (ANNA, True), (CHANNEL, True), ("x" * 255, True), ("x" * 256, False),
     ("anna de vries", False), ("<@U01>", False), ("‹@anna›", False), ("", False)],
)  # fmt: skip
def test_platform_ids(text: str, ok: bool) -> None:
    assert is_platform_id(text) is ok


def test_a_teams_team_with_long_ids_and_an_email_lookup(core: Core) -> None:
    assert "aangemaakt" in say(core, SUP, f"team nieuw Krachtteam Bouw | #{CHANNEL}")
    assert "toegevoegd" in say(core, SUP, f"team lid Krachtteam Bouw | @{ANNA} Anna")
    with core.db.session() as s:
        assert s.exec(select(Team)).one().channel == CHANNEL
        team_svc.ensure_member(s, ANNA, core.clock.now(), email="Anna@Example.org")
        assert team_svc.ensure_member(s, ANNA, core.clock.now(), email="other@example.org").email == "Anna@Example.org"
    assert "staat erin" in say(core, SUP, "sprint nieuw Krachtteam Bouw | Sprint 1 | 1-12 | 19-12 | Plan")
    reply = say(core, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | anna@example.org")
    assert "#1" in reply and "Anna" in reply
    assert "Concept plan" in say(core, ANNA, "mijn deadlines")
    with core.db.session() as s:
        assert team_svc.member_by_email(s, "ANNA@example.org").user_id == ANNA
        assert team_svc.member_by_email(s, "nobody@example.org") is None


def test_an_unknown_email_is_refused_kindly(core: Core) -> None:
    say(core, SUP, "team nieuw Krachtteam Bouw")
    assert "toegevoegd" not in say(core, SUP, "team lid Krachtteam Bouw | nobody@example.org")


def test_a_cohort_file_sets_the_email_and_takes_teams_ids(tmp_path: Path, core: Core) -> None:
    path = tmp_path / "cohort.yaml"
    path.write_text(
        f"teams:\n  - name: Bouw\n    channel: '{CHANNEL}'\n    process_supporters: ['{SUP}']\n"
        f"    members:\n      - {{id: '{ANNA}', name: Anna, email: anna@example.org}}\n"
        "      - {id: U02, name: Bram, email: not-an-address}\n",
        encoding="utf-8",
    )
    report = cohort.import_file(core, path)
    assert any("not-an-address" in e for e in report.errors)
    path.write_text(path.read_text(encoding="utf-8").replace("not-an-address", "bram@example.org"), encoding="utf-8")
    assert cohort.import_file(core, path).errors == []
    with core.db.session() as s:
        emails = {m.user_id: m.email for m in s.exec(select(Member)).all()}
    assert emails[ANNA] == "anna@example.org" and emails["U02"] == "bram@example.org"
    assert emails[SUP] is None


def test_email_shape() -> None:
    assert is_email("anna@example.org") and not is_email("@anna") and not is_email("anna@localhost")
