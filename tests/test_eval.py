"""The eval set against the bundled knowledge base: top-1 on answerable questions, unknown on the rest."""

from __future__ import annotations

import pytest

from knowledge_base.evaluation import DEFAULT_EVAL_PATH, evaluate, load_questions
from knowledge_base.kb import build_index
from knowledge_base.loader import DEFAULT_KB_PATH, load_entries

TOP1_TARGET = 0.95
UNKNOWN_TARGET = 0.90


def test_eval_set_meets_the_targets() -> None:
    questions = load_questions(DEFAULT_EVAL_PATH)  # a missing eval file fails here: it is not skipped
    index = build_index(DEFAULT_KB_PATH)
    report = evaluate(index.decide, questions)
    print(
        f"\ntop-1 {report.top1_rate:.1%} of {report.answerable} answerable "
        f"(answered right {report.answered_right}, answered wrong {report.answered_wrong}, "
        f"clarify {report.clarified}); out-of-scope unknown {report.unknown_rate:.1%} of {report.out_of_scope}"
    )
    print("\n".join(report.failures))
    assert report.top1_rate >= TOP1_TARGET
    assert report.unknown_rate >= UNKNOWN_TARGET


EVAL_SETS = ("questions", "dev", "dev2", "holdout", "holdout2", "holdout3")


@pytest.mark.parametrize("name", EVAL_SETS)
def test_every_expected_entry_exists(name: str) -> None:
    ids = {entry.id for entry in load_entries(DEFAULT_KB_PATH)}
    questions = load_questions(DEFAULT_EVAL_PATH.with_name(f"{name}.yaml"))
    assert questions and sorted({q.expect for q in questions if q.expect} - ids) == []
