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
    assert "Bronnen:" in answer and "Typ `ja` of `nee`" in answer
    assert "Fijn dat het hielp" in thanks


def test_no_then_pass_on(chat) -> None:
    _, no, passed = dialog(chat, "Wat is een krachtteam?", "nee", "ja")
    assert "doorgeven" in no
    assert "[#support]" in passed and "doorgegeven aan een procesbegeleider" in passed


def test_unknown_offers_a_person(chat) -> None:
    (reply,) = dialog(chat, "Waar kan ik mijn fiets parkeren bij het kantoor?")
    assert "Dat weet ik niet: dit lijkt een vraag over het gebouw" in reply
    assert "[Vraag het een procesbegeleider]" in reply


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


def test_stop_ends_the_chat(chat) -> None:
    console, out = chat
    console.run(io.StringIO("stop\nWat is een sprint?\n"))
    assert "Tot ziens" in out.getvalue()
    assert "sprint" not in out.getvalue().lower()
