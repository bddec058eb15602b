"""The curator loop: questions the bot could not answer well, for process supporters to act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlmodel import col, select

from bot.db import Database
from bot.models import AnswerFeedback, Question, UnansweredQuestion
from knowledge_base.kb import KnowledgeBase


@dataclass(frozen=True)
class OpenQuestion:
    """One question worth a look: unknown, too long, or an answer someone said did not help."""

    asked_at: datetime
    text: str
    reason: str  # unknown | off_topic | too_long | not_helpful
    status: str  # open | escalated | resolved
    entry_id: str | None  # the entry that did not help, for not_helpful
    suggested: str | None = None  # for unknown: the entry nearest to it now, where a new phrasing may go
    id: int = 0  # the question's id, to resolve it by

    def as_json(self) -> dict:
        """A JSON-friendly dict (ISO time)."""
        return {**asdict(self), "asked_at": self.asked_at.isoformat()}


RESOLVED = "resolved"


def open_questions(
    db: Database, since: datetime, limit: int = 100, kb: KnowledgeBase | None = None, resolved: bool = False
) -> list[OpenQuestion]:
    """Unanswered and not-helpful questions asked since `since`, newest first (no user ids, ever); resolved
    ones only when asked; with a knowledge base, each unknown one names the entry nearest to it."""
    found: dict[int, OpenQuestion] = {}
    with db.session() as s:
        unanswered = s.exec(
            select(Question, UnansweredQuestion)
            .join(UnansweredQuestion, col(UnansweredQuestion.question_id) == col(Question.id))
            .where(Question.asked_at >= since)
        ).all()
        for question, row in unanswered:
            found[question.id] = OpenQuestion(
                question.asked_at, question.text, row.reason, row.status, None, id=question.id
            )
        unhelpful = s.exec(
            select(Question)
            .join(AnswerFeedback, col(AnswerFeedback.question_id) == col(Question.id))
            .where(Question.asked_at >= since, col(AnswerFeedback.helpful).is_(False))
        ).all()
        for question in unhelpful:
            status = found[question.id].status if question.id in found else "open"
            found[question.id] = OpenQuestion(
                question.asked_at, question.text, "not_helpful", status, question.entry_id, id=question.id
            )
    kept = [q for q in found.values() if resolved or q.status != RESOLVED]
    newest = sorted(kept, key=lambda q: q.asked_at, reverse=True)[:limit]
    if kb is None:
        return newest
    return [
        replace(q, suggested=next(iter(kb.related(q.text, 1)), None)) if q.reason == "unknown" else q for q in newest
    ]


def resolve(db: Database, question_ids: list[int], now: datetime) -> tuple[list[int], list[int]]:
    """Mark questions as dealt with; returns (resolved, not found) ids. A not-helpful answer gets its row."""
    done, missing = [], []
    with db.session() as s:
        for question_id in question_ids:
            row = s.exec(select(UnansweredQuestion).where(UnansweredQuestion.question_id == question_id)).first()
            if row is None:
                unhelpful = s.exec(
                    select(AnswerFeedback).where(
                        AnswerFeedback.question_id == question_id, col(AnswerFeedback.helpful).is_(False)
                    )
                ).first()
                if unhelpful is None:
                    missing.append(question_id)
                    continue
                row = UnansweredQuestion(question_id=question_id, reason="not_helpful", created_at=now)
            row.status = RESOLVED
            s.add(row)
            done.append(question_id)
    return done, missing
