"""`/lef team|sprint|deadline` in chat: a dialog with permissions, dates and the nudge buttons."""

from datetime import UTC, datetime

import pytest

from bot.chat.commands import CommandContext
from bot.config import load_settings
from bot.core import Core
from bot.deadlines import nudge_sending
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

SUP, ANNA, BRAM, EVE = "USUP", "UANNA", "UBRAM", "UEVE"


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    settings = load_settings({**env, "PROCESS_SUPPORTERS": SUP}, dotenv=False)
    return Core(settings, clock=clock, messenger=messenger)


def say(core: Core, user: str, text: str, lang: str = "nl") -> str:
    return core.command(CommandContext(user, "D1", "slash", lang, user_name=user.title()), text).text


@pytest.fixture
def team(core: Core) -> Core:
    assert "aangemaakt" in say(core, SUP, "team nieuw Krachtteam Bouw | C0BOUW")
    assert "toegevoegd" in say(core, SUP, "team lid Krachtteam Bouw | @UANNA Anna")
    assert "toegevoegd" in say(core, SUP, "team lid Krachtteam Bouw | @UBRAM Bram America/New_York")
    assert "staat erin" in say(core, SUP, "sprint nieuw Krachtteam Bouw | Sprint 1 | 1-12 | 19-12 | Plan")
    return core


def test_supporter_creates_a_deadline_with_a_dutch_date(team: Core) -> None:
    reply = say(team, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | @UANNA")
    assert "#1" in reply and "vrijdag 4 december om 17:00" in reply and "Anna" in reply
    assert "Concept plan" in say(team, ANNA, "mijn deadlines")
    assert "Geen" in say(team, BRAM, "mijn deadlines") or "geen open" in say(team, BRAM, "mijn deadlines")


@pytest.mark.parametrize(
    ("when", "expected"),
    [("31-02", "bestaat niet"), ("1-11", "verleden"), ("blabla", "herken ik niet"), ("25:00", "geen geldige tijd")],
)
def test_bad_dates_get_a_clear_message_with_an_example(team: Core, when: str, expected: str) -> None:
    reply = say(team, SUP, f"deadline nieuw Krachtteam Bouw | X | {when} | @UANNA")
    assert expected in reply and "`" in reply


def test_members_cannot_manage_and_are_told_why(team: Core) -> None:
    assert "procesbegeleider" in say(team, ANNA, "deadline nieuw Krachtteam Bouw | X | vrijdag | @UANNA")
    assert "procesbegeleider" in say(team, ANNA, "team nieuw Mijn Team")
    assert "procesbegeleider" in say(team, EVE, "sprint nieuw Krachtteam Bouw | S2 | 1-1 | 20-1")


def test_team_supporter_cannot_change_another_team(team: Core) -> None:
    say(team, SUP, "team nieuw Krachtteam Water")
    say(team, SUP, "team begeleider Krachtteam Water | @UEVE")
    assert "toegevoegd" in say(team, EVE, "team lid Krachtteam Water | @UBRAM")
    assert "procesbegeleider van Krachtteam Bouw" in say(team, EVE, "sprint nieuw Krachtteam Bouw | S9 | 1-1 | 9-1")


def test_unknown_owner_and_unknown_team_are_explained(team: Core) -> None:
    assert "UEVE" in say(team, SUP, "deadline nieuw Krachtteam Bouw | X | vrijdag | @UEVE")
    assert "Krachtteam Bouw" in say(team, SUP, "deadline nieuw Krachtteem | X | vrijdag | @UANNA")


def test_only_owners_or_supporters_close_a_deadline(team: Core) -> None:
    say(team, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | @UANNA")
    assert "Alleen de eigenaar" in say(team, BRAM, "deadline klaar 1")
    assert "klaar" in say(team, ANNA, "deadline klaar #1")
    assert [s.target for s in team.messenger.sent if s.kind == "post"] == ["C0BOUW"]


def test_nudge_buttons_done_snooze_and_help(team: Core, clock: FrozenClock) -> None:
    say(team, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | 10-12 17:00 | @UANNA")
    clock.set(datetime(2026, 12, 7, 8, 30, tzinfo=UTC))  # Monday 09:30 in Amsterdam: 3 working days before
    nudge_sending.send_due(team, clock.now())
    [dm] = team.messenger.to(ANNA)
    key = dm.reply.buttons[0].value
    ctx = CommandContext(ANNA, "D1", "dm", "nl")
    snooze = team.click(ctx, "deadline_snooze", key)
    assert "dinsdag 8 december om 09:30" in snooze.reply.text
    helped = team.click(ctx, "deadline_help", key)
    assert "USUP" in helped.reply.text and any("hulp nodig" in s.reply.text for s in team.messenger.to(SUP))
    assert any("example.invalid" in s.reply.text for s in team.messenger.to(SUP))  # link to the nudge
    done = team.click(ctx, "deadline_done", key)
    assert done.mode == "replace" and "klaar" in done.reply.text
    assert any("afgerond" in s.reply.text for s in team.messenger.to("C0BOUW"))
    clock.set(datetime(2026, 12, 8, 8, 30, tzinfo=UTC))
    assert nudge_sending.send_due(team, clock.now()).sent == 0  # done: the snooze and the rest are off


def test_moving_and_deleting(team: Core) -> None:
    say(team, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | team")
    assert "verzet" in say(team, SUP, "deadline verzet 1 | 12 december 12:00")
    assert "12 december" in say(team, ANNA, "mijn deadlines")
    assert "verwijderd" in say(team, SUP, "deadline weg 1")
    assert "Ik ken geen deadline #1" in say(team, SUP, "deadline klaar 1")


def test_free_days_and_away_for_yourself(team: Core) -> None:
    assert "vrijdag" in say(team, ANNA, "vrije dagen vrijdag")
    assert "weekdag" in say(team, ANNA, "vrije dagen blauwdag")
    assert "21-12-2026 t/m 03-01-2027" in say(team, ANNA, "afwezig 21-12 tot 3-1")
    assert "gewist" in say(team, ANNA, "afwezig wis")


@pytest.mark.parametrize("text", ["", "deadline nieuw", "deadline klaar abc", "team lid Krachtteam Bouw | ???"])
def test_odd_input_gets_usage_or_a_kind_refusal(team: Core, text: str) -> None:
    reply = say(team, SUP, text)
    assert reply and "Traceback" not in reply


def test_injection_like_and_huge_titles_are_handled(team: Core) -> None:
    reply = say(team, SUP, "deadline nieuw Krachtteam Bouw | Robert'); DROP TABLE deadlines;-- | vrijdag | @UANNA")
    assert "#1" in reply
    assert "te lang" in say(team, SUP, "deadline nieuw Krachtteam Bouw | " + "x" * 2000 + " | vrijdag | @UANNA")
    assert "DROP TABLE" in say(team, ANNA, "mijn deadlines")


def test_english_user_gets_english(team: Core) -> None:
    say(team, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | @UANNA")
    assert "Only the owner" in say(team, BRAM, "deadline klaar 1", lang="en")


def test_ical_command_returns_a_calendar(team: Core) -> None:
    say(team, SUP, "deadline nieuw Krachtteam Bouw | Concept plan | vrijdag 17:00 | @UANNA")
    reply = team.command(CommandContext(ANNA, "D1", "slash", "nl"), "deadlines ical Krachtteam Bouw")
    assert reply.meta["filename"] == "krachtteam-bouw.ics" and "BEGIN:VCALENDAR" in reply.meta["file_content"]
    assert "niet in" in say(team, EVE, "deadlines ical Krachtteam Bouw")


def test_an_empty_sprint_list_says_so_and_how_to_add_one(env: dict[str, str], clock) -> None:
    from bot.chat.commands import CommandContext
    from bot.config import load_settings
    from bot.core import Core

    core = Core(load_settings(env, dotenv=False), clock=clock)
    reply = core.command(CommandContext("U0SUP", channel_kind="slash"), "sprint")
    assert "nog geen sprints" in reply.text and "{cmd} sprint nieuw" in reply.text
