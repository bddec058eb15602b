"""The question log: what was asked, written off the answer's critical path by one writer thread in batches.

Each question gets its id at once (its reply's buttons carry it), from blocks of ids reserved in the
database (PostgreSQL: its sequence) or counted on from the highest stored id (SQLite). In the background the
writer gathers questions for a quarter of a second after the first one and stores them in one transaction, so
a question is stored well within a second. `flush()` hurries the writer and waits until all earlier questions
are stored: readers of the log call it first. At exit the queue is written; a crash (SIGKILL, power loss)
loses only questions not yet stored, at most the last second's.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from typing import Any

import sqlalchemy as sa

from bot.db import Database
from bot.models import Question, UnansweredQuestion

log = logging.getLogger(__name__)

ID_BLOCK = 50  # PostgreSQL: ids reserved per round trip (unused ones are gaps, as with any sequence)
MAX_BATCH = 500
LINGER = 0.25  # seconds the writer gathers questions after the first before writing them in one transaction

_questions = Question.__table__
_unanswered = UnansweredQuestion.__table__


class QuestionLog:
    """Stores questions and their "unanswered" marks; synchronously until `start()`, then in the background."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._ids: list[int] = []
        self._last_sqlite_id = 0
        self._sqlite_synced = False
        self._ids_lock = threading.Lock()
        self._queue: queue.SimpleQueue[tuple[dict[str, Any], dict[str, Any] | None] | None] = queue.SimpleQueue()
        self._done = threading.Condition()
        self._queued = self._written = 0
        self._thread: threading.Thread | None = None
        self._hurry = threading.Event()

    def start(self) -> None:
        """Write in the background from now on (and flush at interpreter exit)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="lefbot-question-log", daemon=True)
            self._thread.start()
            atexit.register(self.close)

    def add(self, question: dict[str, Any], reason: str | None) -> int:
        """Store a question (a `questions` row without id) and, with a reason, its unanswered mark; its id."""
        if self._thread is None:
            return self._insert_returning_id(question, reason)
        row = {**question, "id": self._next_id()}
        item = (row, _mark(row["id"], row["asked_at"], reason))
        with self._done:
            self._queued += 1
        self._queue.put(item)
        return row["id"]

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every question added before this call is stored (or tried and logged)."""
        with self._done:
            target = self._queued
            if self._written < target:
                self._hurry.set()
            self._done.wait_for(lambda: self._written >= target, timeout)

    def close(self) -> None:
        """Store what is queued and stop the writer."""
        thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            self._hurry.set()
            thread.join(10)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
            item = self._queue.get()
            if item is not None:
                self._hurry.wait(LINGER)  # let more questions arrive, unless a reader waits for them
                self._hurry.clear()
            while item is not None:
                batch.append(item)
                if len(batch) >= MAX_BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            stopping = item is None
            if batch:
                self._write(batch)
                with self._done:
                    self._written += len(batch)
                    self._done.notify_all()

    def _write(self, batch: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> None:
        """One transaction for the batch; if it fails, each question on its own."""
        try:
            self._insert(batch)
        except sa.exc.SQLAlchemyError:
            log.warning("storing %d questions at once failed; storing them one by one", len(batch), exc_info=True)
            for item in batch:
                try:
                    self._insert([item])
                except sa.exc.IntegrityError:  # SQLite: another process took the id; its buttons say "not yours"
                    self._insert_with_new_id(item)
                except sa.exc.SQLAlchemyError:
                    log.exception("question %s was not stored", item[0]["id"])

    def _insert(self, batch: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(sa.insert(_questions), [row for row, _ in batch])
            marks = [mark for _, mark in batch if mark]
            if marks:
                conn.execute(sa.insert(_unanswered), marks)

    def _insert_with_new_id(self, item: tuple[dict[str, Any], dict[str, Any] | None]) -> None:
        row, mark = item
        log.warning("question id %s was taken by another process; stored under a new id", row["id"])
        try:
            self._insert_returning_id({k: v for k, v in row.items() if k != "id"}, mark["reason"] if mark else None)
        except sa.exc.SQLAlchemyError:
            log.exception("question %s was not stored", row["id"])
        with self._ids_lock:
            self._sqlite_synced = False  # count on from the stored maximum again

    def _insert_returning_id(self, question: dict[str, Any], reason: str | None) -> int:
        with self.db.engine.begin() as conn:
            question_id = conn.execute(sa.insert(_questions).returning(_questions.c.id), [question]).scalar_one()
            if reason:
                conn.execute(sa.insert(_unanswered), [_mark(question_id, question["asked_at"], reason)])
        return question_id

    def _next_id(self) -> int:
        with self._ids_lock:
            if self.db.is_sqlite:
                if not self._sqlite_synced:
                    with self.db.engine.connect() as conn:
                        stored = conn.execute(sa.select(sa.func.max(_questions.c.id))).scalar() or 0
                    self._last_sqlite_id, self._sqlite_synced = max(self._last_sqlite_id, stored), True
                self._last_sqlite_id += 1
                return self._last_sqlite_id
            if not self._ids:
                with self.db.engine.connect() as conn:
                    self._ids = list(
                        conn.execute(
                            sa.text(
                                "SELECT nextval(pg_get_serial_sequence('questions', 'id')) FROM generate_series(1, :n)"
                            ),
                            {"n": ID_BLOCK},
                        ).scalars()
                    )[::-1]
            return self._ids.pop()


def _mark(question_id: int, now: Any, reason: str | None) -> dict[str, Any] | None:
    """The `unanswered_questions` row of a question the bot could not answer well."""
    if not reason:
        return None
    return {"question_id": question_id, "reason": reason, "status": "open", "created_at": now}
