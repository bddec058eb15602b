"""Exactly once: an Events API delivery whose `event_id` was seen before is acknowledged and skipped.

The key lives in the database (`processed_events`), so it holds across threads, processes and restarts;
Slack's retries (`X-Slack-Retry-Num`) and a second process reading the same events are both covered.
The claim runs before the ack, so it is one statement (an insert that ignores a conflict, committed on its
own) on a connection kept for it, instead of a session and a transaction from the pool.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from slack_bolt.response import BoltResponse
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import delete

from bot.core import Core
from bot.db import Database
from bot.models import ProcessedEvent

log = logging.getLogger(__name__)

KEEP = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)
_prune_lock = threading.Lock()
_last_prune: dict[str, datetime] = {}


class _Claims:
    """One autocommit connection of a database, used for claims only (one thread at a time)."""

    def __init__(self, db: Database) -> None:
        self.engine = db.engine
        dialect = sqlite if db.is_sqlite else postgresql
        insert = dialect.insert(ProcessedEvent).on_conflict_do_nothing(index_elements=["event_id"])
        self.statement = insert.returning(ProcessedEvent.event_id)  # a row only when this call inserted it
        self.lock = threading.Lock()
        self.conn: sa.Connection | None = None

    def claim(self, event_id: str, now: datetime) -> bool:
        """Insert the id unless it is there; True when this call inserted it."""
        values = {"event_id": event_id[:100], "received_at": now}
        with self.lock:
            for attempt in (1, 2):
                if self.conn is None:
                    self.conn = self._connect()
                try:
                    return self.conn.execute(self.statement, values).first() is not None
                except sa.exc.DBAPIError as exc:
                    self.conn.close()  # a dropped or broken connection: open a new one, once
                    self.conn = None
                    if attempt == 2 or not exc.connection_invalidated:
                        raise
        raise AssertionError("unreachable")

    def _connect(self) -> sa.Connection:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        if conn.dialect.name == "postgresql":
            # Do not wait for the WAL flush before the ack: the claims of the last moment before a crash of the
            # database server itself (not of lefbot) can be lost, and only then is a redelivery answered twice.
            conn.exec_driver_sql("SET synchronous_commit = off")
        return conn


_claims: weakref.WeakKeyDictionary[Database, _Claims] = weakref.WeakKeyDictionary()
_claims_lock = threading.Lock()


def claim(db: Database, event_id: str, now: datetime) -> bool:
    """Record `event_id` as handled; False when it already was (by any process)."""
    claims = _claims.get(db)
    if claims is None:
        with _claims_lock:
            claims = _claims.setdefault(db, _Claims(db))
    if not claims.claim(event_id, now):
        return False
    prune(db, now)
    return True


def prune(db: Database, now: datetime, force: bool = False) -> int:
    """Forget event ids older than a week; runs at most once an hour per process unless forced."""
    with _prune_lock:
        last = _last_prune.get(db.url)
        if not force and last is not None and now - last < PRUNE_EVERY:
            return 0
        _last_prune[db.url] = now
    with db.session() as s:
        result = s.exec(delete(ProcessedEvent).where(ProcessedEvent.received_at < now - KEEP))
        removed = result.rowcount or 0
    if removed:
        log.info("pruned %d processed event ids", removed)
    return removed


def dedupe_events(body: dict, core: Core, next: Callable[[], BoltResponse | None]) -> BoltResponse | None:
    """Global middleware: pass an event on only the first time its `event_id` is seen."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if not event_id:
        return next()
    if not claim(core.db, str(event_id), core.clock.now()):
        log.info("event %s already handled: skipped", event_id)
        return BoltResponse(status=200, body="")
    return next()
