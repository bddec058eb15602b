"""Member data in `/lef mijn gegevens` and `/lef vergeet mij`, the `vrij` alias, and the weekly overview."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.chat.commands import CommandContext
from bot.claims import Claim
from bot.config import load_settings
from bot.core import Core
from bot.deadlines.models import Deadline, TeamMember
from bot.deadlines.overview import send_overviews
from bot.people.models import Member, OutOfOffice
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

SUP, ANNA = "USUP", "UANNA"
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    settings = load_settings({**env, "PROCESS_SUPPORTERS": SUP}, dotenv=False)
    core = Core(settings, clock=clock, messenger=messenger)
    say(core, SUP, "team nieuw Krachtteam Bouw | C0BOUW")
    say(core, SUP, "team lid Krachtteam Bouw | @UANNA Anna")
    say(core, SUP, "sprint nieuw Krachtteam Bouw | Sprint 1 | 1-12 | 31-12 | Plan")
    return core


def say(core: Core, user: str, text: str) -> str:
    return core.command(CommandContext(user, "D1", "slash", "nl", user_name=user.title()), text).text


def test_vrij_is_short_for_vrije_dagen(core: Core) -> None:
    assert "vrijdag" in say(core, ANNA, "vrij vrijdag")
    with core.db.session() as s:
        assert s.exec(select(Member).where(Member.user_id == ANNA)).one().free_days == "fri"


def test_my_data_shows_profile_teams_free_days_and_away(core: Core) -> None:
    say(core, ANNA, "vrije dagen vrijdag")
    say(core, ANNA, "afwezig 21-12 tot 23-12")
    say(core, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | @UANNA")
    text = say(core, ANNA, "mijn gegevens")
    assert "Je profiel, teams" in text
    assert "Anna" in text and "vrije dagen vrijdag" in text
    assert "team: Krachtteam Bouw (lid)" in text
    assert "afwezig: 21-12-2026 t/m 23-12-2026" in text
    assert "eigenaar van deadline: Concept plan" in text


def test_forget_me_deletes_the_member_and_what_hangs_off_it(core: Core) -> None:
    say(core, ANNA, "afwezig morgen")
    say(core, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | @UANNA")
    say(core, ANNA, "deadline klaar 1")
    with core.db.session() as s:
        s.add(Claim(key="nudge:1:UANNA:before1:x", subject=ANNA, created_at=core.clock.now()))
    reply = core.command(CommandContext(ANNA, "D1", "slash", "nl"), "vergeet mij")
    result = core.click(CommandContext(ANNA, "D1", "slash", "nl"), "privacy_erase", reply.buttons[0].value)
    assert "gewist" in result.reply.text
    with core.db.session() as s:
        assert s.exec(select(Member).where(Member.user_id == ANNA)).first() is None
        assert s.exec(select(OutOfOffice)).all() == []
        assert len(s.exec(select(TeamMember)).all()) == 1  # only the supporter is left
        assert s.get(Deadline, 1).done_by is None
        assert s.exec(select(Claim).where(Claim.subject == ANNA)).all() == []
    assert "profiel:" not in say(core, ANNA, "mijn gegevens")  # (asking again creates a fresh, empty profile)


def test_weekly_overview_lists_due_overdue_and_done_once_per_week(core: Core) -> None:
    clock = core.clock
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # Tuesday 1 December
    say(core, SUP, "deadline nieuw Krachtteam Bouw | Al klaar | 3-12 17:00 | @UANNA")
    say(core, SUP, "deadline nieuw Krachtteam Bouw | Te laat | 4-12 17:00 | @UANNA")
    say(core, SUP, "deadline nieuw Krachtteam Bouw | Deze week | 9-12 17:00 | @UANNA")
    say(core, SUP, "deadline nieuw Krachtteam Bouw | Later | 18-12 17:00 | @UANNA")
    clock.set(datetime(2026, 12, 3, 12, 0, tzinfo=UTC))
    say(core, ANNA, "deadline klaar 1")
    core.messenger.sent.clear()
    monday = datetime(2026, 12, 7, 9, 30, tzinfo=AMS)
    assert send_overviews(core, monday - timedelta(minutes=1)) == 0  # before the nudge hour
    assert send_overviews(core, monday) == 1
    assert send_overviews(core, monday + timedelta(hours=1)) == 0  # once per team per week
    [post] = core.messenger.to("C0BOUW", "post")
    sections: dict[str, list[str]] = {}
    for line in post.reply.text.splitlines()[1:]:
        if line.startswith("*"):
            sections[line.strip("*")] = []
        else:
            sections[list(sections)[-1]].append(line.split(" — ")[0].lstrip("• "))
    assert sections == {"Deze week": ["Deze week"], "Te laat": ["Te laat"], "Vorige week klaar": ["Al klaar"]}
    assert send_overviews(core, monday + timedelta(days=7)) == 1  # next week again
