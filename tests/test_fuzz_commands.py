"""Property-based tests of the `/lef` command language through the core (issue 9): any text gives a reply, never
an exception, in the user's language. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import CommandContext, CommandRouter
from bot.config import Settings
from bot.core import Core
from bot.replies import Reply
from knowledge_base.kb import KnowledgeBase
from tests.deadline_helpers import add_deadline, setup_team

FIXTURE_KB = Path(__file__).resolve().parent / "e2e" / "fixtures" / "kb"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WORDS = ["help", "hulp", "vraag", "ask", "mijn gegevens", "my data", "vergeet mij", "team", "team nieuw",
         "team lid", "team begeleider", "team weg", "team kanaal", "teams", "sprint", "sprint nieuw", "deadline",
         "deadline nieuw", "deadline lijst", "deadline verzet", "deadline klaar", "deadline weg", "deadline titel",
         "deadlines", "deadlines ical", "mijn deadlines", "vrij", "vrije dagen", "afwezig", "away", "checkin",
         "checkin rapport", "checkin export", "mijn checkins", "tijdzone", "taal", ""]  # fmt: skip
ARGS = ["999999999999", "999999999999999999999", "#2147483648", "-1", "0", "²", "٣", "1", "#1", "Krachtteam Bouw",
        "|", "| |", "<@U0FUZZ|anna>", "<#C0FUZZ|kanaal>", "@iemand", "31-02-2026", "2026-02-31", "morgen 25:99",
        "1-1 tot 31-12-9999", "vrijdag", "geen", "Europe/Nowhere", "en", "nl", "x" * 5000, "\u202e", "\x00",
        "tijd 99:99", "dagen ma,di,zo", "vraag 9999999999 weg", "aan", "uit", "sprint 1 | 1-1 | 31-12"]  # fmt: skip
args = st.lists(st.sampled_from(ARGS) | st.text(max_size=30), max_size=4).map(" ".join)
texts = st.builds(lambda w, a: f"{w} {a}", st.sampled_from(WORDS), args) | st.text(max_size=200)


@pytest.fixture
def core(settings: Settings) -> Iterator[Core]:
    """A core with one team, its sprints and a deadline on the fresh test database."""
    instance = Core(settings, kb=KnowledgeBase(FIXTURE_KB), migrate=False)
    now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    team = setup_team(instance.db, now, [{"id": "U0FUZZ"}], supporters=("U0SUP",))
    add_deadline(instance.db, team, "Rapport", datetime(2026, 12, 10, 15, tzinfo=UTC), ["U0FUZZ"], now)
    yield instance
    instance.db.dispose()


@settings(FUZZ)
@given(text=texts, lang=st.sampled_from(["nl", "en"]), who=st.sampled_from(["U0FUZZ", "U0SUP", "U0NEW"]),
       kind=st.sampled_from(["dm", "channel", "console"]))  # fmt: skip
def test_any_command_text_gets_a_reply_and_no_exception(
    core: Core, caplog: pytest.LogCaptureFixture, text: str, lang: str, who: str, kind: str
) -> None:
    ctx = CommandContext(who, "D0FUZZ" if kind == "dm" else "C0FUZZ", kind, lang, "Fuzz", "Europe/Amsterdam")
    with caplog.at_level(logging.WARNING):
        reply = core.command(ctx, text)
    assert isinstance(reply, Reply) and reply.text.strip()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    caplog.clear()


@settings(FUZZ)
@given(text=st.text(max_size=300))
def test_the_router_matches_any_text_without_raising(text: str) -> None:
    router = CommandRouter()
    router.register("mijn deadlines", lambda ctx, rest: Reply(rest or "-"), "nl", "en", ("my deadlines",))
    found = router.match(text)
    if found is not None:
        assert text.strip().lower().split()[:2] in (["mijn", "deadlines"], ["my", "deadlines"])
