"""Database engine, sessions and migrations (SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
        engine = sa.create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise DatabaseError(f"DATABASE_URL ({shown_url(url)}) kan niet worden gebruikt: {exc}") from None


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs our migrations on `engine`."""
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
    with migration_lock(engine):
        command.upgrade(alembic_config(engine), "head")


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
        """Apply pending migrations; DatabaseError when the database cannot be reached."""
        try:
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
