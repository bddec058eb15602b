"""Database engine, sessions and migrations (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Threads that may hold a connection at once: gunicorn's 8 request threads, Bolt's 16 listener threads, and a
# few background ones (the question log, the scheduler). A smaller pool opens and closes connections under load.
POOL_SIZE = 28
POOL_OVERFLOW = 8


class DatabaseError(Exception):
    """The database cannot be used (bad URL, missing driver, not reachable); the message is one line for people."""


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(ongeldige URL)"


def connection_problem(exc: BaseException, url: str) -> DatabaseError:
    """A one-line explanation of a database that does not answer, naming DATABASE_URL (never its password)."""
    orig = getattr(exc, "orig", None) or exc
    reason = next((line.strip() for line in str(orig).splitlines() if line.strip()), type(orig).__name__)
    return DatabaseError(
        f"kan de database in DATABASE_URL ({shown_url(url)}) niet gebruiken: {reason[:300]}; "
        "controleer of de database draait en of DATABASE_URL klopt"
    )


def normalize_url(url: str) -> str:
    """Accept Heroku-style postgres:// URLs and use the psycopg 3 driver for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine with the right options for the backend; DatabaseError when the URL cannot work."""
    url = normalize_url(url)
    try:
        parsed = sa.make_url(url)
        backend = parsed.get_backend_name()
    except sa.exc.ArgumentError:
        raise DatabaseError(
            f"DATABASE_URL ({shown_url(url)}) is geen geldige database-URL; "
            "gebruik bijvoorbeeld sqlite:///lefbot.db of postgresql://user:wachtwoord@host/db"
        ) from None
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"DATABASE_URL: lefbot werkt met SQLite en PostgreSQL, niet met {backend!r}; "
            "gebruik bijvoorbeeld sqlite:///lefbot.db of postgresql://user:wachtwoord@host/db"
        )
    if backend == "sqlite":
        pool: dict[str, int] = {}
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            blocker = next((p for p in (folder, *folder.parents) if p.exists()), folder)
            if not blocker.is_dir():
                raise DatabaseError(f"DATABASE_URL: {str(blocker)!r} is een bestand, geen map; kies een andere plek")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"DATABASE_URL: kan de map {str(folder)!r} voor de database niet maken ({exc.strerror}); "
                    "kies een andere plek"
                ) from None
            pool = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}
        engine = sa.create_engine(url, connect_args={"timeout": 15, "check_same_thread": False}, **pool)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # No pre-ping (a round trip before every checkout): a connection the server dropped fails one unit of work,
    # and SQLAlchemy then discards every pooled connection; recycling keeps them from going stale behind a proxy.
    try:
        return sa.create_engine(
            url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, pool_recycle=1800, pool_use_lifo=True
        )
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise DatabaseError(f"DATABASE_URL ({shown_url(url)}) kan niet worden gebruikt: {exc}") from None


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs our migrations on `engine`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


MIGRATION_LOCK_ID = 0x1EFB07  # the PostgreSQL advisory lock that serialises `upgrade` across processes


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold a lock across processes while migrating: a PostgreSQL advisory lock, or a file lock for SQLite."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
                conn.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    with open(f"{database}.migrate.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def upgrade(engine: Engine) -> None:
    """Bring the schema up to date; safe when several processes start at once on a fresh database."""
    from alembic import command

    with migration_lock(engine):
        command.upgrade(alembic_config(engine), "head")


@cache
def head_revision() -> str | None:
    """The one head of our migrations, read from their files; None when that is not clear (then ask Alembic)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]\s*$", text, re.M)
        parent = re.search(r"^down_revision\b[^=]*=\s*(.+?)\s*$", text, re.M)
        if revision is None or parent is None:
            return None
        revisions.add(revision.group(1))
        if parent.group(1) != "None":
            single = re.fullmatch(r"['\"]([^'\"]+)['\"]", parent.group(1))
            if single is None:  # a merge of two heads
                return None
            parents.add(single.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def at_head(engine: Engine) -> bool:
    """Whether the database is at the newest migration (one cheap query; Alembic is not even imported)."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
    except sa.exc.DBAPIError:  # no alembic_version table yet
        return False


class Database:
    """The engine plus one session per unit of work."""

    def __init__(self, url: str) -> None:
        self.given_url = url  # as the operator wrote it, for messages
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)

    @property
    def is_sqlite(self) -> bool:
        """True for SQLite."""
        return self.engine.dialect.name == "sqlite"

    def upgrade(self) -> None:
        """Apply pending migrations (none to apply is checked without loading Alembic); DatabaseError when the
        database cannot be reached."""
        try:
            if not at_head(self.engine):
                upgrade(self.engine)
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise connection_problem(exc, self.given_url) from None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back when it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def dispose(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()
