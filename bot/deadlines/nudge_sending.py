"""Sending nudges: what is due goes out once, from a plan kept in memory per process and batched claims.

Of several due nudges for one owner and deadline only the latest is sent; the rest is recorded as skipped.
The claim (unique key) is written in the transaction that decides to send; a failed delivery releases it
so the next sweep tries again.

The plan is rebuilt only when its inputs changed.

Per sweep with nothing new: one query for the plan version, then only the nudges whose moment has
passed are looked at (the pending list is sorted by moment). A changed version (any write to teams,
members, deadlines, owners, snoozes, away periods; see `plan_version`) or a new day reloads the inputs
and re-plans only the deadlines whose inputs differ (fingerprints). Claims, cap slots and sent-marks are
written with one multi-row statement per batch; the unique keys keep every nudge exactly-once across
threads, processes and restarts, as before.

Failed deliveries back off per nudge (BACKOFF, then every BACKOFF[-1]); after MAX_ATTEMPTS the claim is
kept as `failed` and the nudge is given up, as it is when it is no longer relevant.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from bot import claims
from bot.chat.messenger import MessengerError
from bot.claims import Claim
from bot.deadlines import plan_version
from bot.deadlines.models import Deadline, DeliveryFailure
from bot.deadlines.nudge_messages import render_nudge
from bot.deadlines.nudge_plan import (
    BATCH,
    LOOKAHEAD,
    OVERDUE_RELEVANT,
    Nudge,
    PlanContext,
    PlanEntry,
    build_plan,
    is_due,
    load,
    owner_names,
    plan_entries,
    relevant,
)
from bot.ports import CoreServices

log = logging.getLogger(__name__)

REBUILD_EVERY = timedelta(days=7)  # also when nothing changed: new deadlines enter the look-ahead
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
MAX_ATTEMPTS = 8
CAPPED_KINDS = ("before", "day", "overdue")


@dataclass
class SweepResult:
    """What one sweep did."""

    sent: int = 0
    skipped: int = 0
    capped: int = 0
    failed: int = 0
    lost_race: int = 0
    backed_off: int = 0
    given_up: int = 0
    confirmed: int = 0  # taken over from a dead owner and found on the platform already: marked sent, not re-sent


def backoff(attempts: int) -> timedelta:
    """How long to wait after `attempts` consecutive failures."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def expired(nudge: Nudge, now: datetime) -> bool:
    """Never to be sent any more: planned before the deadline's last change, or no longer relevant."""
    return nudge.send_at < nudge.planned_from or (nudge.send_at <= now and not relevant(nudge, now))


@dataclass
class PlanCache:
    """One process's plan: per deadline (fingerprint, nudges), the pending nudges by moment, known claims."""

    version: int | None = None
    built_at: datetime | None = None
    entries: dict[int, PlanEntry] = field(default_factory=dict)
    pending: list[Nudge] = field(default_factory=list)
    handled: set[str] = field(default_factory=set)
    retry_at: dict[str, datetime] = field(default_factory=dict)
    owners_text: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stale(self, version: int, now: datetime) -> bool:
        """True when the inputs changed, the day moved on, or the clock went back."""
        built = self.built_at
        return self.version != version or built is None or not built <= now < built + REBUILD_EVERY

    def rebuild(self, session: Session, ctx: PlanContext, version: int, now: datetime) -> None:
        """Reload the inputs, re-plan changed deadlines, and learn which due nudges are claimed already."""
        data = load(
            session, due_from=now - OVERDUE_RELEVANT - timedelta(days=3), due_until=now + LOOKAHEAD + REBUILD_EVERY
        )
        self.entries = plan_entries(data, ctx, self.entries)
        plan = [n for _, nudges in self.entries.values() for n in nudges]
        self.handled &= {n.key for n in plan}
        past = [n.key for n in plan if n.send_at <= now and n.key not in self.handled]
        settled, leased = claims.lease_states(session, past, now)
        self.handled |= settled
        self.pending = sorted((n for n in plan if n.key not in self.handled and not expired(n, now)), key=_moment)
        self.owners_text = owner_names(plan)
        table = DeliveryFailure.__table__
        rows = session.execute(sa.select(table.c.key, table.c.next_at).where(table.c.next_at > now)).all()
        self.retry_at = {key: next_at for key, next_at in rows}
        self.retry_at.update(leased)  # another process holds these: look again when its lease runs out
        self.version, self.built_at = version, now
        log.info("nudge plan rebuilt: %d deadlines, %d pending", len(self.entries), len(self.pending))

    def passed(self, now: datetime) -> list[Nudge]:
        """Pending nudges whose moment has passed; expired ones are dropped for good."""
        end = 0
        while end < len(self.pending) and self.pending[end].send_at <= now:
            end += 1
        head = [n for n in self.pending[:end] if not expired(n, now)]
        self.pending[:end] = head
        return head

    def forget(self, keys: set[str]) -> None:
        """These nudges are claimed (sent, skipped, given up, or by another process): never look at them again."""
        if keys:
            self.handled |= keys
            self.pending = [n for n in self.pending if n.key not in keys]


def cache_of(core: CoreServices) -> PlanCache:
    """The plan cache of this core (one per process and database)."""
    cache = getattr(core, "nudge_plan", None)
    if cache is None:
        cache = PlanCache()
        core.nudge_plan = cache
    return cache


def _moment(nudge: Nudge) -> tuple[datetime, str]:
    return nudge.send_at, nudge.key


def choose(due: list[Nudge], retry_at: dict[str, datetime], now: datetime) -> tuple[list[Nudge], list[Nudge], int]:
    """(to send, to skip, backing off): per recipient and deadline the latest due nudge; older ones are skipped."""
    groups: dict[tuple[int, str, bool], list[Nudge]] = defaultdict(list)
    for nudge in due:
        groups[(nudge.deadline_id, nudge.user_id, nudge.kind == "escalation")].append(nudge)
    send, skip, waiting = [], [], 0
    for items in groups.values():
        items.sort(key=_moment)
        latest = items[-1]
        if retry_at.get(latest.key, now) > now:
            waiting += 1
        else:
            send.append(latest)
        skip.extend(items[:-1])
    return send, skip, waiting


def send_due(
    core: CoreServices, now: datetime, deadline_ids: Iterable[int] | None = None, render: Callable | None = None
) -> SweepResult:
    """Send every nudge due at `now` exactly once; `render(nudge, now, owners) -> Reply` builds the message."""
    ctx = PlanContext.from_settings(core.settings)
    cache = cache_of(core)
    only = set(deadline_ids) if deadline_ids is not None else None
    result = SweepResult()
    with cache.lock:
        with core.db.session() as session:
            version = plan_version.current(session)
            if cache.stale(version, now):
                cache.rebuild(session, ctx, version, now)
        due = [n for n in cache.passed(now) if (only is None or n.deadline_id in only) and is_due(n, now)]
        to_send, to_skip, result.backed_off = choose(due, cache.retry_at, now)
        if to_skip:
            with core.db.session() as session:
                rows = [_row(n, now, "skipped", None, "skipped") for n in to_skip]
                claims.claim_many(session, rows)
            cache.forget({n.key for n in to_skip})
            result.skipped = len(to_skip)
        to_send.sort(key=_moment)
        for start in range(0, len(to_send), BATCH):
            _send_batch(core, cache, to_send[start : start + BATCH], now, render or render_nudge, result)
    return result


def _row(nudge: Nudge, now: datetime, kind: str, day: date | None, status: str = "claimed") -> dict[str, Any]:
    return {"key": nudge.key, "kind": kind, "subject": nudge.user_id, "local_day": day, "status": status,
            "created_at": now}  # fmt: skip


def _send_batch(
    core: CoreServices, cache: PlanCache, batch: list[Nudge], now: datetime, render: Callable, result: SweepResult
) -> None:
    cap = core.settings.nudge_daily_cap
    day_of = {n.key: now.astimezone(n.cal.tz).date() for n in batch}
    with core.db.session() as session:  # decide and claim in one transaction
        open_ids = _still_open(session, [n.deadline_id for n in batch])
        taken = _taken_slots(session, batch, day_of)
        orphaned = claims.orphaned(session, [n.key for n in batch], now)  # their dead owner holds their slot
        eligible: list[Nudge] = []
        for nudge in batch:
            if nudge.deadline_id not in open_ids:
                continue
            full = len(taken.get((nudge.user_id, day_of[nudge.key]), ())) >= cap
            if nudge.kind in CAPPED_KINDS and full and nudge.key not in orphaned:
                result.capped += 1
                continue
            eligible.append(nudge)
        rows = [_row(n, now, "nudge" if n.kind in CAPPED_KINDS else n.kind, day_of[n.key]) for n in eligible]
        got = claims.claim_leased(session, rows)
        lost = [n.key for n in eligible if n.key not in got]
        settled, leased = claims.lease_states(session, lost, now)
        result.lost_race += len(lost)
        resumed = [n for n in eligible if got.get(n.key, 0) > 0]  # taken over: the dead owner had a cap slot
        fresh = [n for n in eligible if got.get(n.key) == 0]
        fresh, over_cap, slot_of = _within_cap(session, fresh, day_of, taken, cap, now)
        claims.release_many(session, [n.key for n in over_cap])
        result.capped += len(over_cap)
    cache.forget(settled)
    cache.retry_at.update(leased)  # held by another live process: look again when its lease runs out
    won = sorted(fresh + resumed, key=_moment)
    delivered, failed = _deliver(core, cache, won, {n.key for n in resumed}, now, render, result)
    with core.db.session() as session:
        given_up = _record_failures(session, cache, failed, now)
        claims.release_many(session, [slot_of[n.key] for n, _ in failed if n.key in slot_of])  # slot back
        recovered = [n.key for n in delivered if n.key in cache.retry_at]
        if recovered:
            session.execute(sa.delete(DeliveryFailure.__table__).where(DeliveryFailure.key.in_(recovered)))
    for key in recovered:
        cache.retry_at.pop(key, None)
    cache.forget({n.key for n in delivered} | given_up)
    result.sent += len(delivered)
    result.failed += len(failed)
    result.given_up += len(given_up)


def _deliver(
    core: CoreServices, cache: PlanCache, won: list[Nudge], resumed: set[str], now: datetime, render: Callable,
    result: SweepResult,
) -> tuple[list[Nudge], list[tuple[Nudge, str]]]:  # fmt: skip
    """Send each claimed nudge and mark it sent right after it went out; renew the leases of a long batch.

    A nudge taken over from a dead owner is first looked up on the platform (it may have arrived just
    before its owner died); if it is there it is only marked sent.
    """
    delivered: list[Nudge] = []
    failed: list[tuple[Nudge, str]] = []
    renewed = time.monotonic()
    skip: set[str] = set()
    for index, nudge in enumerate(won):
        if time.monotonic() - renewed > claims.LEASE.total_seconds() / 3:
            keys = [n.key for n in won[index:]]
            with core.db.session() as session:
                skip = set(keys) - claims.renew(session, keys, core.clock.now())
            renewed = time.monotonic()
        if nudge.key in skip:  # our lease ran out and another process took this one over
            continue
        ref: Any = None
        try:
            if nudge.key in resumed and claims.arrived(core.messenger, nudge.user_id, nudge.key):
                log.info("nudge %s taken over from a dead worker had arrived already; not sent again", nudge.kind)
                result.confirmed += 1
            else:
                reply = render(nudge, now, cache.owners_text.get(nudge.deadline_id, ""))
                ref = core.messenger.send_dm(nudge.user_id, claims.tagged(reply, nudge.key))
        except MessengerError as exc:
            log.warning("nudge %s could not be delivered (%s); backing off", nudge.key, str(exc)[:80])
            failed.append((nudge, str(exc)[:80]))
            continue
        with core.db.session() as session:
            claims.mark_sent(session, nudge.key, getattr(ref, "channel", None), getattr(ref, "ts", None))
        delivered.append(nudge)
    return delivered, failed


def _within_cap(
    session: Session, won: list[Nudge], day_of: dict[str, date], taken: dict, cap: int, now: datetime
) -> tuple[list[Nudge], list[Nudge], dict[str, str]]:
    """Give each capped nudge one of its member's daily slots (unique keys, so exact under concurrency).

    Returns (kept, over the cap, nudge key -> its slot key).
    """
    groups: dict[tuple[str, date], list[Nudge]] = defaultdict(list)
    for nudge in won:
        if nudge.kind in CAPPED_KINDS:
            groups[(nudge.user_id, day_of[nudge.key])].append(nudge)
    slots: dict[tuple[str, date], list[str]] = defaultdict(list)
    free = {g: [i for i in range(cap) if i not in taken.get(g, ())] for g in groups}  # released slots leave gaps
    while True:
        rows, owner = [], {}
        for group, items in groups.items():
            user, day = group
            want = len(items) - len(slots[group])
            for slot in free[group][:want]:
                key = f"cap:{user}:{day.isoformat()}:{slot}"
                rows.append({"key": key, "kind": "cap", "subject": user, "local_day": day, "status": "slot",
                             "created_at": now})  # fmt: skip
                owner[key] = group
            del free[group][:want]
        if not rows:
            break
        for key in sorted(claims.claim_many(session, rows)):
            slots[owner[key]].append(key)
    keep = [n for n in won if n.kind not in CAPPED_KINDS]
    over: list[Nudge] = []
    slot_of: dict[str, str] = {}
    for group, items in groups.items():
        granted = slots[group]
        keep.extend(items[: len(granted)])
        over.extend(items[len(granted) :])
        slot_of.update({n.key: slot for n, slot in zip(items, granted, strict=False)})
    return sorted(keep, key=_moment), over, slot_of


def _record_failures(session: Session, cache: PlanCache, failed: list[tuple[Nudge, str]], now: datetime) -> set[str]:
    """Back off each failed nudge; give up (keep the claim as failed) after MAX_ATTEMPTS. Returns given-up keys."""
    given_up: set[str] = set()
    release: list[str] = []
    for nudge, error in failed:
        row = session.get(DeliveryFailure, nudge.key) or DeliveryFailure(key=nudge.key, next_at=now)
        row.attempts += 1
        row.next_at = now + backoff(row.attempts)
        row.last_error = error
        session.add(row)
        if row.attempts >= MAX_ATTEMPTS:
            given_up.add(nudge.key)
            table = Claim.__table__
            session.execute(sa.update(table).where(table.c.key == nudge.key).values(status="failed"))
        else:
            release.append(nudge.key)
            cache.retry_at[nudge.key] = row.next_at
    claims.release_many(session, release)
    return given_up


def _taken_slots(session: Session, nudges: list[Nudge], day_of: dict[str, date]) -> dict[tuple[str, date], set[int]]:
    subjects = sorted({n.user_id for n in nudges})
    days = sorted(set(day_of.values()))
    taken: dict[tuple[str, date], set[int]] = defaultdict(set)
    table = Claim.__table__
    for i in range(0, len(subjects), BATCH):
        rows = session.execute(
            sa.select(table.c.subject, table.c.local_day, table.c.key).where(
                table.c.subject.in_(subjects[i : i + BATCH]), table.c.local_day.in_(days), table.c.kind == "cap"
            )
        ).all()
        for subject, day, key in rows:
            taken[(subject, day)].add(int(key.rsplit(":", 1)[1]))
    return taken


def _still_open(session: Session, deadline_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(deadline_ids))
    found: set[int] = set()
    for i in range(0, len(ids), BATCH):
        query = select(Deadline.id).where(Deadline.id.in_(ids[i : i + BATCH]), Deadline.status == "open")
        found.update(session.exec(query).all())
    return found


def upcoming(core: CoreServices, now: datetime, team_id: int | None = None) -> list[Nudge]:
    """Every nudge still to come (not yet claimed), in time order."""
    ctx = PlanContext.from_settings(core.settings)
    with core.db.session() as session:
        data = load(session, team_id=team_id, due_from=now - OVERDUE_RELEVANT)
        plan = [n for n in build_plan(data, ctx) if n.send_at >= n.planned_from and relevant(n, max(now, n.send_at))]
        claimed = claims.claimed_keys(session, [n.key for n in plan], now)
    future = [n for n in plan if n.key not in claimed and (n.send_at > now or is_due(n, now))]
    return sorted(future, key=lambda n: (n.send_at, n.team_name, n.deadline_title, n.user_id))
