"""APScheduler 3.x wiring and the periodic sweep that sends whatever is due (claims: `bot.claims`).

How "time comes": what is due is always computed from the database at `now` by the features' sweep
handlers (pure plans + claims). The scheduler only decides *when* to look: a periodic sweep (safety
net, every SWEEP_SECONDS) plus date-trigger jobs at planned instants (`at(job_id, when, handler, arg)`).
A missed, late or duplicated trigger is harmless: a sweep sends only what is due and not yet claimed.

Job settings: explicit ids + replace_existing, coalesce=True, max_instances=1 and
misfire_grace_time=MISFIRE_GRACE_SECONDS. The grace is generous (1 hour) because a late trigger only
starts a sweep that re-checks relevance itself; it is not unlimited so that a trigger that is hours
stale after a long outage is dropped rather than fired in a burst (the periodic sweep covers it anyway).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from bot.ports import CoreServices

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60
MISFIRE_GRACE_SECONDS = 3600
SWEEP_JOB_ID = "sweep"
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS}

# name -> handler(core, now, arg); the core registers every feature's jobs (`bot.core.register_jobs`).
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


def sweep_all(core: CoreServices, now: datetime) -> None:
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


def start(core: CoreServices, sweep_seconds: int | None = None) -> Any:
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
