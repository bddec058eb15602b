"""The `/lef` command router, small talk, language guess and input cleaning."""

import pytest

from bot.answering.language import guess_language
from bot.answering.smalltalk import classify, strip_greeting
from bot.chat.cleaning import clean_text
from bot.chat.commands import CommandContext, CommandRouter
from bot.chat.replies import Reply


def _router() -> CommandRouter:
    router = CommandRouter()
    router.register("deadline", lambda ctx, rest: Reply(f"deadline:{rest}"), "d", "d")
    router.register("mijn deadlines", lambda ctx, rest: Reply(f"mine:{rest}"), "m", "m", ("my deadlines",))
    return router


def test_longest_prefix_wins_and_rest_is_kept() -> None:
    router = _router()
    ctx = CommandContext("U1")
    assert router.dispatch(ctx, "mijn deadlines") == Reply("mine:")
    assert router.dispatch(ctx, "My Deadlines  open") == Reply("mine:open")
    assert router.dispatch(ctx, "deadline nieuw Concept  plan") == Reply("deadline:nieuw Concept  plan")
    assert router.dispatch(ctx, "mijn") is None
    assert router.dispatch(ctx, "") is None


def test_registering_twice_is_refused() -> None:
    router = _router()
    with pytest.raises(ValueError):
        router.register("my deadlines", lambda ctx, rest: Reply(""), "x", "x")


def test_help_lines_per_language() -> None:
    lines = _router().help_lines("en")
    assert lines[1] == "`{cmd} mijn deadlines` — m"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hoi", "greeting"),
        ("Goedemorgen lefbot!", "greeting"),
        ("dank je wel :)", "thanks"),
        ("Bedankt!!", "thanks"),
        ("help", "help"),
        ("wat kun je allemaal doen?", "help"),
        ("What can you do", "help"),
        ("doei", "bye"),
        ("hoi, wat is een krachtteam?", None),
        ("helpdesk telefoonnummer", None),
        ("", None),
    ],
)
def test_smalltalk(text: str, kind: str | None) -> None:
    assert classify(text) == kind


def test_greeting_before_a_question_is_removed() -> None:
    assert strip_greeting("Hoi, wat is een krachtteam?") == "wat is een krachtteam?"
    assert strip_greeting("hoi lefbot: wat is sps") == "wat is sps"
    assert strip_greeting("Hoe werkt een sprint?") == "Hoe werkt een sprint?"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What is the goal for 2030?", "en"),
        ("How do I join a krachtteam?", "en"),
        ("Wat is het doel voor 2030?", "nl"),
        ("grondstoffenakkoord", "nl"),
        ("sprint", "nl"),
    ],
)
def test_language_guess(text: str, lang: str) -> None:
    assert guess_language(text) == lang


def test_clean_text_removes_invisible_and_control_characters() -> None:
    assert clean_text("  wat\u200b is\u00ad  een\tsprint\x00 ") == "wat is een sprint"
    assert clean_text("\u200b\u200c\ufeff") == ""
    assert clean_text("cafe\u0301") == "café"
