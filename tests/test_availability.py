"""Sane availability: long or past absences, the only supporter forgetting themself, `/lef deadline` usage."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.chat.commands import CommandContext
from bot.config import load_settings
from bot.core import Core
from bot.people.models import Member, OutOfOffice
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

SUP, ANNA = "USUP", "UANNA"
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    core = Core(load_settings(env, dotenv=False), clock=clock, messenger=messenger)
    ctx = CommandContext(SUP, "console", "console", "nl")
    core.command(ctx, "team nieuw Krachtteam Bouw | C0BOUW")
    core.command(ctx, "team begeleider Krachtteam Bouw | @ik Sanne")
    core.command(ctx, "team lid Krachtteam Bouw | @UANNA Anna")
    return core


def say(core: Core, user: str, text: str):  # noqa: ANN201
    return core.command(CommandContext(user, "D1", "slash", "nl", user_name=user.title()), text)


def away_rows(core: Core) -> list[tuple[str, str]]:
    with core.db.session() as s:
        return [(str(o.start), str(o.end)) for o in s.exec(select(OutOfOffice)).all()]


def test_a_year_typed_the_wrong_way_round_asks_first(core: Core) -> None:
    reply = say(core, ANNA, "afwezig 3-1 tot 21-12")  # today is 1 December 2026
    assert "03-01-2027 t/m 21-12-2027 is 50 weken" in reply.text
    assert "Bedoelde je van 21-12 tot 3-1?" in reply.text
    assert away_rows(core) == []
    (button,) = reply.buttons
    clicked = core.click(CommandContext(ANNA, "D1", "slash", "nl"), button.action_id, button.value).reply
    assert "afwezig van 03-01-2027 t/m 21-12-2027" in clicked.text
    assert away_rows(core) == [("2027-01-03", "2027-12-21")]


def test_a_short_absence_is_set_at_once(core: Core) -> None:
    assert "Genoteerd" in say(core, ANNA, "afwezig 21-12 tot 3-1").text
    assert away_rows(core) == [("2026-12-21", "2027-01-03")]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("afwezig 20-11 tot 25-11", "ligt helemaal in het verleden"),
        ("afwezig 20-11 tot 4-12", "kan niet beginnen in het verleden (20-11-2026)"),
    ],
)
def test_past_absences_are_refused_with_the_reason(core: Core, typed: str, expected: str) -> None:
    assert expected in say(core, ANNA, typed).text
    assert away_rows(core) == []


def test_console_ja_confirms_a_long_absence(env: dict[str, str], clock: FrozenClock) -> None:
    import io

    from handlers.console import ConsoleChat

    out = io.StringIO()
    chat = ConsoleChat(Core(load_settings(env, dotenv=False), clock=clock), out=out)
    chat.handle("/lef afwezig 1-2 tot 30-4")
    chat.handle("ja")
    assert "Genoteerd: je bent afwezig van 01-02-2027 t/m 30-04-2027" in out.getvalue()


def test_only_supporter_is_warned_before_forgetting(core: Core) -> None:
    reply = say(core, SUP, "vergeet mij")
    assert "enige procesbegeleider van Krachtteam Bouw" in reply.text
    other = say(core, ANNA, "vergeet mij")
    assert "procesbegeleider" not in other.text


def test_deadline_without_arguments_shows_the_usage(core: Core) -> None:
    reply = say(core, SUP, "deadline")
    assert "{cmd} deadline nieuw" in reply.text and "verzet" in reply.text


def test_member_data_says_working_days_in_dutch(core: Core) -> None:
    say(core, ANNA, "vrije dagen vrijdag")
    with core.db.session() as s:
        member = s.exec(select(Member).where(Member.user_id == ANNA)).one()
        member.working_days = "mon,tue"
        s.add(member)
    text = say(core, ANNA, "mijn gegevens").text
    assert "mon,tue" not in text and "maandag" in text


def test_supporters_close_unanswered_questions_in_chat(core: Core) -> None:
    from bot.chat.replies import Incoming

    asked = core.ask(Incoming(ANNA, "Waar staat de koffieautomaat op de vierde verdieping?", "D1", "dm"))
    assert "Alleen procesbegeleiders" in say(core, ANNA, "onbeantwoord").text
    listed = say(core, SUP, "onbeantwoord").text
    assert f"#{asked.question_id}" in listed and "koffieautomaat" in listed and " CET " in listed
    assert say(core, SUP, f"onbeantwoord opgelost {asked.question_id}").text == f"Afgesloten: {asked.question_id}."
    assert "koffieautomaat" not in say(core, SUP, "onbeantwoord").text
    assert "Typ de nummers" in say(core, SUP, "onbeantwoord opgelost abc").text
