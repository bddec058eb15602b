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
from typing import Any

from slack_bolt.response import BoltResponse
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
    """One autocommit DBAPI connection of a database, kept out of the pool for claims (one thread at a time).

    The statement goes straight to the driver, compiled once: it runs before every ack, and SQLAlchemy's
    per-statement work cost more than the insert itself.
    """

    def __init__(self, db: Database) -> None:
        self.engine = db.engine
        dialect = self.engine.dialect
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.sql = (
            f"INSERT INTO {ProcessedEvent.__tablename__} (event_id, received_at) VALUES ({mark}, {mark}) "
            "ON CONFLICT (event_id) DO NOTHING"
        )
        column_type = ProcessedEvent.__table__.c.received_at.type
        self.to_db = column_type.bind_processor(dialect) or (lambda value: value)  # as the ORM would store it
        self.errors = dialect.loaded_dbapi.Error
        self.lock = threading.Lock()
        self.conn: Any = None

    def claim(self, event_id: str, now: datetime) -> bool:
        """Insert the id unless it is there; True when this call inserted it."""
        values = (event_id[:100], self.to_db(now))
        with self.lock:
            for attempt in (1, 2):
                if self.conn is None:
                    self.conn = self._connect()
                try:
                    cursor = self.conn.cursor()
                    try:
                        cursor.execute(self.sql, values)
                        return cursor.rowcount == 1  # 0: the id was there (a conflict)
                    finally:
                        cursor.close()
                except self.errors:
                    self.conn.close()  # a dropped or broken connection: open a new one, once
                    self.conn = None
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    def _connect(self) -> Any:
        pooled = self.engine.raw_connection()
        conn = pooled.driver_connection
        pooled.detach()  # ours alone from now on: its autocommit setting never reaches the pool
        if self.engine.dialect.name == "sqlite":
            conn.isolation_level = None  # autocommit: each statement commits on its own
        else:
            conn.autocommit = True
            # Do not wait for the WAL flush before the ack: the claims of the last moment before a crash of the
            # database server itself (not of lefbot) can be lost, and only then is a redelivery answered twice.
            conn.execute("SET synchronous_commit = off")
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
