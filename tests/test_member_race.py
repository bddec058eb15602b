"""First sight of a user from many threads at once: one member row and a normal reply for everyone (issue 9)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.commands import CommandContext
from bot.config import Settings
from bot.core import Core
from bot.services import teams as team_svc
from bot.team_models import Member, Team, TeamMember
from knowledge_base.kb import KnowledgeBase

FIXTURE_KB = Path(__file__).resolve().parent / "e2e" / "fixtures" / "kb"
THREADS = 8
ROUNDS = 4


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    """A core on the fresh test database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
    instance = Core(settings, kb=KnowledgeBase(FIXTURE_KB), migrate=False)
    yield instance
    instance.db.dispose()


def at_once(work, n: int = THREADS) -> list:  # noqa: ANN001
    """Run `work(i)` in n threads released together."""
    gate = threading.Barrier(n)

    def run(i: int):  # noqa: ANN202
        gate.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_concurrent_first_commands_of_a_new_user_all_succeed(core: Core) -> None:
    ctx = CommandContext("U0NEWUSER", "D0NEW", "dm", "nl", "Nieuwe Collega", "Europe/Amsterdam")
    replies = at_once(lambda _i: core.command(ctx, "vrij vrijdag"))
    assert len({r.text for r in replies}) == 1 and "vrijdag" in replies[0].text.lower()
    with core.db.session() as s:
        members = s.exec(select(Member).where(Member.user_id == "U0NEWUSER")).all()
    assert len(members) == 1 and members[0].free_days == "fri" and members[0].name == "Nieuwe Collega"


def test_ensure_member_and_add_to_team_are_race_free(core: Core) -> None:
    now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    with core.db.session() as s:
        s.add(Team(name="Krachtteam Race", created_at=now))

    def join(i: int) -> tuple[int, bool]:
        with core.db.session() as s:
            team = team_svc.find_team(s, "Krachtteam Race")
            member = team_svc.ensure_member(s, "U0RACE", now, "Ria", "Europe/Amsterdam")
            return member.id, team_svc.add_to_team(s, team, member)

    results = at_once(join)
    assert len({member_id for member_id, _ in results}) == 1
    assert sum(added for _, added in results) == 1
    with core.db.session() as s:
        assert len(s.exec(select(TeamMember)).all()) == 1


def test_concurrent_feedback_clicks_store_one_verdict(core: Core) -> None:
    from bot.models import AnswerFeedback
    from bot.replies import Incoming

    ctx = CommandContext("U0CLICK", "D0CLICK", "dm", "nl")
    for _round in range(ROUNDS):  # a race is not lost every time: a few rounds, each on a new question
        value = str(core.ask(Incoming("U0CLICK", "Wat is een sprint?", "D0CLICK", "dm")).question_id)
        results = at_once(lambda i: core.click(ctx, "answer_helpful" if i % 2 else "answer_not_helpful", value))  # noqa: B023
        assert all("mis" not in r.reply.text for r in results)
    with core.db.session() as s:
        assert len(s.exec(select(AnswerFeedback)).all()) == ROUNDS


def test_first_sight_with_an_overlong_name_or_zone_still_makes_the_member(core: Core) -> None:
    now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    with core.db.session() as s:
        member = team_svc.ensure_member(s, "U0LONG", now, "N" * 500, "Europe/" + "x" * 100)
    assert member.name == "N" * 120 and member.timezone == "Europe/Amsterdam"


def test_concurrent_escalation_clicks_post_once(env: dict[str, str]) -> None:
    from bot.config import load_settings
    from bot.replies import Incoming
    from tests.fakes.messenger import FakeMessenger

    settings = load_settings({**env, "SUPPORT_CHANNEL": "C0SUPPORT"}, dotenv=False)
    core = Core(settings, kb=KnowledgeBase(FIXTURE_KB), migrate=False, messenger=FakeMessenger())
    try:
        ctx = CommandContext("U0ESC", "D0ESC", "dm", "nl")
        for _round in range(ROUNDS):
            value = str(core.ask(Incoming("U0ESC", "Wat is een sprint?", "D0ESC", "dm")).question_id)
            results = at_once(lambda _i: core.click(ctx, "answer_escalate", value))  # noqa: B023
            assert all("mis" not in r.reply.text for r in results)
        assert len(core.messenger.to("C0SUPPORT", "post")) == ROUNDS
    finally:
        core.db.dispose()
