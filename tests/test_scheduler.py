"""Scheduler wiring: claims are exactly-once, jobs are persistent and fire a handler."""

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot import claims, scheduler
from bot.claims import Claim
from bot.db import Database
from tests.fakes.clock import FrozenClock

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_claim_is_won_once(db: Database) -> None:
    with db.session() as s:
        assert claims.claim(s, "nudge:1:U1:before:3", now=NOW, subject="U1")
        assert not claims.claim(s, "nudge:1:U1:before:3", now=NOW)
    with db.session() as s:
        assert not claims.claim(s, "nudge:1:U1:before:3", now=NOW)
        assert s.get(Claim, "nudge:1:U1:before:3").subject == "U1"


def test_released_claim_can_be_claimed_again(db: Database) -> None:
    with db.session() as s:
        claims.claim(s, "k", now=NOW)
    with db.session() as s:
        claims.release(s, "k")
    with db.session() as s:
        assert claims.claim(s, "k", now=NOW)
        claims.mark_sent(s, "k", "D1", "1.0")
    with db.session() as s:
        assert s.get(Claim, "k").status == "sent"


def test_rolled_back_claim_is_not_kept(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        claims.claim(s, "k", now=NOW)
        raise RuntimeError("delivery decided against")
    with db.session() as s:
        assert s.get(Claim, "k") is None


def test_two_processes_claiming_the_same_keys_win_each_once(database_url: str) -> None:
    keys = [f"key:{i}" for i in range(40)]
    wins: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def worker() -> None:
        database = Database(database_url)
        barrier.wait()
        for key in keys:
            with database.session() as s:
                won = claims.claim(s, key, now=NOW)
            if won:
                with lock:
                    wins.append(key)
        database.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(wins) == sorted(keys)


def test_real_apscheduler_runs_a_planned_job_from_the_persistent_store(db: Database) -> None:
    fired = threading.Event()
    seen: list[object] = []

    def handler(core: object, now: datetime, arg: object) -> None:
        if arg is not None:
            seen.append(arg)
            fired.set()

    scheduler.register_handler("test-handler", handler)
    core = SimpleNamespace(db=db, clock=FrozenClock(NOW), settings=SimpleNamespace(timezone=UTC))
    try:
        sched = scheduler.start(core, sweep_seconds=3600)
        scheduler.at("test:1", datetime.now(UTC) + timedelta(milliseconds=200), "test-handler", 42)
        scheduler.at("test:1", datetime.now(UTC) + timedelta(milliseconds=300), "test-handler", 42)  # replaced
        assert {j.id for j in sched.get_jobs()} == {"sweep", "test:1"}
        assert fired.wait(timeout=20)
        assert seen == [42]
        assert sched.get_job("sweep").misfire_grace_time == scheduler.MISFIRE_GRACE_SECONDS
    finally:
        scheduler.shutdown()
        scheduler.HANDLERS.pop("test-handler", None)


def test_planning_without_a_running_scheduler_is_a_no_op() -> None:
    assert not scheduler.running()
    scheduler.at("x", NOW, "nothing")
    scheduler.cancel("x")
