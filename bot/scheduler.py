"""APScheduler 3.x wiring, exactly-once claims, and the periodic sweep that sends whatever is due.

How "time comes": what is due is always computed from the database at `now` by the features' sweep
handlers (pure plans + claims). The scheduler only decides *when* to look: a periodic sweep (safety
net, every SWEEP_SECONDS) plus date-trigger jobs at planned instants (`at(job_id, when, handler, arg)`).
A missed, late or duplicated trigger is harmless: a sweep sends only what is due and not yet claimed.

Job settings (see docs/anchors §4): explicit ids + replace_existing, coalesce=True, max_instances=1 and
misfire_grace_time=MISFIRE_GRACE_SECONDS. The grace is generous (1 hour) because a late trigger only
starts a sweep that re-checks relevance itself; it is not unlimited so that a trigger that is hours
stale after a long outage is dropped rather than fired in a burst (the periodic sweep covers it anyway).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.chat.replies import Reply
from bot.claims import Claim
from bot.clock import as_utc

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60
MISFIRE_GRACE_SECONDS = 3600
SWEEP_JOB_ID = "sweep"
CLAIM_BATCH = 500
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS}

# name -> handler(core, now, arg); features register theirs at import time (e.g. "nudges").
Handler = Callable[[Any, datetime, "int | str | None"], object]
HANDLERS: dict[str, Handler] = {}
REPLANNERS: dict[str, Callable[[Any], object]] = {}
_CORE: Any = None
_SCHEDULER: Any = None
_LOCK = threading.Lock()


def register_handler(name: str, handler: Handler, replan: Callable[[Any], object] | None = None) -> None:
    """Register a sweep handler by a stable name (stored jobs refer to it); `replan(core)` runs at start."""
    HANDLERS[name] = handler
    if replan is not None:
        REPLANNERS[name] = replan


# --- exactly-once claims -------------------------------------------------------------------------
#
# A claim is inserted in the transaction that decides to send. While `claimed` it is leased to this
# process (`owner()`) until `expires_at`; the sender marks it `sent` right after each message went out. A
# claim whose lease ran out (its owner died mid-send) is taken over by the next process that claims the
# same key (`takeovers` goes up); that process first asks the messenger whether the message arrived
# after all (`already_delivered`), and sends only when it did not (or cannot tell).

_OWNER: tuple[int, str] = (0, "")


def owner() -> str:
    """This process's claim owner id (host, pid, random); a forked child gets its own."""
    global _OWNER
    if _OWNER[0] != os.getpid():
        _OWNER = (os.getpid(), f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    return _OWNER[1]


# Test-only override (fault-injection tests use a few seconds); production keeps the default.
LEASE = timedelta(seconds=int(os.environ.get("LEFBOT_TEST_CLAIM_LEASE_SECONDS") or 300))
CLAIM_META = "claim_key"  # Reply.meta entry that carries the claim key to the adapter (e.g. Slack metadata)


def _with_lease(row: dict[str, Any]) -> dict[str, Any]:
    leased = row.get("status", "claimed") == "claimed"
    return {
        "kind": "",
        "subject": "",
        "local_day": None,
        "status": "claimed",
        **row,
        "owner": owner() if leased else None,
        "expires_at": row["created_at"] + LEASE if leased else None,
        "takeovers": 0,
    }


def _upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT: a new key is ours; an existing `claimed` key whose lease ran out is taken over."""
    table = Claim.__table__
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    expired = (
        (table.c.status == "claimed")
        & table.c.expires_at.is_not(None)
        & (table.c.expires_at < stmt.excluded.created_at)
    )
    return stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "owner": stmt.excluded.owner,
            "expires_at": stmt.excluded.expires_at,
            "takeovers": table.c.takeovers + 1,
        },
        where=expired & (stmt.excluded.status == "claimed"),
    ).returning(table.c.key, table.c.takeovers)


def claim(
    session: Session,
    key: str,
    *,
    now: datetime | None = None,
    kind: str = "",
    subject: str = "",
    local_day: date | None = None,
    status: str = "claimed",
) -> bool:
    """Claim `key` in the caller's transaction; True if this caller got it (new, or taken over: lease ran out)."""
    row = {"key": key, "kind": kind, "subject": subject, "local_day": local_day, "status": status,
           "created_at": now or datetime.now(UTC)}  # fmt: skip
    return key in claim_leased(session, [row])


def claim_many(session: Session, rows: list[dict[str, Any]], batch: int = CLAIM_BATCH) -> set[str]:
    """Claim many keys (dicts with key, kind, subject, local_day, status, created_at); returns the keys won."""
    return set(claim_leased(session, rows, batch))


def claim_leased(session: Session, rows: list[dict[str, Any]], batch: int = CLAIM_BATCH) -> dict[str, int]:
    """Claim many keys; returns key -> takeovers for the keys this caller got (> 0: taken over from a dead owner).

    SQLAlchemy's "insertmanyvalues" sends one multi-row INSERT ... ON CONFLICT ... RETURNING per `batch`
    rows. Keys go in sorted order, so two concurrent callers wait on each other in the same order instead
    of deadlocking.
    """
    dialect = session.get_bind().dialect.name
    ordered = [_with_lease(r) for r in sorted(rows, key=lambda r: r["key"])]
    if not ordered:
        return {}
    if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - other backends: first insert wins
        won: dict[str, int] = {}
        for row in ordered:
            try:
                with session.begin_nested():
                    session.execute(sa.insert(Claim.__table__).values(**row))
                won[row["key"]] = 0
            except sa.exc.IntegrityError:
                pass
        return won
    stmt = _upsert(dialect).execution_options(insertmanyvalues_page_size=batch)
    return {key: takeovers for key, takeovers in session.connection().execute(stmt, ordered).all()}


def lease_states(session: Session, keys: list[str], now: datetime) -> tuple[set[str], dict[str, datetime]]:
    """Of `keys`: those settled for good (sent, skipped, failed), and key -> lease end of those still leased."""
    table = Claim.__table__
    settled: set[str] = set()
    leased: dict[str, datetime] = {}
    for i in range(0, len(keys), CLAIM_BATCH):
        query = sa.select(table.c.key, table.c.status, table.c.expires_at).where(
            table.c.key.in_(keys[i : i + CLAIM_BATCH])
        )
        for key, status, expires_at in session.execute(query).all():
            if status != "claimed" or expires_at is None:
                settled.add(key)
            elif as_utc(expires_at) >= now:
                leased[key] = as_utc(expires_at)
    return settled, leased


def orphaned(session: Session, keys: list[str], now: datetime) -> set[str]:
    """Those of `keys` still `claimed` by an owner whose lease ran out (to be taken over)."""
    table = Claim.__table__
    found: set[str] = set()
    for i in range(0, len(keys), CLAIM_BATCH):
        query = sa.select(table.c.key).where(
            table.c.key.in_(keys[i : i + CLAIM_BATCH]), table.c.status == "claimed", table.c.expires_at < now
        )
        found.update(session.execute(query).scalars())
    return found


def renew(session: Session, keys: list[str], now: datetime) -> set[str]:
    """Extend the lease of those of `keys` this process still holds; returns them."""
    table = Claim.__table__
    mine: set[str] = set()
    for i in range(0, len(keys), CLAIM_BATCH):
        stmt = (
            sa.update(table)
            .where(table.c.key.in_(keys[i : i + CLAIM_BATCH]), table.c.owner == owner(), table.c.status == "claimed")
            .values(expires_at=now + LEASE)
            .returning(table.c.key)
        )
        mine.update(session.execute(stmt).scalars())
    return mine


def tagged(reply: Reply, key: str) -> Reply:
    """The reply carrying its claim key, so the adapter can stamp it on the message (see `already_delivered`)."""
    return replace(reply, meta={**reply.meta, CLAIM_META: key})


def arrived(messenger: Any, target: str, key: str) -> bool:
    """True only when the messenger can tell that the message for `key` reached `target` already."""
    check = getattr(messenger, "already_delivered", None)
    if check is None:
        return False
    try:
        return check(target, key) is True
    except Exception:  # cannot tell: send (at most this one message may come twice)
        log.warning("could not check whether %s arrived; sending it", key.split(":")[0])
        return False


def release_many(session: Session, keys: list[str], batch: int = CLAIM_BATCH) -> None:
    """Delete many claims (failed deliveries) in a few statements."""
    table = Claim.__table__
    for i in range(0, len(keys), batch):
        session.execute(sa.delete(table).where(table.c.key.in_(keys[i : i + batch])))


def release(session: Session, key: str) -> None:
    """Delete a claim, e.g. after delivery failed, so a later sweep may try again."""
    session.execute(sa.delete(Claim.__table__).where(Claim.__table__.c.key == key))


def mark_sent(
    session: Session, key: str, channel: str | None = None, ts: str | None = None, extras: dict | None = None
) -> None:
    """Record that the claimed side effect happened, and where the message lives (with its platform extras)."""
    session.execute(
        sa.update(Claim.__table__)
        .where(Claim.__table__.c.key == key)
        .values(
            status="sent", ref_channel=channel, ref_ts=ts, ref_extras=json.dumps(extras) if extras else None,
            expires_at=None,
        )
    )


def mark_skipped(session: Session, key: str) -> None:
    """Record that a claimed message was not sent on purpose (e.g. its member cannot be reached yet)."""
    session.execute(
        sa.update(Claim.__table__).where(Claim.__table__.c.key == key).values(status="skipped", expires_at=None)
    )


def resumed(session: Session, keys: list[str]) -> set[str]:
    """Those of `keys` that were taken over from a dead owner (their message may have arrived already)."""
    table = Claim.__table__
    found: set[str] = set()
    for i in range(0, len(keys), CLAIM_BATCH):
        query = sa.select(table.c.key).where(table.c.key.in_(keys[i : i + CLAIM_BATCH]), table.c.takeovers > 0)
        found.update(session.execute(query).scalars())
    return found


# --- job functions (module level, referenced by textual ref with scalar args) -------------------


def run_sweep() -> None:
    """Periodic safety net: run every registered handler at the current time; errors are logged, never raised."""
    core = _CORE
    if core is None:
        log.warning("sweep fired without a running core; skipped")
        return
    try:
        sweep_all(core, core.clock.now())
    except Exception:
        log.exception("sweep failed; the next one tries again")


def run_job(name: str, arg: int | str | None = None) -> None:
    """A planned instant: run one handler (e.g. the nudges of one deadline); errors are logged, never raised."""
    core = _CORE
    handler = HANDLERS.get(name)
    if core is None or handler is None:
        log.warning("job for handler %r fired without a running core or handler; the sweep will cover it", name)
        return
    try:
        handler(core, core.clock.now(), arg)
    except Exception:
        log.exception("job %s failed; the periodic sweep covers it", name)


def sweep_all(core: Any, now: datetime) -> None:
    """Run every handler once with arg None; one failing feature does not stop the others."""
    for name, handler in list(HANDLERS.items()):
        try:
            handler(core, now, None)
        except Exception:
            log.exception("sweep handler %s failed", name)


# --- planning API for features ------------------------------------------------------------------


def at(job_id: str, when: datetime, name: str, arg: int | str | None = None) -> None:
    """Plan `HANDLERS[name](core, now, arg)` at `when` (aware); replaces a job with the same id; no-op if stopped."""
    scheduler = _SCHEDULER
    if scheduler is None:
        return
    try:
        scheduler.add_job(
            "bot.scheduler:run_job",
            "date",
            run_date=when.astimezone(UTC),
            args=[name, arg],
            id=job_id,
            replace_existing=True,
        )
    except Exception:  # e.g. another scheduler on the same database added it at the same moment
        log.warning("planning job %s failed; the periodic sweep covers it", job_id, exc_info=True)


def cancel(job_id: str) -> None:
    """Remove a planned job if it exists (idempotent); no-op if the scheduler is not running."""
    scheduler = _SCHEDULER
    if scheduler is None:
        return
    try:
        scheduler.remove_job(job_id)
    except Exception:  # JobLookupError: another scheduler removed it first
        log.debug("job %s was already gone", job_id)


def running() -> bool:
    """True when this process runs the scheduler."""
    return _SCHEDULER is not None


def _job_store(engine: sa.Engine) -> Any:
    """APScheduler's SQLAlchemy job store, made safe for many schedulers on one database.

    The table comes from the migrations (creating it at start races between processes), and removing or
    updating a job that another scheduler removed already is a no-op instead of a JobLookupError (which
    APScheduler 3 does not catch: it would end the scheduler thread).
    """
    from apscheduler.jobstores.base import BaseJobStore, JobLookupError
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    class SharedJobStore(SQLAlchemyJobStore):
        def start(self, scheduler: Any, alias: str) -> None:
            BaseJobStore.start(self, scheduler, alias)

        def update_job(self, job: Any) -> None:
            try:
                super().update_job(job)
            except JobLookupError:
                log.debug("job %s was removed by another scheduler", job.id)

        def remove_job(self, job_id: str) -> None:
            try:
                super().remove_job(job_id)
            except JobLookupError:
                log.debug("job %s was removed by another scheduler", job_id)

    return SharedJobStore(engine=engine)


def _log_job_error(event: Any) -> None:
    log.error("scheduled job %s failed: %r", event.job_id, event.exception)


def build(engine: sa.Engine, timezone: Any = UTC) -> Any:
    """A BackgroundScheduler with a persistent job store on `engine` and our job defaults (not started)."""
    from apscheduler.events import EVENT_JOB_ERROR
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(
        jobstores={"default": _job_store(engine)},
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults=JOB_DEFAULTS,
        timezone=timezone,
    )
    scheduler.add_listener(_log_job_error, EVENT_JOB_ERROR)
    return scheduler


def start(core: Any, sweep_seconds: int | None = None) -> Any:
    """Start the scheduler in this process for `core` (its db, clock, messenger); returns the scheduler."""
    global _CORE, _SCHEDULER
    # Test-only override (fault-injection tests sweep every second); production keeps SWEEP_SECONDS.
    sweep_seconds = sweep_seconds or int(os.environ.get("LEFBOT_TEST_SWEEP_SECONDS") or SWEEP_SECONDS)
    with _LOCK:
        if _SCHEDULER is not None:
            return _SCHEDULER
        _CORE = core
        scheduler = build(core.db.engine, core.settings.timezone)
        scheduler.start()
        try:
            scheduler.add_job(
                "bot.scheduler:run_sweep", "interval", seconds=sweep_seconds, id=SWEEP_JOB_ID, replace_existing=True
            )
        except Exception:  # another scheduler added the shared sweep job at the same moment: it is there
            log.warning("adding the sweep job failed; another scheduler on this database has it", exc_info=True)
        _SCHEDULER = scheduler
    log.info("scheduler started: sweep every %ss, misfire grace %ss", sweep_seconds, MISFIRE_GRACE_SECONDS)
    for name, replan in list(REPLANNERS.items()):
        try:
            replan(core)
        except Exception:
            log.exception("re-planning %s at start failed; the periodic sweep still covers it", name)
    return scheduler


def shutdown() -> None:
    """Stop the scheduler of this process (jobs stay in the database)."""
    global _CORE, _SCHEDULER
    with _LOCK:
        if _SCHEDULER is not None:
            _SCHEDULER.shutdown(wait=False)
        _SCHEDULER = None
        _CORE = None
