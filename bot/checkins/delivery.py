"""Sending check-ins: the sweep, prompts, reminders, "later", summaries, thread replies and blocker DMs.

Every send is guarded by a claim key written in the transaction that decides to send (see bot.scheduler):
prompts `checkin:prompt:{round}:{member}`, reminders `checkin:reminder:{round}:{member}`, summaries
`checkin:summary:{round}`, thread posts `checkin:thread:{answer}:{version}`, blocker DMs
`checkin:blocker:{answer}:{supporter}`. A failed delivery releases its claim, so a later sweep retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot import claims
from bot.calendar.workdays import is_working_day, local_day
from bot.chat.messenger import Messenger, MessengerError
from bot.chat.replies import MessageRef, Reply
from bot.checkins import messages as msg
from bot.checkins import store
from bot.checkins.base import CONVERSATION_TTL, SUMMARY_GRACE, CheckinBase
from bot.checkins.models import CheckinAnswer, CheckinRound
from bot.checkins.plan import PlannedPrompt, TeamInput, due_prompts, summary_moment, within_working_hours
from bot.checkins.setup import load_questions
from bot.clock import as_utc
from bot.deadlines.models import Team
from bot.people.models import Member

log = logging.getLogger(__name__)
AD_HOC_SUMMARY_AFTER = timedelta(hours=2)


class CheckinDelivery(CheckinBase):
    """Plans from the database at `now` and sends through the Messenger, exactly once per claim key."""

    # --- the sweep ------------------------------------------------------------------------------

    def teams(self, team_ids: list[int] | None = None) -> list[TeamInput]:
        """Teams with check-ins, for the planner."""
        with self.db.session() as s:
            return store.load_teams(s, self.holidays, team_ids)

    def sweep(self, now: datetime) -> dict[str, int]:
        """Send whatever is due at `now`; returns counts per kind (for logs and the benchmark)."""
        counts = {"prompts": 0, "reminders": 0, "later": 0, "summaries": 0, "threads": 0, "blockers": 0}
        if self.messenger is None:
            return counts
        teams = self.teams()
        due = due_prompts(teams, now)
        groups: dict[tuple[int, object], list[PlannedPrompt]] = {}
        for p in due:
            groups.setdefault((p.team.team_id, p.local_date), []).append(p)
        counts["prompts"] = sum(self.send_prompts(group, now) for group in groups.values())
        reminders: dict[tuple[int, object], list[PlannedPrompt]] = {}
        for p in due:
            if p.reminder_at and p.reminder_at <= now < p.summary_at:
                reminders.setdefault((p.team.team_id, p.local_date), []).append(p)
        counts["reminders"] = sum(self.send_reminders(group, now) for group in reminders.values())
        counts["later"] = self.send_later(now)
        counts["summaries"] = self.post_summaries(now)
        counts["threads"], counts["blockers"] = self.deliver_pending(now)
        return counts

    def deliver(self, key: str, send: Callable[[Messenger], MessageRef], target: str = "") -> MessageRef | None:
        """Send after a committed claim, mark it sent at once; on failure release the claim for a retry.

        A claim taken over from a dead worker is first looked up at `target` (DM user or channel; "" = do
        not look): if the message, stamped with its key (`claims.tagged`), arrived already it is only
        marked sent.
        """
        messenger = self.messenger
        try:
            if messenger is None:
                raise MessengerError("no messenger")
            with self.db.session() as s:
                again = bool(claims.resumed(s, [key]))
            found = again and target and claims.arrived(messenger, target, key)
            ref = MessageRef("", "") if found else send(messenger)
        except MessengerError:
            log.warning("check-in delivery %s failed; released for a retry", key.split(":")[1])
            with self.db.session() as s:
                claims.release(s, key)
            return None
        with self.db.session() as s:
            claims.mark_sent(s, key, ref.channel or None, ref.ts or None)
        return ref

    def prompt_now(self, team_id: int, now: datetime) -> int:
        """Ask a team's members now (a process supporter's `/lef checkin <team> nu`), on their working day."""
        teams = self.teams([team_id])
        if not teams:
            return 0
        team = replace(teams[0], schedule=replace(teams[0].schedule, enabled=True))
        group = []
        for member in team.members:
            day = local_day(member.calendar, now)
            if not is_working_day(member.calendar, day):
                continue
            summary_at = max(summary_moment(team, day), now + AD_HOC_SUMMARY_AFTER)
            group.append(PlannedPrompt(team, member, day, now, summary_at, None))
        by_day: dict[object, list[PlannedPrompt]] = {}
        for p in group:
            by_day.setdefault(p.local_date, []).append(p)
        return sum(self.send_prompts(g, now) for g in by_day.values())

    def send_prompts(self, group: list[PlannedPrompt], now: datetime) -> int:
        """One team's due prompts of one day: claim them in one transaction, send each, then record the sends."""
        first = group[0]
        with self.db.session() as s:
            rnd = store.get_or_create_round(s, first.team, first.local_date, first.summary_at, now)
            won = []
            keys = [f"checkin:prompt:{rnd.id}:{p.member.member_id}" for p in group]
            done = claims.claimed_keys(s, keys, now)
            for key, p in zip(keys, group, strict=True):
                if key in done:
                    continue
                if claims.claim(
                    s, key, now=now, kind="checkin_prompt", subject=p.member.user_id, local_day=p.local_date
                ):
                    won.append((key, p))
            if not won:
                return 0
            store.add_prompted(
                s, rnd.id, [(p.member.member_id, p.member.user_id) for _, p in won], now, CONVERSATION_TTL
            )
            round_id, questions = rnd.id, load_questions(rnd.questions)
        return self._send_batch(
            [
                (
                    key,
                    p.member.user_id,
                    msg.prompt_reply(p.team.name, p.member.name, round_id, questions, p.member.lang),
                )
                for key, p in won
            ]
        )

    def _send_batch(self, items: list[tuple[str, str, Reply]], channel: str = "", thread: str | None = None) -> int:
        """Send claimed messages (DMs, or posts in `channel`), each marked sent right after it went out.

        Failed ones are released for a retry; ones taken over from a dead worker are looked up first.
        """
        messenger, sent, failed = self.messenger, 0, []
        with self.db.session() as s:
            again = claims.resumed(s, [key for key, _, _ in items])
        for key, target, reply in items:
            try:
                if messenger is None:
                    raise MessengerError("no messenger")
                if key in again and claims.arrived(messenger, channel or target, key):
                    ref = MessageRef("", "")
                else:
                    tagged = claims.tagged(reply, key)
                    ref = (
                        messenger.post(channel, tagged, thread=thread) if channel else messenger.send_dm(target, tagged)
                    )
            except MessengerError:
                failed.append(key)
                continue
            with self.db.session() as s:
                claims.mark_sent(s, key, ref.channel or None, ref.ts or None)
            sent += 1
        if failed:
            with self.db.session() as s:
                for key in failed:
                    claims.release(s, key)
            log.warning("%d check-in message(s) failed; released for a retry", len(failed))
        return sent

    def send_reminders(self, group: list[PlannedPrompt], now: datetime) -> int:
        """One team's reminders of one day, for members who have not answered, skipped or said they are off."""
        first = group[0]
        with self.db.session() as s:
            rnd = s.exec(
                select(CheckinRound).where(
                    CheckinRound.team_id == first.team.team_id, CheckinRound.local_date == first.local_date
                )
            ).first()
            if rnd is None:
                return 0
            keys = {p.member.member_id: f"checkin:reminder:{rnd.id}:{p.member.member_id}" for p in group}
            done = claims.claimed_keys(s, list(keys.values()), now)
            waiting = {
                row.member_id
                for row in s.exec(
                    select(CheckinAnswer).where(
                        CheckinAnswer.round_id == rnd.id, col(CheckinAnswer.status).in_(("prompted", "later"))
                    )
                ).all()
            }
            questions, items = load_questions(rnd.questions), []
            for p in group:
                key = keys[p.member.member_id]
                if key in done or p.member.member_id not in waiting:
                    continue
                if not claims.claim(s, key, now=now, kind="checkin_reminder", subject=p.member.user_id):
                    continue
                summary = p.summary_at.astimezone(p.member.calendar.tz).strftime("%H:%M")
                step = self._step(s, p.member.user_id, rnd.id)
                reply = msg.reminder_reply(p.team.name, rnd.id, questions, step, summary, p.member.lang)
                items.append((key, p.member.user_id, reply))
        return self._send_batch(items) if items else 0

    def send_later(self, now: datetime) -> int:
        """Re-ask members who clicked "Later" an hour ago (only in their working hours)."""
        sent = 0
        with self.db.session() as s:
            rows = s.exec(
                select(CheckinAnswer, CheckinRound, Team, Member)
                .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
                .join(Team, col(Team.id) == col(CheckinRound.team_id))
                .join(Member, col(Member.id) == col(CheckinAnswer.member_id))
                .where(CheckinAnswer.status == "later", col(CheckinAnswer.later_at) <= now)
            ).all()
        for row, rnd, team, member in rows:
            cal = self._calendar(member)
            with self.db.session() as s:
                fresh = s.get(CheckinAnswer, row.id)
                key = f"checkin:later:{row.id}:{as_utc(row.later_at):%Y%m%d%H%M}"
                fresh.later_at = None
                s.add(fresh)
                if not within_working_hours(cal, now) or not claims.claim(
                    s, key, now=now, kind="checkin_later", subject=member.user_id
                ):
                    continue
                step = self._step(s, member.user_id, rnd.id)
            summary = as_utc(rnd.summary_at).astimezone(cal.tz).strftime("%H:%M")
            reply = msg.reminder_reply(team.name, rnd.id, load_questions(rnd.questions), step, summary, member.language)
            sent += self.deliver(key, _dm(member.user_id, reply, key), member.user_id) is not None
        return sent

    def post_summaries(self, now: datetime) -> int:
        """Post each due round's summary once, in the team channel (or to the supporters when there is none)."""
        with self.db.session() as s:
            due = s.exec(
                select(CheckinRound.id).where(
                    col(CheckinRound.summary_at) <= now,
                    col(CheckinRound.summary_at) > now - SUMMARY_GRACE,
                    col(CheckinRound.summary_ts).is_(None),
                )
            ).all()
        return sum(self.post_summary(round_id, now) for round_id in due)

    def post_summary(self, round_id: int, now: datetime) -> bool:
        """Claim, build and post one summary."""
        with self.db.session() as s:
            key = f"checkin:summary:{round_id}"
            if not claims.claim(s, key, now=now, kind="checkin_summary"):
                return False
            rnd = store.refresh_aggregates(s, round_id)
            team = s.get(Team, rnd.team_id)
            reply = self._summary(s, rnd, team)
            channel = team.channel
            supporters = [m.user_id for m in store.supporters_of(s, team.id)]
        if channel:
            # Not looked up after a take-over (the thread needs the summary's own ts): at most one may come twice.
            ref = self.deliver(key, lambda m: m.post(channel, claims.tagged(reply, key)))
        else:
            targets = supporters or sorted(self.settings.process_supporters)
            ref = self.deliver(  # sent in order: if the last DM arrived, all did
                key,
                lambda m: (
                    [m.send_dm(u, claims.tagged(reply, key)) for u in targets][-1] if targets else MessageRef("", "")
                ),
                targets[-1] if targets else "",
            )
        if ref is None:
            return False
        with self.db.session() as s:
            rnd = s.get(CheckinRound, round_id)
            rnd.summary_channel, rnd.summary_ts = (ref.channel, ref.ts) if channel else ("", "dm")
            s.add(rnd)
        return True

    def _summary(self, s: Session, rnd: CheckinRound, team: Team) -> Reply:
        rows = s.exec(
            select(CheckinAnswer, Member)
            .join(Member, col(Member.id) == col(CheckinAnswer.member_id))
            .where(CheckinAnswer.round_id == rnd.id)
            .order_by(col(Member.name))
        ).all()
        by_status: dict[str, list[str]] = {}
        blockers = []
        for row, member in rows:
            by_status.setdefault(row.status, []).append(member.name or member.user_id)
            if row.status == "answered" and row.blocker:
                blockers.append((member.name or member.user_id, row.blocker))
        return msg.summary_reply(
            team.name,
            rnd.local_date,
            self.settings.language,
            answered=rnd.answered,
            expected=rnd.expected,
            trend=store.confidence_trend(s, rnd),
            blockers=blockers,
            missing=by_status.get("prompted", []) + by_status.get("later", []),
            skipped=by_status.get("skipped", []),
            off=by_status.get("off", []),
        )

    def deliver_pending(self, now: datetime, round_id: int | None = None) -> tuple[int, int]:
        """Post new or edited answers in summary threads and DM open blockers, for summarised rounds."""
        summarised = col(CheckinRound.summary_ts).is_not(None)
        with self.db.session() as s:
            query = (
                select(CheckinAnswer.round_id, CheckinAnswer.id)
                .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
                .where(
                    summarised,
                    CheckinAnswer.status == "answered",
                    col(CheckinAnswer.version) > col(CheckinAnswer.posted_version),
                )
            )
            blocker_query = (
                select(CheckinAnswer.id)
                .join(CheckinRound, col(CheckinRound.id) == col(CheckinAnswer.round_id))
                .where(summarised, CheckinAnswer.blocker_status == "open", CheckinAnswer.status == "answered")
            )
            if round_id is not None:
                query = query.where(CheckinAnswer.round_id == round_id)
                blocker_query = blocker_query.where(CheckinAnswer.round_id == round_id)
            pending: dict[int, list[int]] = {}
            for rid, answer_id in s.exec(query).all():
                pending.setdefault(rid, []).append(answer_id)
            open_blockers = s.exec(blocker_query).all()
        threads = sum(self._post_threads(rid, ids, now) for rid, ids in pending.items())
        blockers = sum(self._send_blocker(answer_id, now) for answer_id in open_blockers)
        return threads, blockers

    def _post_threads(self, round_id: int, answer_ids: list[int], now: datetime) -> int:
        """Claim, post (or update, after an edit) and record one round's pending thread replies."""
        todo: list[tuple[str, int, int, str | None, Reply]] = []
        with self.db.session() as s:
            rnd = s.get(CheckinRound, round_id)
            questions, lang = load_questions(rnd.questions), self.settings.language
            channel, summary_ts = rnd.summary_channel or "", rnd.summary_ts or ""
            rows = s.exec(
                select(CheckinAnswer, Member)
                .join(Member, col(Member.id) == col(CheckinAnswer.member_id))
                .where(col(CheckinAnswer.id).in_(answer_ids))
                .order_by(col(Member.name))
            ).all()
            late = False
            for row, member in rows:
                key = f"checkin:thread:{row.id}:{row.version}"
                if not claims.claim(s, key, now=now, kind="checkin_thread", subject=row.user_id):
                    continue
                reply = msg.thread_reply(
                    member.name or member.user_id,
                    questions,
                    store.answers_list(row),
                    lang,
                    late=row.late,
                    edited=row.thread_ts is not None,
                )
                todo.append((key, row.id, row.version, row.thread_ts, reply))
                late = late or row.late
            summary = (
                self._summary(s, store.refresh_aggregates(s, round_id), s.get(Team, rnd.team_id)) if late else None
            )
        done, failed = [], []
        for key, answer_id, version, thread_ts, reply in todo:
            try:
                if not channel:
                    ref = MessageRef("", "")
                elif thread_ts:
                    self._require_messenger().update(MessageRef(channel, thread_ts), reply)
                    ref = MessageRef(channel, thread_ts)
                else:
                    ref = self._require_messenger().post(channel, claims.tagged(reply, key), thread=summary_ts)
            except MessengerError:
                failed.append(key)
                continue
            done.append(key)
            with self.db.session() as s:  # right after it went out, not at the end of the batch
                claims.mark_sent(s, key, ref.channel or None, ref.ts or None)
                row = s.get(CheckinAnswer, answer_id)
                row.posted_version = max(row.posted_version, version)
                row.thread_ts = row.thread_ts or (ref.ts or None)
                s.add(row)
        with self.db.session() as s:
            for key in failed:
                claims.release(s, key)
        if summary is not None and channel and done:
            try:
                self._require_messenger().update(MessageRef(channel, summary_ts), summary)
            except MessengerError:
                log.warning("updating a check-in summary after a late answer failed")
        return len(done)

    def _require_messenger(self) -> Messenger:
        messenger = self.messenger
        if messenger is None:
            raise MessengerError("no messenger")
        return messenger

    def _send_blocker(self, answer_id: int, now: datetime) -> int:
        with self.db.session() as s:
            row = s.get(CheckinAnswer, answer_id)
            rnd = s.get(CheckinRound, row.round_id)
            team = s.get(Team, rnd.team_id)
            member = s.get(Member, row.member_id)
            supporters = store.supporters_of(s, team.id)
            targets = [(m.user_id, m.language) for m in supporters] or [
                (u, self.settings.language) for u in sorted(self.settings.process_supporters)
            ]
            keys = []
            for user_id, lang in targets:
                key = f"checkin:blocker:{answer_id}:{user_id}"
                if claims.claim(s, key, now=now, kind="checkin_blocker", subject=user_id):
                    keys.append((key, user_id, lang))
            name, text, day = member.name or member.user_id, row.blocker or "", rnd.local_date
        sent = 0
        for key, user_id, lang in keys:
            reply = msg.blocker_reply(team.name, name, day, text, answer_id, lang)
            sent += self.deliver(key, _dm(user_id, reply, key), user_id) is not None
        return sent


def _dm(user_id: str, reply: Reply, key: str) -> Callable[[Messenger], MessageRef]:
    """Send `reply`, stamped with its claim key, as a DM to `user_id`."""
    return lambda m: m.send_dm(user_id, claims.tagged(reply, key))
