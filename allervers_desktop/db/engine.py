"""Create the SQLAlchemy engine and session factory; dialect-specific settings live here alone."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from allervers_desktop.db import change_tracking  # noqa: F401  (its flush listeners)

# A writer beside another (a second window, a command line beside the window) waits this
# long for the write lock: an import or a batch of marks takes seconds, not minutes.
BUSY_TIMEOUT_MS = 20_000
# On the window's GUI thread a write waits at most this long (a short freeze), then the
# user is told « la base est utilisée par un autre programme… réessayez ».
INTERACTIVE_BUSY_TIMEOUT_MS = 2_000
# Execution option of the engine that write transactions use (``Database.transaction``):
# their BEGIN takes the write lock at once, so that the busy timeout applies. A deferred
# transaction that upgrades to a write later fails at once with SQLITE_BUSY instead.
IMMEDIATE = "allervers_immediate"

# PostgreSQL: a dead network or server never freezes the program for long. A connection
# attempt gives up after CONNECT_TIMEOUT_S; a statement (a lock wait included) after
# STATEMENT_TIMEOUT_MS; TCP keepalives notice a vanished server within about half a minute.
CONNECT_TIMEOUT_S = 10
STATEMENT_TIMEOUT_MS = 30_000
IDLE_IN_TRANSACTION_TIMEOUT_MS = 300_000
SERVER_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "application_name": "allervers",
    "options": (
        f"-c statement_timeout={STATEMENT_TIMEOUT_MS} "
        f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_TIMEOUT_MS} "
        "-c client_encoding=UTF8"
    ),
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}

_interactive = threading.local()


def wait_briefly_on_this_thread(active: bool = True) -> None:
    """Called by the window on the GUI thread: its writes wait only briefly for the lock
    (the long work, imports and batches, runs on worker threads and waits longer)."""
    _interactive.active = active


def busy_timeout_ms() -> int:
    """The busy timeout of a write transaction begun by the current thread."""
    if getattr(_interactive, "active", False):
        return INTERACTIVE_BUSY_TIMEOUT_MS
    return BUSY_TIMEOUT_MS


def sqlite_url(path: Path) -> URL:
    """URL of a local file, built as an object so that « ? », « % » or « # » in the path
    are kept as they are instead of being parsed as URL syntax."""
    return URL.create("sqlite+pysqlite", database=str(path))


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every connection, and real transactions around DDL too."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin,
        # so that schema changes are transactional as well.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(IMMEDIATE):
            # Reads (the lazy lists, the forms) stay deferred: in WAL mode they never take
            # the write lock, so they neither wait for a writer nor block one.
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def make_engine(url_or_path: str | URL | Path) -> Engine:
    """Engine for a database URL or a local SQLite file path.

    On PostgreSQL transactions are plain READ COMMITTED ones: the invariants rest on
    constraints and row locks (``SELECT … FOR UPDATE``) taken by the services, not on one
    writer at a time as with SQLite's ``BEGIN IMMEDIATE``."""
    url = sqlite_url(url_or_path) if isinstance(url_or_path, Path) else make_url(url_or_path)
    if url.get_backend_name() == "postgresql":
        from allervers_desktop.db.notifications import announce_changes

        server = create_engine(
            url.set(drivername="postgresql+psycopg"),
            connect_args=dict(SERVER_CONNECT_ARGS),
            isolation_level="READ COMMITTED",
            pool_pre_ping=True,
        )
        announce_changes(server)  # the other windows refresh what this one changed
        return server
    from allervers_desktop.db.changes import track_changes

    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    track_changes(engine, notify=False)  # the window reloads only what its writes changed
    return engine


def make_session_factory(engine: Engine, *, write: bool = False) -> sessionmaker[Session]:
    """Sessions for reading, or (``write``) sessions whose transactions take the write lock
    when they begin."""
    bind = engine.execution_options(**{IMMEDIATE: True}) if write else engine
    return sessionmaker(bind, expire_on_commit=False)
