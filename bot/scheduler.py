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

import contextlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.team_models import Claim

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
    """Insert `key` into the claims table in the caller's transaction; True if this caller got it first."""
    values = {
        "key": key,
        "kind": kind,
        "subject": subject,
        "local_day": local_day,
        "status": status,
        "created_at": now or datetime.now(UTC),
    }
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(Claim.__table__).values(**values).on_conflict_do_nothing(index_elements=["key"])
    elif dialect == "sqlite":
        stmt = sqlite.insert(Claim.__table__).values(**values).on_conflict_do_nothing(index_elements=["key"])
    else:  # pragma: no cover - other backends: rely on the primary key
        try:
            with session.begin_nested():
                session.execute(sa.insert(Claim.__table__).values(**values))
            return True
        except sa.exc.IntegrityError:
            return False
    return session.execute(stmt.returning(Claim.__table__.c.key)).first() is not None


def _insert_if_absent(dialect: str) -> Any:
    table = Claim.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.key)


def claim_many(session: Session, rows: list[dict[str, Any]], batch: int = CLAIM_BATCH) -> set[str]:
    """Insert-if-absent many claims (dicts with key, kind, subject, local_day, status, created_at).

    SQLAlchemy's "insertmanyvalues" sends one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING per
    `batch` rows (the statement is compiled once and cached). Keys go in sorted order, so two concurrent
    callers wait on each other in the same order instead of deadlocking. Returns the keys this caller won.
    """
    dialect = session.get_bind().dialect.name
    ordered = sorted(rows, key=lambda r: r["key"])
    if not ordered:
        return set()
    if dialect not in ("postgresql", "sqlite"):  # pragma: no cover - other backends: one by one
        return {r["key"] for r in ordered if claim(session, r["key"], **{k: v for k, v in r.items() if k != "key"})}
    stmt = _insert_if_absent(dialect).execution_options(insertmanyvalues_page_size=batch)
    return set(session.connection().execute(stmt, ordered).scalars())


def release_many(session: Session, keys: list[str], batch: int = CLAIM_BATCH) -> None:
    """Delete many claims (failed deliveries) in a few statements."""
    table = Claim.__table__
    for i in range(0, len(keys), batch):
        session.execute(sa.delete(table).where(table.c.key.in_(keys[i : i + batch])))


def mark_sent_many(session: Session, refs: list[tuple[str, str | None, str | None]]) -> None:
    """Record many sent side effects (key, channel, ts) in one executemany."""
    if not refs:
        return
    table = Claim.__table__
    stmt = (
        sa.update(table)
        .where(table.c.key == sa.bindparam("k"))
        .values(status="sent", ref_channel=sa.bindparam("c"), ref_ts=sa.bindparam("t"))
    )
    session.connection().execute(stmt, [{"k": k, "c": c, "t": t} for k, c, t in refs])


def release(session: Session, key: str) -> None:
    """Delete a claim, e.g. after delivery failed, so a later sweep may try again."""
    session.execute(sa.delete(Claim.__table__).where(Claim.__table__.c.key == key))


def mark_sent(session: Session, key: str, channel: str | None = None, ts: str | None = None) -> None:
    """Record that the claimed side effect happened, and where the message lives."""
    session.execute(
        sa.update(Claim.__table__)
        .where(Claim.__table__.c.key == key)
        .values(status="sent", ref_channel=channel, ref_ts=ts)
    )



# --- job functions (module level, referenced by textual ref with scalar args) -------------------


def run_sweep() -> None:
    """Periodic safety net: run every registered handler at the current time."""
    core = _CORE
    if core is None:
        log.warning("sweep fired without a running core; skipped")
        return
    sweep_all(core, core.clock.now())


def run_job(name: str, arg: int | str | None = None) -> None:
    """A planned instant: run one handler (e.g. the nudges of one deadline)."""
    core = _CORE
    handler = HANDLERS.get(name)
    if core is None or handler is None:
        log.warning("job for handler %r fired without a running core or handler; the sweep will cover it", name)
        return
    handler(core, core.clock.now(), arg)


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
    scheduler.add_job(
        "bot.scheduler:run_job",
        "date",
        run_date=when.astimezone(UTC),
        args=[name, arg],
        id=job_id,
        replace_existing=True,
    )


def cancel(job_id: str) -> None:
    """Remove a planned job if it exists; no-op if the scheduler is not running."""
    scheduler = _SCHEDULER
    if scheduler is None:
        return
    from apscheduler.jobstores.base import JobLookupError

    with contextlib.suppress(JobLookupError):
        scheduler.remove_job(job_id)


def running() -> bool:
    """True when this process runs the scheduler."""
    return _SCHEDULER is not None


def build(engine: sa.Engine, timezone: Any = UTC) -> Any:
    """A BackgroundScheduler with a persistent job store on `engine` and our job defaults (not started)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults=JOB_DEFAULTS,
        timezone=timezone,
    )


def start(core: Any, sweep_seconds: int = SWEEP_SECONDS) -> Any:
    """Start the scheduler in this process for `core` (its db, clock, messenger); returns the scheduler."""
    global _CORE, _SCHEDULER
    with _LOCK:
        if _SCHEDULER is not None:
            return _SCHEDULER
        _CORE = core
        scheduler = build(core.db.engine, core.settings.timezone)
        scheduler.start()
        scheduler.add_job(
            "bot.scheduler:run_sweep", "interval", seconds=sweep_seconds, id=SWEEP_JOB_ID, replace_existing=True
        )
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
