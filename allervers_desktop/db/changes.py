"""Which tables a transaction wrote: for the window's own views, and (NOTIFY) for the others'.

The tables are collected from every INSERT, UPDATE and DELETE a connection executes (the ORM's
flushes and Core statements alike). On PostgreSQL they are sent with ``pg_notify`` just before
the COMMIT, so a notification arrives only for committed work, once per transaction
(``db/notifications.py`` listens); on a file only the window that wrote needs to know."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Delete, Insert, Update

CHANNEL = "allervers_changes"
_PENDING = "allervers_changed_tables"


def track_changes(engine: Engine, *, notify: bool) -> None:
    """Record on each connection the tables its transaction writes (``changed_tables`` reads
    them, so the window reloads only the views that show them); with ``notify`` (PostgreSQL)
    each committed transaction also sends them to the other windows."""

    @event.listens_for(engine, "after_execute")
    def _collect(conn: Any, clause: Any, _multi: Any, _params: Any, _opts: Any, _res: Any) -> None:
        if isinstance(clause, Insert | Update | Delete):
            table = getattr(clause.table, "name", None)
            if table:
                conn.info.setdefault(_PENDING, set()).add(str(table))

    @event.listens_for(engine, "commit")
    def _committed(conn: Any) -> None:
        tables: set[str] | None = conn.info.pop(_PENDING, None)
        if tables and notify:
            cursor = conn.connection.dbapi_connection.cursor()
            try:
                cursor.execute("SELECT pg_notify(%s, %s)", (CHANNEL, ",".join(sorted(tables))))
            finally:
                cursor.close()

    @event.listens_for(engine, "rollback")
    def _forget(conn: Any) -> None:
        if not conn.invalidated:  # a lost connection's record goes with it
            conn.info.pop(_PENDING, None)


def changed_tables(session: Session) -> frozenset[str]:
    """The tables the session's open transaction has written so far (flushed included)."""
    session.flush()
    return frozenset(session.connection().info.get(_PENDING, ()))
