"""Answering through the core: outcomes, what is stored, feedback, escalation, privacy, bad input."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bot.answering.models import AnswerFeedback, Question, UnansweredQuestion
from bot.chat.commands import CommandContext
from bot.chat.replies import Incoming
from bot.config import load_settings
from bot.core import Core
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock, messenger: FakeMessenger) -> Core:
    settings = load_settings({**env, "SUPPORT_CHANNEL": "CSUPPORT"}, dotenv=False)
    return Core(settings, clock=clock, messenger=messenger)


def ask(core: Core, text: str, user: str = "U01", kind: str = "dm"):
    return core.ask(Incoming(user, text, "D01", kind))


def count(core: Core, model) -> int:
    with core.db.session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_a_clear_question_gets_the_entry_with_sources_and_buttons(core: Core) -> None:
    answer = ask(core, "Wat is het doel voor 2030 met grondstoffen?")
    assert answer.outcome == "answer"
    assert answer.entry_id == "doel-2030-2050"
    assert "helft" in answer.reply.text.lower()
    assert answer.sources and all(url.startswith("https://") for url in answer.sources)
    assert {b.action_id for b in answer.reply.buttons} == {"answer_helpful", "answer_not_helpful"}
    assert answer.reply.context and "Gecontroleerd op" in answer.reply.context
    assert 0.0 <= answer.score <= 1.0


def test_the_asker_is_stored_as_a_pseudonym(core: Core) -> None:
    ask(core, "Wat is een krachtteam?", user="U0SECRET")
    with core.db.session() as s:
        question = s.exec(select(Question)).one()
    assert question.asker != "U0SECRET" and len(question.asker) == 64
    assert question.text == "Wat is een krachtteam?"
    assert question.channel_kind == "dm"


def test_out_of_scope_is_unknown_logged_and_can_be_passed_on_once(core: Core, messenger: FakeMessenger) -> None:
    answer = ask(core, "Hoe boek ik een vergaderzaal op de derde verdieping?")
    assert answer.outcome == "unknown" and answer.candidates == () and answer.reply.choices == ()
    assert "Dat weet ik niet: dit lijkt een vraag over het gebouw en faciliteiten" in answer.reply.text
    with core.db.session() as s:
        assert [row.reason for row in s.exec(select(UnansweredQuestion))] == ["off_topic"]
    ctx = CommandContext("U01", "D01", "dm")
    first = core.click(ctx, "answer_escalate", str(answer.question_id))
    assert "doorgegeven" in first.reply.text
    second = core.click(ctx, "answer_escalate", str(answer.question_id))
    assert "al doorgegeven" in second.reply.text
    posts = messenger.to("CSUPPORT", "post")
    assert len(posts) == 1
    assert "vergaderzaal" in posts[0].reply.text


def test_feedback_is_stored_changed_and_only_by_the_asker(core: Core) -> None:
    answer = ask(core, "Wat is een krachtteam?")
    value = str(answer.question_id)
    other = core.click(CommandContext("U99"), "answer_helpful", value)
    assert other.mode == "private" and count(core, AnswerFeedback) == 0
    yes = core.click(CommandContext("U01"), "answer_helpful", value)
    assert yes.mode == "amend" and "Fijn" in yes.reply.text
    no = core.click(CommandContext("U01"), "answer_not_helpful", value)
    assert [b.action_id for b in no.reply.buttons] == ["answer_escalate"]
    with core.db.session() as s:
        rows = s.exec(select(AnswerFeedback)).all()
    assert [r.helpful for r in rows] == [False]


def test_choosing_a_candidate_answers_in_place(core: Core) -> None:
    answer = ask(core, "iets heel vaags over niets in het bijzonder")
    result = core.click(CommandContext("U01"), "answer_choose", f"{answer.question_id}:wat-is-een-sprint")
    assert result.mode == "replace"
    assert result.reply.title and "sprint" in result.reply.title.lower()
    with core.db.session() as s:
        stored = s.get(Question, answer.question_id)
    assert (stored.outcome, stored.entry_id) == ("answer", "wat-is-een-sprint")


def test_smalltalk_is_not_looked_up_or_stored(core: Core) -> None:
    for text, expected in [("hoi", "lefbot"), ("bedankt!", "Graag gedaan"), ("help", "{cmd}")]:
        answer = ask(core, text)
        assert answer.outcome == "smalltalk"
        assert expected in answer.reply.text
    assert count(core, Question) == 0


def test_english_question_gets_english_texts(core: Core) -> None:
    answer = ask(core, "What is the weather going to be like tomorrow in Utrecht?")
    assert answer.outcome == "unknown"
    assert "I don't know" in answer.reply.text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\u200b\u200c\u2060",
        "🙂🙂🙂",
        "'; DROP TABLE questions; --",
        "Robert'); DELETE FROM questions WHERE ('1'='1",
        "wat " * 10_000,
        "x" * 40_000,
        "\x00\x01 sprint \x7f",
        "ｗａｔ ｉｓ ｅｅｎ ｓｐｒｉｎｔ",
    ],
)
def test_bad_input_gets_a_kind_reply_and_corrupts_nothing(core: Core, text: str) -> None:
    ask(core, "Wat is een krachtteam?")
    answer = ask(core, text)
    assert answer.reply.text.strip()
    assert answer.outcome in {"answer", "clarify", "unknown", "smalltalk"}
    with core.db.session() as s:
        questions = s.exec(select(Question)).all()
    assert questions[0].text == "Wat is een krachtteam?"
    assert all(len(q.text) <= 2000 for q in questions)


def test_huge_input_is_refused_kindly(core: Core) -> None:
    answer = ask(core, "x" * 40_000)
    assert answer.outcome == "unknown"
    assert "40000 tekens" in answer.reply.text


def test_my_data_and_forget_me(core: Core) -> None:
    ask(core, "Wat is een krachtteam?", user="U01")
    ask(core, "Wat is een sprint?", user="U02")
    ctx = CommandContext("U01", lang="nl")
    mine = core.command(ctx, "mijn gegevens")
    assert mine.private and "Wat is een krachtteam?" in mine.text and "sprint" not in mine.text
    confirm = core.command(ctx, "vergeet mij")
    button = confirm.buttons[0]
    refused = core.click(CommandContext("U02"), button.action_id, button.value)
    assert "Alleen" in refused.reply.text and count(core, Question) == 2
    done = core.click(ctx, button.action_id, button.value)
    assert "1 gegeven" in done.reply.text
    assert count(core, Question) == 1
    assert "(0)" in core.command(ctx, "mijn gegevens").text


def test_lef_command_routes_and_falls_back_to_a_question(core: Core) -> None:
    ctx = CommandContext("U01", "C01", "slash")
    assert "{cmd} vraag" in core.command(ctx, "").text
    assert "{cmd} mijn gegevens" in core.command(ctx, "help").text
    reply = core.command(ctx, "vraag Wat is een krachtteam?")
    assert reply.title and "krachtteam" in reply.title.lower()
    assert core.command(ctx, "Wat is een krachtteam?").title == reply.title


def test_unknown_offers_related_topics_that_can_be_chosen(core: Core) -> None:
    answer = ask(core, "is er een krachtteam voor voetbal")
    assert answer.outcome == "unknown" and "weet ik (nog) niet" in answer.reply.text
    assert answer.candidates and len(answer.reply.choices) == len(answer.candidates) <= 3
    assert "Misschien helpt" in answer.reply.text
    chosen = answer.reply.choices[0]
    result = core.click(CommandContext("U01"), chosen.action_id, chosen.value)
    assert result.mode == "replace" and result.reply.title == core.kb.entries[answer.candidates[0]].title
    with core.db.session() as s:
        assert s.get(Question, answer.question_id).outcome == "answer"


def test_unknown_without_shared_words_offers_no_topics(core: Core) -> None:
    answer = ask(core, "xyzzy qwerty plugh")
    assert answer.outcome == "unknown"
    assert answer.candidates == () and answer.reply.choices == ()
    assert [b.action_id for b in answer.reply.buttons] == ["answer_escalate"]


def test_curator_sees_unknown_and_unhelpful_questions_without_who_asked(core: Core, clock: FrozenClock) -> None:
    from datetime import timedelta

    from bot.answering.curation import open_questions

    old = ask(core, "Hoe boek ik een vergaderzaal?")
    clock.advance(timedelta(days=40))
    unknown = ask(core, "Waar staat de koffieautomaat?", user="U0SECRET")
    clock.advance(timedelta(minutes=1))
    answered = ask(core, "Wat is een krachtteam?")
    ask(core, "Wat is een sprint?")
    core.click(CommandContext("U01"), "answer_not_helpful", str(answered.question_id))
    found = open_questions(core.db, clock.now() - timedelta(days=30))
    assert [(q.text, q.reason, q.entry_id) for q in found] == [
        ("Wat is een krachtteam?", "not_helpful", answered.entry_id),
        ("Waar staat de koffieautomaat?", "off_topic", None),  # the building: named, and still listed
    ]
    assert old.outcome == "unknown"  # logged, but 40 days ago: outside the 30-day window above
    assert "U0SECRET" not in str([q.as_json() for q in found])
    assert unknown.outcome == "unknown"
    assert [q.suggested for q in found] == [None, None]  # without a knowledge base: no suggestions


def test_curator_sees_the_entry_nearest_to_an_unknown_question(core: Core, clock: FrozenClock) -> None:
    from datetime import timedelta

    from bot.answering.curation import open_questions

    assert ask(core, "is er een krachtteam voor voetbal").outcome == "unknown"
    clock.advance(timedelta(minutes=1))
    assert ask(core, "Hoe boek ik een vergaderzaal?").outcome == "unknown"  # off-topic: nothing to suggest
    found = open_questions(core.db, clock.now() - timedelta(days=1), kb=core.kb)
    assert [(q.reason, q.suggested) for q in found] == [("off_topic", None), ("unknown", "wat-is-een-krachtteam")]


def test_off_topic_question_names_the_subject_in_the_askers_language(core: Core) -> None:
    answer = ask(core, "My laptop won't connect to the office wifi, what should I do?")
    assert (answer.outcome, answer.lang, answer.candidates) == ("unknown", "en", ())
    assert answer.reply.text.startswith("I don't know: this looks like a question about computers and IT")
    assert [b.action_id for b in answer.reply.buttons] == ["answer_escalate"] and answer.reply.choices == ()
    assert answer.as_json()["candidates"] == [] and answer.as_json()["entry"] is None


# Issue 12: how real people ask. Each question must be answered by its entry, or refused cleanly.
ANSWERED = [
    ("wie betaalt dit programma eigenlijk", "wie-betaalt-en-kosten"),
    ("wat kost het om mee te doen", "wie-betaalt-en-kosten"),
    ("hoe stop ik met mijn krachtteam", "krachtteam-verlaten"),
    ("ik wil stoppen met mijn krachtteam", "krachtteam-verlaten"),
    ("Wat gebeurt er in een sprint?", "verloop-van-een-sprint"),  # its own title, not a choice
    ("kan ik de herinneringen uitzetten?", "herinneringen-uitzetten"),
    ("Wanneer begint de volgende sprint?", "volgende-sprint"),
    ("Verwerkt de chatbot mijn persoonsgegevens?", "wat-bewaart-lefbot"),
    ("Mag ik WhatsApp gebruiken voor mijn werk?", "berichtenapps-rijk"),
    ("Waarom willen we eigenlijk een circulaire economie?", "waarom-circulaire-economie"),
    ("hoe zet ik de deadlines in mijn outlook agenda", "deadlines-in-agenda"),  # not "office software"
]


@pytest.mark.parametrize(("question", "entry"), ANSWERED)
def test_questions_people_ask_get_their_entry(core: Core, question: str, entry: str) -> None:
    answer = ask(core, question)
    assert (answer.outcome, answer.entry_id) == ("answer", entry)
    assert "Dat weet ik niet" not in answer.reply.text


REFUSED = [
    ("Hoeveel verlofdagen heb ik nog?", "nl", "personeelszaken"),
    ("wat voor weer wordt het morgen in utrecht", "nl", "het weer"),
    ("hoe vraag ik de WBSO subsidie aan?", "nl", "subsidies"),
    ("my VPN doesn't work", "en", "computers and IT"),
    ("my VPN doesnt work", "en", "computers and IT"),
    ("how many vacation days do I have left", "en", "HR matters"),
]


@pytest.mark.parametrize(("question", "lang", "subject"), REFUSED)
def test_everyday_off_topic_questions_get_a_clean_refusal_in_their_language(
    core: Core, question: str, lang: str, subject: str
) -> None:
    answer = ask(core, question)
    assert answer.outcome == "unknown" and answer.lang == lang
    assert answer.candidates == () and answer.reply.choices == ()  # no "related topics" on shared everyday words
    assert subject in answer.reply.text
    assert answer.reply.text.startswith("Dat weet ik niet" if lang == "nl" else "I don't know")


def test_an_unknown_question_offers_no_topics_that_share_only_everyday_words(core: Core) -> None:
    answer = ask(core, "hoe werkt de zwembadpas en hoeveel zwemdagen heb ik nog")  # `dagen` only inside a word
    assert answer.outcome == "unknown"
    assert answer.reply.choices == () and "Misschien helpt" not in answer.reply.text
    assert "dit lijkt een vraag over" not in ask(core, "hoe werkt het eigenlijk").reply.text  # no subject at all


def test_in_scope_questions_are_never_refused_under_an_unrelated_subject(core: Core) -> None:
    for question in (
        "hoe stop ik met mijn krachtteam",
        "wie betaalt dit programma eigenlijk",
        "mag ik een whatsappgroep maken voor mijn krachtteam",  # the `team` in krachtteam is not MS Teams
        "mag ik de herinneringen even stilzetten met pauzeren",  # `pauzeren` is not corrected into `parkeren`
    ):
        assert "dit lijkt een vraag over" not in ask(core, question).reply.text


def test_thanks_in_english_gets_an_english_reply(core: Core) -> None:
    answer = ask(core, "thanks!")
    assert answer.outcome == "smalltalk" and answer.lang == "en"
    assert "Graag gedaan" not in answer.reply.text


def test_the_next_sprint_is_answered_from_the_askers_own_team(core: Core, clock: FrozenClock) -> None:
    from datetime import date

    from bot.deadlines import deadlines as dl
    from tests.deadline_helpers import setup_team

    team_id = setup_team(core.db, clock.now(), [{"id": "U01"}])
    with core.db.session() as s:
        from bot.deadlines.models import Team

        dl.create_sprint(s, s.get(Team, team_id), "Sprint 3", date(2027, 1, 11), date(2027, 2, 5))
    mine = ask(core, "Wanneer begint de volgende sprint?", user="U01")
    assert mine.entry_id == "volgende-sprint"
    assert "Krachtteam Bouw" in mine.reply.text and "Sprint 3" in mine.reply.text and "11-01-2027" in mine.reply.text
    assert "Sprint 2" in mine.reply.text and "31-12-2026" in mine.reply.text  # the one running now
    assert "Sprint 3" in (mine.reply.body or "")
    other = ask(core, "Wanneer begint de volgende sprint?", user="U99")  # in no team: the general answer only
    assert other.entry_id == "volgende-sprint" and "Krachtteam Bouw" not in other.reply.text


def test_the_next_sprint_says_so_when_none_is_planned(core: Core, clock: FrozenClock) -> None:
    from tests.deadline_helpers import setup_team

    setup_team(core.db, clock.now(), [{"id": "U01"}])
    answer = ask(core, "When does the next sprint start?", user="U01")
    assert answer.entry_id == "volgende-sprint" and answer.lang == "en"
    assert "no next sprint has been planned yet" in answer.reply.text
