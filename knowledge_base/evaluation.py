"""Score a search function on the eval question set: top-1 on answerable, correct unknown on the rest."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge_base.search import Decision

DEFAULT_EVAL_PATH = Path(__file__).resolve().parent.parent / "tests" / "eval" / "questions.yaml"
# The last six are the voices of holdout4: short chat, long forum-style, regional, sprint, privacy, and
# in-scope-sounding questions that no entry answers (an honest unknown is right).
KINDS = (
    "paraphrase",
    "typo",
    "no_accent",
    "one_word",
    "english",
    "out_of_scope",
    "short",
    "long",
    "region",
    "sprint",
    "privacy",
    "gap",
)


@dataclass(frozen=True)
class Question:
    """One eval item: what a user types and which entry should answer (None: none should)."""

    q: str
    expect: str | None
    kind: str


@dataclass
class Report:
    """Outcomes of one run over the eval set."""

    answerable: int = 0
    top1: int = 0  # best candidate is the expected entry and the outcome is not unknown
    answered_right: int = 0  # outcome answer with the expected entry
    answered_wrong: int = 0  # outcome answer with another entry (on answerable questions)
    clarified: int = 0  # outcome clarify on answerable questions
    out_of_scope: int = 0
    unknown_right: int = 0  # out-of-scope questions that got unknown
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        """Share of answerable questions whose best candidate is right."""
        return self.top1 / self.answerable if self.answerable else 0.0

    @property
    def unknown_rate(self) -> float:
        """Share of out-of-scope questions answered with unknown."""
        return self.unknown_right / self.out_of_scope if self.out_of_scope else 0.0

    def latency(self, quantile: float) -> float:
        """Latency quantile in milliseconds."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] if ordered else 0.0


def load_questions(path: Path = DEFAULT_EVAL_PATH) -> list[Question]:
    """The eval items; raises ValueError on a malformed item."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: must be a list of {{q, expect, kind}}")
    questions = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or item.get("kind") not in KINDS:
            raise ValueError(f"{path}: item {i} must have a text q and a kind in {KINDS}: {item!r}")
        questions.append(Question(item["q"], item.get("expect"), item["kind"]))
    return questions


def evaluate(decide: Callable[[str], Decision], questions: list[Question]) -> Report:
    """Run every question through `decide` and count the outcomes."""
    report = Report()
    for question in questions:
        start = time.perf_counter()
        decision = decide(question.q)
        report.latencies.append(time.perf_counter() - start)
        best = decision.entry_id or (decision.candidates[0] if decision.candidates else None)
        if question.expect is None:
            report.out_of_scope += 1
            if decision.outcome == "unknown":
                report.unknown_right += 1
            else:
                report.failures.append(
                    f"[{question.kind}] {question.q!r}: expected unknown, got "
                    f"{decision.outcome} {best} ({decision.score:.2f})"
                )
            continue
        report.answerable += 1
        right = decision.outcome != "unknown" and best == question.expect
        report.top1 += right
        report.answered_right += decision.outcome == "answer" and right
        report.answered_wrong += decision.outcome == "answer" and not right
        report.clarified += decision.outcome == "clarify"
        if not right or decision.outcome != "answer":
            report.failures.append(
                f"[{question.kind}] {question.q!r}: expected {question.expect}, got "
                f"{decision.outcome} {list(decision.candidates)} ({decision.score:.2f})"
            )
    return report
