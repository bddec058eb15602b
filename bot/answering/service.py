"""Answering questions from the knowledge base: outcome, reply, logging, feedback and escalation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import col, select, update

from bot.answering import smalltalk
from bot.answering.language import guess_language
from bot.answering.models import AnswerFeedback, Question, UnansweredQuestion
from bot.answering.question_log import QuestionLog
from bot.chat.cleaning import clean_text
from bot.chat.messenger import Messenger, MessengerError
from bot.chat.replies import Button, Incoming, Link, Reply
from bot.clock import Clock
from bot.db import Database
from bot.deadlines.team_sprints import sprints_of
from bot.deadlines.teams import insert_ignore
from bot.people.privacy import pseudonym
from bot.texts import t
from knowledge_base.kb import KnowledgeBase
from knowledge_base.loader import Entry

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1500
STORED_TEXT_CHARS = 2000
NEXT_SPRINT_ENTRY = "volgende-sprint"  # answered with the asker's own teams' sprints above the entry
HOME_ZONE = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Answer:
    """What the bot did with one question."""

    outcome: str  # answer | clarify | unknown | smalltalk
    reply: Reply
    entry_id: str | None = None
    score: float = 0.0
    candidates: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    question_id: int | None = None
    lang: str = "nl"

    def as_json(self) -> dict:
        """The stable JSON shape of `lefbot ask --json`."""
        return {
            "outcome": self.outcome,
            "answer": self.reply.text,
            "entry": self.entry_id,
            "score": round(self.score, 4),
            "candidates": list(self.candidates),
            "sources": list(self.sources),
        }


class AnsweringService:
    """Answers questions, stores what was asked (pseudonymised) and handles feedback."""

    def __init__(
        self,
        kb: KnowledgeBase,
        db: Database,
        clock: Clock,
        secret_key: str,
        default_lang: str = "nl",
        support_channel: str = "",
        messenger: Messenger | None = None,
    ) -> None:
        self.kb = kb
        self.db = db
        self.clock = clock
        self.secret_key = secret_key
        self.default_lang = default_lang
        self.support_channel = support_channel
        self.messenger = messenger
        self.questions = QuestionLog(db)
        self.record = True  # False for evaluation runs: nothing goes into the question log

    def ask(self, incoming: Incoming, lang: str | None = None) -> Answer:
        """Answer one question and record it."""
        text = clean_text(incoming.text)
        lang = lang or guess_language(text, self.default_lang)
        if not text:
            return Answer("smalltalk", Reply(t("answer.empty", lang)), lang=lang)
        kind = smalltalk.classify(text)
        if kind == "help":
            return Answer("smalltalk", self.help_reply(lang), lang=lang)
        if kind:
            return Answer("smalltalk", Reply(t(f"smalltalk.{kind}", lang)), lang=lang)
        if len(text) > MAX_QUESTION_CHARS:
            reply = Reply(t("answer.too_long", lang, count=len(text)))
            question_id = self._record(incoming, text, lang, "unknown", None, 0.0, reason="too_long")
            return Answer("unknown", reply, question_id=question_id, lang=lang)
        query = smalltalk.strip_greeting(text)
        decision = self.kb.decide(query)
        entries = self.kb.entries
        if decision.outcome == "answer" and decision.entry_id in entries:
            entry = entries[decision.entry_id]
            question_id = self._record(incoming, text, lang, "answer", entry.id, decision.score)
            return Answer(
                "answer",
                self.entry_reply(entry, question_id, lang, self._personal(entry.id, incoming.user_id, lang)),
                entry.id,
                decision.score,
                decision.candidates,
                tuple(s.url for s in entry.sources),
                question_id,
                lang,
            )
        candidates = tuple(c for c in decision.candidates if c in entries)[:3]
        if decision.outcome == "clarify" and candidates:
            question_id = self._record(incoming, text, lang, "clarify", None, decision.score)
            return Answer(
                "clarify",
                self._clarify_reply([entries[c] for c in candidates], question_id, lang),
                None,
                decision.score,
                candidates,
                (),
                question_id,
                lang,
            )
        off_topic = self.kb.off_topic.get(decision.off_topic or "")
        reason = "off_topic" if off_topic else "unknown"
        question_id = self._record(incoming, text, lang, "unknown", None, decision.score, reason=reason)
        if off_topic:  # the question is about something else: say what, and suggest no topics of ours
            reply = self._unknown_reply(question_id, lang, [], t("answer.off_topic", lang, label=off_topic.label(lang)))
            return Answer("unknown", reply, None, decision.score, (), (), question_id, lang)
        related = tuple(r for r in self.kb.index.suggestions(query) if r in entries)
        reply = self._unknown_reply(question_id, lang, [entries[r] for r in related])
        return Answer("unknown", reply, None, decision.score, related, (), question_id, lang)

    def help_reply(self, lang: str, command_lines: list[str] | None = None) -> Reply:
        """What the bot can do; adapters add the command list."""
        body = t("help.intro", lang)
        if command_lines:
            body += f"\n\n**{t('help.commands', lang)}**\n" + "\n".join(command_lines)
        return Reply(text=f"{t('help.title', lang)}\n{body}", title=t("help.title", lang), body=body)

    def entry_reply(self, entry: Entry, question_id: int | None, lang: str, lead: str = "") -> Reply:
        """The answer message for one entry, with sources, review date and feedback buttons; `lead` is
        personal information put above the entry's text."""
        sources = tuple(Link(s.title, s.url) for s in entry.sources)
        context = t("answer.reviewed", lang, date=entry.reviewed.strftime("%d-%m-%Y"), owner=entry.owner)
        buttons: tuple[Button, ...] = ()
        if question_id is not None:
            value = str(question_id)
            buttons = (
                Button(t("answer.helpful_yes", lang), "answer_helpful", value, "primary"),
                Button(t("answer.helpful_no", lang), "answer_not_helpful", value),
            )
        source_text = "\n".join(f"- {s.title}: {s.url}" for s in sources)
        body = f"{lead}\n\n{entry.body}" if lead else entry.body
        text = f"{entry.title}\n\n{body}"
        if source_text:
            text += f"\n\n{t('answer.sources', lang)}:\n{source_text}"
        return Reply(
            text=text,
            title=entry.title,
            body=body,
            sources=sources,
            context=context,
            buttons=buttons,
            meta={"entry": entry.id, "question_id": str(question_id or "")},
        )

    def _clarify_reply(self, entries: list[Entry], question_id: int, lang: str) -> Reply:
        choices = tuple(Button(e.title, "answer_choose", f"{question_id}:{e.id}") for e in entries)
        lines = "\n".join(f"{i}. {e.title}" for i, e in enumerate(entries, 1))
        return Reply(
            text=f"{t('answer.clarify', lang)}\n{lines}",
            body=t("answer.clarify", lang),
            choices=choices,
            buttons=(Button(t("answer.clarify_none", lang), "answer_escalate", str(question_id)),),
            meta={"question_id": str(question_id)},
        )

    def _unknown_reply(self, question_id: int, lang: str, related: list[Entry], text: str = "") -> Reply:
        """Say honestly that the bot does not know (`text`, else the usual words); offer a person, and
        topics that share words with the question."""
        text = text or t("answer.unknown", lang)
        choices = tuple(Button(e.title, "answer_choose", f"{question_id}:{e.id}") for e in related)
        if choices:
            text += f"\n\n{t('answer.unknown_related', lang)}"
            body = text
            text += "\n" + "\n".join(f"{i}. {e.title}" for i, e in enumerate(related, 1))
        else:
            body = text
        return Reply(
            text=text,
            body=body,
            choices=choices,
            buttons=(Button(t("answer.escalate", lang), "answer_escalate", str(question_id), "primary"),),
            meta={"question_id": str(question_id)},
        )

    def _record(
        self,
        incoming: Incoming,
        text: str,
        lang: str,
        outcome: str,
        entry_id: str | None,
        score: float,
        reason: str | None = None,
    ) -> int | None:
        if not self.record:
            return None
        now = self.clock.now()
        with self.db.session() as s:
            question = Question(
                asked_at=now,
                text=text[:STORED_TEXT_CHARS],
                language=lang,
                entry_id=entry_id,
                score=float(score),
                outcome=outcome,
                channel_kind=incoming.channel_kind,
                asker=pseudonym(self.secret_key, incoming.user_id),
            )
            s.add(question)
            s.flush()
            if reason:
                s.add(UnansweredQuestion(question_id=question.id, reason=reason, created_at=now))
            question_id = question.id
        log.info("question %s outcome=%s entry=%s score=%.2f", question_id, outcome, entry_id, score)
        return question_id

    def _own_question(self, question_id: int, user_id: str) -> Question | None:
        self.questions.flush()  # the question may still be on its way to the database
        with self.db.session() as s:
            question = s.get(Question, question_id)
        if question is None or question.asker != pseudonym(self.secret_key, user_id):
            return None
        return question

    def choose(self, question_id: int, entry_id: str, user_id: str, lang: str) -> Reply:
        """The asker picked one of the "Bedoelde je...?" candidates."""
        question = self._own_question(question_id, user_id)
        entry = self.kb.entries.get(entry_id)
        if question is None or entry is None:
            return Reply(t("answer.not_yours" if entry else "answer.gone", lang), private=True)
        with self.db.session() as s:
            stored = s.get(Question, question_id)
            stored.entry_id = entry.id
            stored.outcome = "answer"
        return self.entry_reply(entry, question_id, lang, self._personal(entry.id, user_id, lang))

    def _personal(self, entry_id: str, user_id: str, lang: str) -> str:
        """Lines about the asker's own situation for entries that have them (the next sprint), else ""."""
        if entry_id != NEXT_SPRINT_ENTRY or not user_id:
            return ""
        today = self.clock.now().astimezone(HOME_ZONE).date()
        with self.db.session() as s:
            teams = sprints_of(s, user_id, today)
            lines = []
            for team in teams:
                if team.current is not None:
                    end = team.current.end.strftime("%d-%m-%Y")
                    lines.append(t("answer.sprint_current", lang, team=team.team, sprint=team.current.name, end=end))
                if team.upcoming is not None:
                    start = team.upcoming.start.strftime("%d-%m-%Y")
                    lines.append(t("answer.sprint_next", lang, team=team.team, sprint=team.upcoming.name, start=start))
                else:
                    lines.append(t("answer.sprint_none", lang, team=team.team))
        return "\n".join([t("answer.sprints_intro", lang), *lines]) if lines else ""

    def feedback(self, question_id: int, helpful: bool, user_id: str, lang: str) -> Reply:
        """Store whether an answer helped (the asker only; a second click changes the verdict)."""
        if self._own_question(question_id, user_id) is None:
            return Reply(t("answer.not_yours", lang), private=True)
        now = self.clock.now()
        with self.db.session() as s:  # two clicks at once: one row, the last verdict wins
            fresh = {"question_id": question_id, "helpful": helpful, "created_at": now}
            insert_ignore(s, AnswerFeedback.__table__, [fresh], ["question_id"])
            row = s.exec(select(AnswerFeedback).where(AnswerFeedback.question_id == question_id)).one()
            row.helpful = helpful
            row.created_at = now
        if helpful:
            return Reply(t("answer.thanks_yes", lang))
        return Reply(
            t("answer.thanks_no", lang),
            buttons=(Button(t("answer.escalate", lang), "answer_escalate", str(question_id), "primary"),),
        )

    def escalate(self, question_id: int, user_id: str, lang: str, where: str = "", link: str | None = None) -> Reply:
        """Pass a question on to the process supporters' channel, once."""
        question = self._own_question(question_id, user_id)
        if question is None:
            return Reply(t("answer.not_yours", lang), private=True)
        if not self.support_channel or self.messenger is None:
            return Reply(t("answer.escalate_unavailable", lang))
        now = self.clock.now()
        with self.db.session() as s:  # two clicks at once: one row, and only the click that marks it posts
            fresh = {"question_id": question_id, "reason": "not_helpful", "status": "open", "created_at": now}
            insert_ignore(s, UnansweredQuestion.__table__, [fresh], ["question_id"])
            mine = (UnansweredQuestion.question_id == question_id, col(UnansweredQuestion.escalated_at).is_(None))
            marked = update(UnansweredQuestion).where(*mine).values(status="escalated", escalated_at=now,
                                                                   escalation_link=link)  # fmt: skip
            if not s.exec(marked).rowcount:
                row = s.exec(select(UnansweredQuestion).where(UnansweredQuestion.question_id == question_id)).one()
                when = row.escalated_at.strftime("%d-%m-%Y %H:%M") if row.escalated_at else ""
                return Reply(t("answer.escalated_already", lang, date=when))
        text = t(
            "answer.escalation_post",
            self.default_lang,
            question=question.text,
            where=where or question.channel_kind,
            link=f"\n{link}" if link else "",
        )
        try:
            self.messenger.post(self.support_channel, Reply(text=text))
        except MessengerError:
            with self.db.session() as s:
                row = s.exec(select(UnansweredQuestion).where(UnansweredQuestion.question_id == question_id)).one()
                row.status, row.escalated_at = "open", None
            raise
        return Reply(t("answer.escalated", lang))
