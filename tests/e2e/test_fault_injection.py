"""Fault injection: real `lefbot run --worker` processes on one fresh database, one killed with SIGKILL mid-send.

Every planned nudge must arrive exactly once (counted per claim key in the fake Slack API): the killed
worker's claims are taken over when their lease runs out, and the message whose answer was on the wire
when it died is found in the DM history (message metadata) instead of being sent again. The workers
start together on a database without tables, so migrations and the job store must not race either.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db import Database
from bot.deadlines.models import Deadline, DeadlineOwner, Snooze, Sprint, Team, TeamMember
from bot.people.models import Member
from tests.conftest import PG_URL, _admin_engine, _with_database
from tests.e2e.conftest import bot_env, free_port
from tests.e2e.fake_slack import FakeSlack

MEMBERS = 20  # per team; one deadline per team, one snooze nudge per member
TEAMS = 50 if PG_URL else 15  # 1,000 nudges on PostgreSQL, 300 on SQLite
LEASE_SECONDS = 4
READY_SECONDS = 60
DELIVERY_SECONDS = 90


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    """A database without any tables (no migrations yet)."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"lefbot_fi_{uuid.uuid4().hex[:8]}"
    admin = _admin_engine(PG_URL)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield _with_database(PG_URL, name)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def start_worker(fake: FakeSlack, url: str, home: Path, token: str) -> tuple[subprocess.Popen, Path]:
    """Start one `lefbot run --worker` with its own bot token (so the fake can tell the workers apart)."""
    env = bot_env(fake, url, free_port(), home / "data")
    env.update(
        SLACK_BOT_TOKEN=token,
        LEFBOT_TEST_SWEEP_SECONDS="1",
        LEFBOT_TEST_CLAIM_LEASE_SECONDS=str(LEASE_SECONDS),
    )
    log_path = home / f"{token}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--worker"],
        env=env,
        cwd=home,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return process, log_path


def wait_ready(workers: list[tuple[subprocess.Popen, Path]]) -> None:
    """Wait until every worker logged that its scheduler runs; fail when one exits."""
    deadline = time.monotonic() + READY_SECONDS
    pending = list(workers)
    while pending:
        for process, log_path in list(pending):
            if process.poll() is not None:
                raise AssertionError(f"a worker exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
            if "scheduler started" in log_path.read_text(errors="replace"):
                pending.remove((process, log_path))
        if time.monotonic() > deadline:
            raise AssertionError("workers did not start:\n" + "\n".join(p.read_text()[-2000:] for _, p in pending))
        time.sleep(0.1)  # polling the workers' logs


def seed(url: str, teams: int) -> set[str]:
    """A cohort whose snooze nudges all fall due in a few seconds; returns their claim keys."""
    now = datetime.now(UTC)
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(sa.insert(Team.__table__), [
            {"id": t + 1, "name": f"FI {t}", "channel": "", "timezone": "Europe/Amsterdam", "nudge_offsets": "",
             "created_at": now} for t in range(teams)])  # fmt: skip
        conn.execute(sa.insert(Sprint.__table__), [
            {"id": t + 1, "team_id": t + 1, "name": "S1", "goal": "", "start": (now - timedelta(days=3)).date(),
             "end": (now + timedelta(days=30)).date()} for t in range(teams)])  # fmt: skip
        conn.execute(sa.insert(Member.__table__), [
            {"id": t * MEMBERS + m + 1, "user_id": f"U{t}X{m}", "name": f"M{m}", "timezone": "Europe/Amsterdam",
             "language": "nl", "working_days": "mon,tue,wed,thu,fri", "free_days": "", "created_at": now}
            for t in range(teams) for m in range(MEMBERS)])  # fmt: skip
        conn.execute(sa.insert(TeamMember.__table__), [
            {"team_id": t + 1, "member_id": t * MEMBERS + m + 1, "role": "member"}
            for t in range(teams) for m in range(MEMBERS)])  # fmt: skip
        conn.execute(sa.insert(Deadline.__table__), [
            {"id": t + 1, "sprint_id": t + 1, "title": "Opleveren", "due_at": now + timedelta(days=20),
             "whole_team": False, "status": "open", "created_at": now - timedelta(hours=1),
             "updated_at": now - timedelta(hours=1)} for t in range(teams)])  # fmt: skip
        conn.execute(sa.insert(DeadlineOwner.__table__), [
            {"deadline_id": t + 1, "member_id": t * MEMBERS + m + 1} for t in range(teams) for m in range(MEMBERS)
        ])  # fmt: skip
        conn.execute(sa.insert(Snooze.__table__), [
            {"id": t * MEMBERS + m + 1, "deadline_id": t + 1, "member_id": t * MEMBERS + m + 1,
             "send_at": now + timedelta(seconds=2), "created_at": now}
            for t in range(teams) for m in range(MEMBERS)])  # fmt: skip
        conn.execute(sa.text("UPDATE plan_state SET version = version + 1 WHERE id = 1"))
    db.dispose()
    return {f"nudge:{t + 1}:U{t}X{m}:snooze{t * MEMBERS + m + 1}" for t in range(teams) for m in range(MEMBERS)}


def wait_delivered(fake: FakeSlack, expected: set[str]) -> None:
    """Wait until every expected key arrived (or the time is up), then a lease and a bit more for late doubles."""
    deadline = time.monotonic() + DELIVERY_SECONDS
    while time.monotonic() < deadline and not expected <= set(fake.deliveries()):
        time.sleep(0.2)  # polling the fake's counts
    time.sleep(LEASE_SECONDS + 2)


def figures(fake: FakeSlack, expected: set[str]) -> dict[str, int]:
    """Expected, delivered, lost and doubled nudges, counted by claim key."""
    counts = fake.deliveries()
    return {
        "expected": len(expected),
        "delivered": sum(1 for key in expected if counts[key] >= 1),
        "lost": sum(1 for key in expected if counts[key] == 0),
        "doubled": sum(1 for key in expected if counts[key] > 1),
        "unexpected": sum(1 for key in counts if key not in expected),
    }


def stop(workers: list[tuple[subprocess.Popen, Path]]) -> None:
    """SIGTERM the workers still running (the one killed is gone already)."""
    for process, _ in workers:
        if process.poll() is None:
            process.terminate()
    for process, _ in workers:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.parametrize("count", [2, 3])
def test_sigkill_mid_fanout_loses_and_doubles_nothing(
    count: int, fake_slack: FakeSlack, empty_database_url: str, tmp_path: Path
) -> None:
    fake_slack.reset()
    tokens = [f"xoxb-fi-worker-{i}" for i in range(count)]
    workers = [start_worker(fake_slack, empty_database_url, tmp_path, token) for token in tokens]
    try:
        wait_ready(workers)  # all started together on a database without tables
        hold = fake_slack.hold_next("chat.postMessage", after=25)
        expected = seed(empty_database_url, TEAMS)
        assert hold.held.wait(DELIVERY_SECONDS), "no worker sent a nudge"
        victim = next(p for (p, _), token in zip(workers, tokens, strict=True) if token == hold.holder)
        os.kill(victim.pid, signal.SIGKILL)  # its message is delivered, the answer never reached it
        victim.wait()
        hold.release.set()
        wait_delivered(fake_slack, expected)
        result = figures(fake_slack, expected)
        lookups = len(fake_slack.calls_to("conversations.history"))
        print(f"\nfault injection ({count} workers, 1 killed): {result}, taken over and looked up: {lookups}")
        assert result == {"expected": len(expected), "delivered": len(expected), "lost": 0, "doubled": 0,
                          "unexpected": 0}  # fmt: skip
        assert fake_slack.calls_to("conversations.history"), "the victim's claims were not taken over and checked"
        survivors = [(p, log) for p, log in workers if p is not victim]
        for process, log_path in survivors:
            assert process.poll() is None, log_path.read_text()[-4000:]
            assert "Traceback" not in log_path.read_text(errors="replace")
    finally:
        stop(workers)
