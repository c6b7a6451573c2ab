"""Database engine, sessions and schema upgrades (Alembic).

SQLite (the embedded default) runs in WAL mode and a write transaction starts
with ``BEGIN IMMEDIATE``, so concurrent writers queue instead of failing
half-way; PostgreSQL runs at READ COMMITTED with row locks where needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from ethicsflow.models.audit import changes
from ethicsflow.models.errors import Conflict, InvalidInput, operation
from ethicsflow.models.settings import get_settings

MIGRATIONS = Path(__file__).with_name("migrations")


def get_engine(url: str | None = None) -> Engine:
    """One engine per database URL per process (default: the settings' URL now)."""
    return _engine(url or get_settings().url)


@lru_cache(maxsize=16)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": 60, "check_same_thread": False},
            hide_parameters=True,  # no personal data in error messages and logs
            # SQLAlchemy's default pool (5 kept, 10 more at once): a pool of 40, one per
            # request thread, made 50 readers slower (56 against 67 requests/s, 20 against
            # 16 ms of CPU a read: docs/api.md)
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            write = conn.get_execution_options().get("ethicsflow_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


@contextmanager
def session_scope(*, write: bool = False, url: str | None = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error.

    After the commit, the case changes it recorded go to the registered emitter
    (``changes.py``; a rolled-back transaction hands on nothing).

    ``write=True`` takes SQLite's write lock at BEGIN, so two writers never
    interleave; a lost optimistic-locking race becomes :class:`Conflict`.
    """
    engine = get_engine(url)
    with engine.connect() as connection:
        connection = connection.execution_options(ethicsflow_write=write)
        with Session(bind=connection, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except StaleDataError as exc:
                session.rollback()
                raise Conflict("db.changed_meanwhile") from exc
            except BaseException:
                session.rollback()
                raise
            changes.hand_over(session)  # committed: the case changes go to the emitter


def insert_for(session: Session) -> Any:
    """The dialect's INSERT construct (it has ``on_conflict_do_nothing``)."""
    # imported here: the dialects cost ~50 ms, and the CLI's reads import this module
    from sqlalchemy.dialects import postgresql, sqlite

    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def alembic_config(url: str) -> Any:
    # imported here: Alembic costs ~0.2 s, and only `init` and serve's child need it
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def init_database(url: str | None = None) -> str:
    """Create or upgrade the schema to the newest revision (idempotent). Returns it."""
    # imported here: Alembic costs ~0.2 s, and only `init` and serve's child need it
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    url = url or get_settings().url
    engine = get_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            revision = MigrationContext.configure(connection).get_current_revision() or ""
        refresh_statistics(url)
        return revision
    except OperationalError as exc:
        shown = repr(engine.url)  # SQLAlchemy's repr hides the password
        raise InvalidInput("db.cannot_open", url=shown, detail=str(exc.orig)) from exc


def refresh_statistics(url: str | None = None) -> None:
    """Give SQLite's query planner statistics of the tables (``ANALYZE``, sampling at most
    400 rows an index: ~4 ms at 100,000 cases). Without them it sorted a body's 100,000
    cases for a queue page of 25 (0.1-0.5 s against 23-26 ms: docs/web.md). PostgreSQL's
    autovacuum keeps its own."""
    url = url or get_settings().url
    if not url.startswith("sqlite"):
        return
    with get_engine(url).connect() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=400")
        connection.exec_driver_sql("ANALYZE")


def schema_revision(url: str | None = None) -> str | None:
    """The schema revision of the database, or None when it was never initialized.

    A plain query (no Alembic import): it runs before every command.
    """
    url = url or get_settings().url
    if url.startswith("sqlite") and not _sqlite_file_exists(url):
        return None  # do not create an empty database file just by looking
    engine = get_engine(url)
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        return str(row[0]) if row else None


def _sqlite_file_exists(url: str) -> bool:
    path = url.split("///", 1)[-1].split("?", 1)[0]
    return path in ("", ":memory:") or Path(path).exists()


def require_schema(url: str | None = None) -> None:
    if schema_revision(url) is None:
        raise InvalidInput("db.not_initialized", init=operation("init", program=True))
