"""The console chat as a dialog: what the user types, what the bot prints."""

from __future__ import annotations

import io

import pytest

from bot.config import load_settings
from bot.core import Core
from bot.replies import Button, Incoming, Reply
from handlers.console import ConsoleChat
from tests.fakes.clock import FrozenClock


@pytest.fixture
def chat(env: dict[str, str], clock: FrozenClock) -> tuple[ConsoleChat, io.StringIO]:
    out = io.StringIO()
    settings = load_settings({**env, "SUPPORT_CHANNEL": "support"}, dotenv=False)
    return ConsoleChat(Core(settings, clock=clock), out=out), out


def dialog(chat: tuple[ConsoleChat, io.StringIO], *lines: str) -> list[str]:
    """Feed lines one by one; return what the bot printed after each."""
    console, out = chat
    replies = []
    for line in lines:
        start = out.tell()
        console.handle(line)
        replies.append(out.getvalue()[start:])
    return replies


def test_question_answer_and_feedback(chat) -> None:
    answer, thanks = dialog(chat, "Wat is het doel voor 2030 met grondstoffen?", "ja")
    assert "helft" in answer.lower()
    assert "Bronnen:" in answer and "Typ ja of nee" in answer
    assert "Fijn dat het hielp" in thanks


def test_no_then_pass_on(chat) -> None:
    _, no, passed = dialog(chat, "Wat is een krachtteam?", "nee", "ja")
    assert "doorgeven" in no
    assert "[#support]" in passed and "doorgegeven aan een procesbegeleider" in passed


def test_unknown_offers_a_person(chat) -> None:
    (reply,) = dialog(chat, "Waar kan ik mijn fiets parkeren bij het kantoor?")
    assert "Dat weet ik niet: dit lijkt een vraag over het gebouw" in reply
    assert "[1: Vraag het een procesbegeleider]" in reply


def test_numbers_pick_a_choice(chat) -> None:
    console, _ = chat
    asked = console.core.ask(Incoming(console.user_id, "Hoe boek ik een vergaderzaal?", "console", "console"))
    choices = tuple(
        Button(title, "answer_choose", f"{asked.question_id}:{entry}")
        for title, entry in [("Sprint", "wat-is-een-sprint"), ("Krachtteam", "wat-is-een-krachtteam")]
    )
    console.show(Reply("Bedoelde je...?", body="Bedoelde je...?", choices=choices))
    shown = console.out.getvalue()
    assert "1. Sprint" in shown and "2. Krachtteam" in shown
    (reply,) = dialog(chat, "2")
    assert "krachtteam" in reply.lower() and "Bronnen:" in reply


def test_piped_input_runs_to_the_end(chat) -> None:
    console, out = chat
    console.run(io.StringIO("hoi\n\nWat is een sprint?\n"))
    text = out.getvalue()
    assert "Ik ben lefbot" in text
    assert "sprint" in text.lower()


def test_welcome_says_who_you_are_and_how_buttons_work(chat) -> None:
    console, out = chat

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    console.run(Tty(""))
    assert "console-user" in out.getvalue() and "eerste woord van de knop" in out.getvalue()


def test_ja_confirms_forget_me_and_nee_does_nothing(chat) -> None:
    asked, no = dialog(chat, "/lef vergeet mij", "nee")
    assert "[1: Ja, wis mijn gegevens]" in asked and "typ het nummer (1 tot en met 1)" in asked
    assert "ik doe niets" in no
    _, yes = dialog(chat, "/lef vergeet mij", "ja")
    assert "gewist" in yes.lower()
    console, _ = chat
    with console.core.db.session() as s:
        from sqlmodel import select

        from bot.models import Question

        assert all(q.text != "ja" for q in s.exec(select(Question)).all())


@pytest.mark.parametrize("typed", ["1", "Ja", "ja, wis mijn gegevens"])
def test_a_button_by_number_first_word_or_label(chat, typed: str) -> None:
    _, done = dialog(chat, "/lef vergeet mij", typed)
    assert "gewist" in done.lower()


def test_nee_after_the_escalation_offer_is_not_a_question(chat) -> None:
    _, no, again = dialog(chat, "Wat is een krachtteam?", "nee", "nee")
    assert "doorgeven" in no
    assert "ik doe niets" in again and "Ja/Nee" not in again


def test_a_number_outside_the_choices_says_which_are_valid(chat) -> None:
    console, _ = chat
    choices = (Button("Sprint", "answer_choose", "1:wat-is-een-sprint"), Button("Team", "answer_choose", "1:x"))
    console.show(Reply("Bedoelde je...?", body="Bedoelde je...?", choices=choices))
    (reply,) = dialog(chat, "7")
    assert reply.strip() == "Kies een nummer van 1 tot en met 2, of typ je vraag in woorden."


def test_unknown_command_suggests_the_closest_and_is_not_logged(chat) -> None:
    (reply,) = dialog(chat, "/lef deadlnes")
    assert "Onbekend commando deadlnes" in reply and "/lef deadlines" in reply and "/lef help" in reply
    (other,) = dialog(chat, "/lef foo")
    assert "Onbekend commando foo" in other and "/lef help" in other
    console, _ = chat
    from sqlmodel import select

    from bot.models import Question

    with console.core.db.session() as s:
        assert s.exec(select(Question)).all() == []


def test_texts_are_plain_in_the_console(chat) -> None:
    console, out = chat
    console.messenger.post("#C0123ABC", Reply("*Vet* en `code` en <https://x.nl|een link> en <https://y.nl>"), "1.2")
    shown = out.getvalue()
    assert "[#C0123ABC, in een draad] Vet en code en een link (https://x.nl) en https://y.nl" in shown
    assert "*" not in shown and "`" not in shown and "<" not in shown


def test_ik_in_a_team_command_means_yourself(chat) -> None:
    dialog(chat, "/lef team nieuw Krachtteam Bouw | C0123ABC")
    (added,) = dialog(chat, "/lef team lid Krachtteam Bouw | @ik Ik zelf")
    console, _ = chat
    from sqlmodel import select

    from bot.team_models import Member

    with console.core.db.session() as s:
        ids = [m.user_id for m in s.exec(select(Member)).all()]
    assert "console-user" in ids and "ik" not in ids, added


def test_stop_ends_a_checkin_but_not_the_console(env, clock: FrozenClock) -> None:
    from tests.checkin_seed import PROMPT, seed

    out = io.StringIO()
    core = Core(load_settings(env, dotenv=False), clock=clock)
    console = ConsoleChat(core, out=out, user_id="U1")
    seed(core.db)
    clock.set(PROMPT)
    core.checkins.run(PROMPT)
    assert console.handle("stop") is True
    assert "Gestopt" in out.getvalue() and "Tot ziens" not in out.getvalue()
    assert console.handle("stop") is False


def test_stop_ends_the_chat(chat) -> None:
    console, out = chat
    console.run(io.StringIO("stop\nWat is een sprint?\n"))
    assert "Tot ziens" in out.getvalue()
    assert "sprint" not in out.getvalue().lower()


@pytest.mark.parametrize(("typed", "near"), [("mijn deadlnes", "/lef mijn deadlines"), ("afwezg 1-2", "/lef afwezig")])
def test_a_typo_gets_the_closest_command(chat, typed: str, near: str) -> None:
    (reply,) = dialog(chat, f"/lef {typed}")
    assert f"Bedoelde je {near}?" in reply


def test_no_far_fetched_suggestion(chat) -> None:
    (reply,) = dialog(chat, "/lef foo bar")
    assert "Bedoelde je" not in reply and "Onbekend commando foo" in reply


def test_a_number_clicks_a_button_of_a_dm_that_just_arrived(chat) -> None:
    console, out = chat
    dialog(chat, "Wat is een krachtteam?")
    erase = Button("Ja, wis mijn gegevens", "privacy_erase", console.user_id)
    console.messenger.send_dm(console.user_id, Reply("Wissen?", buttons=(erase,)))
    assert "[1: Ja, wis mijn gegevens]" in out.getvalue()
    (reply,) = dialog(chat, "1")
    assert "gewist" in reply.lower()
