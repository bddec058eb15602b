"""Answering check-ins: the DM conversation, the form, submissions, and the prompt's buttons."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session, select

from bot import claims
from bot.calendar.workdays import local_day
from bot.chat.forms import Form, FormField
from bot.chat.replies import Reply
from bot.checkins import messages as msg
from bot.checkins import store
from bot.checkins.answer_checks import MAX_ANSWER, check_answer, needs_defusing
from bot.checkins.base import CONVERSATION_TTL, FORM_ID, LATER, STOP_WORDS, SUMMARY_GRACE, CheckinBase, Submitted
from bot.checkins.models import CheckinAnswer, CheckinConversation, CheckinRound
from bot.checkins.plan import within_working_hours
from bot.checkins.setup import Question, load_questions
from bot.clock import as_utc
from bot.deadlines.models import Team
from bot.people.models import Member, OutOfOffice
from bot.texts import UserError, t

R = TypeVar("R")


def _refused_privately(method: Callable[..., R]) -> Callable[..., R | Reply]:
    """A button on a round that is gone or not the user's gets the refusal as a private reply."""

    @functools.wraps(method)
    def wrapper(self: object, user_id: str, round_id: int, lang: str, *args: object, **kwargs: object) -> R | Reply:
        try:
            return method(self, user_id, round_id, lang, *args, **kwargs)
        except UserError as exc:
            return Reply(exc.message(lang), private=True)

    return wrapper


class CheckinAnswering(CheckinBase):
    """Stores answers (one per member per round, committed before acknowledging) and handles the buttons.

    Mixed with CheckinDelivery into CheckinService, which provides `deliver` and `deliver_pending`.
    """

    def _context(self, s: Session, user_id: str, round_id: int) -> tuple[CheckinRound, Member, CheckinAnswer]:
        """The round, member and row for a user acting on a round; UserError when it is gone or not theirs."""
        rnd = s.get(CheckinRound, round_id)
        member = store.member_by_user(s, user_id)
        if rnd is None:
            raise UserError("checkins.error.round_gone")
        if member is None:
            raise UserError("checkins.error.not_yours")
        row = store.answer_of(s, round_id, member.id)
        if row is None:
            from bot.deadlines.models import TeamMember

            if not s.exec(
                select(TeamMember).where(TeamMember.team_id == rnd.team_id, TeamMember.member_id == member.id)
            ).first():
                raise UserError("checkins.error.not_yours")
            row = store.ensure_answer_row(s, round_id, member.id, user_id, self.clock.now())
        return rnd, member, row

    def lang_of(self, user_id: str, fallback: str) -> str:
        """A member's language, or `fallback` for unknown users."""
        with self.db.session() as s:
            member = store.member_by_user(s, user_id)
        return member.language if member and member.language else fallback

    def on_dm(self, user_id: str, text: str) -> Reply | None:
        """A direct message while a check-in conversation is open: take it as the next answer; else None."""
        now = self.clock.now()
        with self.db.session() as s:
            conv = s.get(CheckinConversation, user_id)
            if conv is None or text.strip().startswith("/"):
                return None
            if now - as_utc(conv.updated_at) > CONVERSATION_TTL:
                s.delete(conv)
                return None
            rnd = s.get(CheckinRound, conv.round_id)
            member = store.member_by_user(s, user_id)
            lang = member.language if member else self.settings.language
            if text.strip().lower() in STOP_WORDS:
                s.delete(conv)
                return Reply(t("checkins.stopped", lang))
            questions = load_questions(rnd.questions)
            step = min(conv.step, len(questions) - 1)
            checked = check_answer(questions[step], text, lang)
            if checked.error:
                return msg.question_reply(questions, step, lang, checked.error)
            draft = json.loads(conv.draft or "[]")[:step] + [checked.value or ""]
            if step + 1 < len(questions):
                conv.step, conv.draft, conv.updated_at = step + 1, json.dumps(draft, ensure_ascii=False), now
                s.add(conv)
                return msg.question_reply(questions, step + 1, lang)
            round_id = rnd.id
        reply = self.submit(user_id, round_id, dict(zip(self.field_ids(questions), draft, strict=False)), lang).reply
        return self._continue_with_next(user_id, reply, lang, now)

    def _continue_with_next(self, user_id: str, reply: Reply | None, lang: str, now: datetime) -> Reply | None:
        """After one check-in is answered in the DM, go on with another open one (a member of two teams)."""
        with self.db.session() as s:
            next_round = store.next_open_round(s, user_id, now - SUMMARY_GRACE)
            if next_round is None or reply is None:
                return reply
            rnd = s.get(CheckinRound, next_round)
            team = s.get(Team, rnd.team_id)
            self._start_conversation(s, user_id, next_round, now)
            question = msg.question_reply(load_questions(rnd.questions), 0, lang)
        text = f"{reply.text}\n\n{t('checkins.next_team', lang, team=team.name)}\n{question.text}"
        return Reply(text, body=text, buttons=reply.buttons)

    @staticmethod
    def field_ids(questions: tuple[Question, ...]) -> list[str]:
        """Stable field ids of a round's questions: q0, q1, …"""
        return [f"q{i}" for i in range(len(questions))]

    @_refused_privately
    def form(self, user_id: str, round_id: int, lang: str) -> Form | Reply:
        """The form (Slack: modal) for a round, filled with earlier answers; a Reply when not allowed."""
        with self.db.session() as s:
            found = self._context(s, user_id, round_id)
            rnd, member, row = found
            lang = member.language or lang
            questions, answers = load_questions(rnd.questions), store.answers_list(row)
        fields = tuple(
            FormField(
                fid,
                q.text(lang),
                "scale" if q.kind == "confidence" else "text",
                answers[i] if i < len(answers) else "",
                q.kind not in ("blocker",),
                MAX_ANSWER,
                t("checkins.q.blocker_hint", lang) if q.kind == "blocker" else "",
            )
            for i, (fid, q) in enumerate(zip(self.field_ids(questions), questions, strict=True))
        )
        return Form(
            FORM_ID,
            t("checkins.modal.title", lang),
            t("checkins.modal.submit", lang),
            t("checkins.modal.close", lang),
            fields,
            str(round_id),
        )

    def submit(self, user_id: str, round_id: int, values: dict[str, str], lang: str) -> Submitted:
        """Store a member's answers once (a duplicate changes nothing); committed before this returns."""
        now = self.clock.now()
        with self.db.session() as s:
            try:
                found = self._context(s, user_id, round_id)
            except UserError as exc:
                return Submitted({"_": exc.message(lang)}, Reply(exc.message(lang), private=True))
            rnd, member, row = found
            lang = member.language or lang
            questions = load_questions(rnd.questions)
            answers, errors, confidence, blocker = [], {}, None, None
            for fid, question in zip(self.field_ids(questions), questions, strict=True):
                checked = check_answer(question, values.get(fid, ""), lang)
                if checked.error:
                    errors[fid] = checked.error
                answers.append(checked.value or "")
                if question.kind == "confidence" and checked.value:
                    confidence = int(checked.value)
                if question.kind == "blocker" and checked.value:
                    blocker = checked.value
            if errors:
                return Submitted(errors)
            encoded = json.dumps(answers, ensure_ascii=False)
            conv = s.get(CheckinConversation, user_id)
            if conv is not None and conv.round_id == round_id:
                s.delete(conv)
            if row.status == "answered" and row.answers == encoded:
                return Submitted(reply=Reply(t("checkins.unchanged", lang)))
            first = row.status != "answered"
            summarised = rnd.summary_ts is not None
            row.status, row.answers, row.confidence, row.later_at = "answered", encoded, confidence, None
            if blocker and (row.blocker_status is None or row.blocker != blocker):
                row.blocker_status = row.blocker_status or "open"
            if not blocker:
                row.blocker_status = None
            row.blocker = blocker
            row.submitted_at = row.submitted_at or now
            row.late = row.late or (first and summarised)
            row.version += 1
            s.add(row)
            s.flush()
            store.refresh_aggregates(s, rnd.id)
        if summarised:
            self.deliver_pending(now, round_id)
        key = "checkins.thanks" if not first else "checkins.thanks_late" if summarised else "checkins.thanks"
        text = t("checkins.updated", lang) if not first else t(key, lang)
        if any(needs_defusing(a) for a in answers):
            text += "\n" + t("checkins.defused", lang)
        return Submitted(reply=Reply(text, body=text, buttons=msg.prompt_buttons(round_id, lang, answered=True)))

    # --- buttons --------------------------------------------------------------------------------

    @_refused_privately
    def start_in_dm(self, user_id: str, round_id: int, lang: str) -> Reply:
        """ "Invullen" without a form (console, DMs): ask the first question; earlier answers can be replaced."""
        with self.db.session() as s:
            found = self._context(s, user_id, round_id)
            rnd, member, _row = found
            self._start_conversation(s, user_id, round_id, self.clock.now())
            return msg.question_reply(load_questions(rnd.questions), 0, member.language or lang)

    @_refused_privately
    def later(self, user_id: str, round_id: int, lang: str) -> Reply:
        """ "Later (over 1 uur)": ask again in an hour, if that is still in working hours."""
        now = self.clock.now()
        with self.db.session() as s:
            found = self._context(s, user_id, round_id)
            rnd, member, row = found
            lang = member.language or lang
            cal = self._calendar(member)
            summary = as_utc(rnd.summary_at).astimezone(cal.tz).strftime("%H:%M")
            if row.status == "answered":
                return Reply(t("checkins.unchanged", lang))
            if not within_working_hours(cal, now + LATER):
                return Reply(t("checkins.later.too_late", lang, summary=summary))
            row.status, row.later_at = "later", now + LATER
            s.add(row)
            return Reply(t("checkins.later.ok", lang, time=(now + LATER).astimezone(cal.tz).strftime("%H:%M")))

    @_refused_privately
    def skip(self, user_id: str, round_id: int, lang: str, off: bool = False) -> Reply:
        """ "Vandaag overslaan" or "Ik ben vrij" (which also notes the day as out-of-office for nudges)."""
        now = self.clock.now()
        with self.db.session() as s:
            found = self._context(s, user_id, round_id)
            rnd, member, row = found
            lang = member.language or lang
            if row.status == "answered" and not off:
                return Reply(t("checkins.unchanged", lang))
            row.status, row.later_at = ("off" if off else "skipped"), None
            s.add(row)
            conv = s.get(CheckinConversation, user_id)
            if conv is not None:
                s.delete(conv)
            if off:
                today = local_day(self._calendar(member), now)
                s.add(OutOfOffice(member_id=member.id, start=today, end=today))
            s.flush()
            store.refresh_aggregates(s, rnd.id)
        return Reply(t("checkins.off.ok" if off else "checkins.skip.ok", lang))

    def pickup(self, user_id: str, answer_id: int, lang: str) -> tuple[Reply, bool]:
        """ "Ik pak het op": the first supporter to click owns the blocker; the member hears who. (reply, won)"""
        now = self.clock.now()
        with self.db.session() as s:
            row = s.get(CheckinAnswer, answer_id)
            if row is None or not row.blocker:
                return Reply(t("checkins.error.round_gone", lang), private=True), False
            rnd = s.get(CheckinRound, row.round_id)
            if not store.is_supporter(s, user_id, rnd.team_id, self.settings.process_supporters):
                return Reply(t("checkins.pickup.not_allowed", lang), private=True), False
            if row.blocker_status == "picked":
                who = store.member_by_user(s, row.picked_by or "")
                name = who.name if who and who.name else row.picked_by or "?"
                return Reply(t("checkins.pickup.already", lang, name=name)), False
            row.blocker_status, row.picked_by, row.picked_at = "picked", user_id, now
            s.add(row)
            supporter = store.member_by_user(s, user_id)
            member = s.get(Member, row.member_id)
            key = f"checkin:pickup:{answer_id}"
            claims.claim(s, key, now=now, kind="checkin_pickup", subject=member.user_id)
            notice = Reply(
                t(
                    "checkins.pickup.member",
                    member.language or "nl",
                    supporter=(supporter.name if supporter and supporter.name else user_id),
                    text=row.blocker,
                )
            )
            member_user, member_name = member.user_id, member.name or member.user_id
        self.deliver(key, lambda m: m.send_dm(member_user, notice))
        return Reply(t("checkins.pickup.done", lang, name=member_name)), True
