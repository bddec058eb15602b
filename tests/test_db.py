"""Database set-up: URL handling, migrations, UTC timestamps."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.answering.models import Question
from bot.db import Database, normalize_url
from bot.models import ProcessedEvent


def test_postgres_scheme_is_rewritten_for_psycopg() -> None:
    assert normalize_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalize_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_migrations_create_the_core_tables(db: Database) -> None:
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"questions", "answer_feedback", "unanswered_questions", "processed_events", "alembic_version"} <= tables


def test_upgrade_twice_is_harmless(db: Database) -> None:
    db.upgrade()
    db.upgrade()
    assert db.ping()


def test_timestamps_come_back_as_aware_utc(db: Database) -> None:
    moment = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    with db.session() as s:
        s.add(Question(asked_at=moment, text="x", language="nl", outcome="unknown", channel_kind="dm", asker="p"))
    with db.session() as s:
        q = s.exec(sa.select(Question)).scalars().one()
    assert q.asked_at == moment
    assert q.asked_at.tzinfo == UTC


def test_duplicate_event_id_is_refused_by_the_database(db: Database) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    with db.session() as s:
        s.add(ProcessedEvent(event_id="Ev1", received_at=now))
    with pytest.raises(sa.exc.IntegrityError), db.session() as s:
        s.add(ProcessedEvent(event_id="Ev1", received_at=now))


def test_sqlite_uses_wal_and_foreign_keys(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("SQLite pragmas only apply to SQLite")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
