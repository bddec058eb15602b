"""Shared fixtures: a fresh migrated database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.config import Settings, load_settings
from bot.db import Database, make_engine, normalize_url, upgrade
from tests.fakes.clock import FrozenClock
from tests.fakes.messenger import FakeMessenger

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
_counter = itertools.count()


def _admin_engine(url: str) -> sa.Engine:
    return sa.create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")


def _with_database(url: str, name: str) -> str:
    return normalize_url(url).rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated template database made once per run."""
    if PG_URL:
        name = f"lefbot_tmpl_{uuid.uuid4().hex[:8]}"
        admin = _admin_engine(PG_URL)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine = make_engine(_with_database(PG_URL, name))
        upgrade(engine)
        engine.dispose()
        yield name
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        yield str(path)


@contextmanager
def fresh_database(template: str, name: str, folder: Path) -> Iterator[str]:
    """A copy of the migrated template (a PostgreSQL database `name`, or a SQLite file in `folder`)."""
    if PG_URL:
        admin = _admin_engine(PG_URL)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        yield _with_database(PG_URL, name)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = folder / "lefbot.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def database_url(_template: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, migrated, empty database for this test."""
    with fresh_database(_template, f"lefbot_t_{os.getpid()}_{next(_counter)}", tmp_path) as url:
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A Database on the fresh test database."""
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """A clean environment for lefbot commands in tests (no Slack credentials)."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-0123456789",
        "LEFBOT_DATA_DIR": str(tmp_path / "data"),
        "PATH": os.environ.get("PATH", ""),
    }


@pytest.fixture
def settings(env: dict[str, str]) -> Settings:
    """Validated settings for the test database."""
    return load_settings(env, dotenv=False)


@pytest.fixture
def clock() -> FrozenClock:
    """A frozen clock at 2026-12-01 08:00 UTC (a Tuesday)."""
    return FrozenClock()


@pytest.fixture
def messenger() -> FakeMessenger:
    """A recording messenger."""
    return FakeMessenger()


@pytest.fixture
def run_cli(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):  # noqa: ANN201
    """Run `lefbot ARGS…` in-process on the test database (no scheduler); returns (exit code, stdout, stderr)."""
    from bot import cli

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("SCHEDULER_ENABLED", "false")

    def _run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run
