"""The question log written in the background: ids given at once, rows stored in batches, readers see them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import func, select

from bot.commands import CommandContext
from bot.config import load_settings
from bot.core import Core
from bot.models import Question, UnansweredQuestion
from bot.replies import Incoming
from tests.fakes.clock import FrozenClock


@pytest.fixture
def core(env: dict[str, str], clock: FrozenClock) -> Iterator[Core]:
    core = Core(load_settings(env, dotenv=False), clock=clock)
    core.answering.questions.start()
    yield core
    core.answering.questions.close()


def count(core: Core, model: type) -> int:
    with core.db.session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_questions_get_distinct_ids_at_once_and_are_all_stored_after_a_flush(core: Core) -> None:
    answers = [core.ask(Incoming(f"U{i}", "Wat is een krachtteam?", "C1", "channel")) for i in range(120)]
    unknown = core.ask(Incoming("U0", "Hoeveel kost een fiets in Utrecht?", "C1", "channel"))
    ids = [a.question_id for a in [*answers, unknown]]
    assert None not in ids and len(set(ids)) == len(ids)
    core.answering.questions.flush()
    with core.db.session() as s:
        stored = {q.id: q for q in s.exec(select(Question))}
        marks = list(s.exec(select(UnansweredQuestion)))
    assert set(stored) == set(ids)
    assert stored[ids[0]].entry_id == answers[0].entry_id and stored[ids[0]].outcome == answers[0].outcome
    assert [m.question_id for m in marks] == [unknown.question_id]


def test_closing_stores_what_is_queued(core: Core) -> None:
    answer = core.ask(Incoming("U1", "Wat is een sprint?", "C1", "channel"))
    core.answering.questions.close()
    with core.db.session() as s:
        assert s.get(Question, answer.question_id) is not None


def test_feedback_and_erasure_right_after_asking_see_the_question(core: Core) -> None:
    answer = core.ask(Incoming("U1", "Wat is een krachtteam?", "D1", "dm"))
    thanks = core.click(CommandContext("U1"), "answer_helpful", str(answer.question_id))
    assert "Alleen" not in thanks.reply.text
    core.ask(Incoming("U1", "Wat is een sprint?", "D1", "dm"))
    button = core.command(CommandContext("U1", lang="nl"), "vergeet mij").buttons[0]
    core.click(CommandContext("U1", lang="nl"), button.action_id, button.value)
    core.answering.questions.flush()
    assert count(core, Question) == 0


def test_ids_continue_after_a_restart(env: dict[str, str], clock: FrozenClock) -> None:
    first = Core(load_settings(env, dotenv=False), clock=clock)
    first.answering.questions.start()
    before = first.ask(Incoming("U1", "Wat is een sprint?", "C1", "channel")).question_id
    first.answering.questions.close()
    second = Core(load_settings(env, dotenv=False), clock=clock)
    second.answering.questions.start()
    after = second.ask(Incoming("U1", "Wat is een sprint?", "C1", "channel")).question_id
    second.answering.questions.close()
    assert before is not None and after is not None and after > before
    assert count(second, Question) == 2
