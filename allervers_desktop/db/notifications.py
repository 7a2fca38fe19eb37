"""Others' changes: each committed write on a server says which tables it changed (NOTIFY);
every window listens (LISTEN) and refreshes what shows them. A file has no such need.

The tables are collected from every INSERT, UPDATE and DELETE a connection executes (the ORM's
flushes and Core statements alike) and sent with ``pg_notify`` just before the COMMIT, so a
notification arrives only for committed work, once per transaction."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import psycopg
from sqlalchemy import Engine

from allervers_desktop.db.changes import CHANNEL, track_changes
from allervers_desktop.db.engine import SERVER_CONNECT_ARGS

# How long the listener waits between looks at its stop flag, and before reconnecting.
POLL_S = 0.5
RECONNECT_S = 5.0

_log = logging.getLogger(__name__)


def announce_changes(engine: Engine) -> None:
    """Make ``engine`` (PostgreSQL) notify the tables each committed transaction changed."""
    track_changes(engine, notify=True)


class ChangeListener:
    """A thread holding one LISTEN connection; ``on_change(tables)`` runs on that thread
    (the window hands it to the GUI thread). It reconnects after a lost connection."""

    def __init__(self, engine: Engine, on_change: Callable[[set[str]], None]) -> None:
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        self._connect_args = (cargs, {**cparams, **SERVER_CONNECT_ARGS})
        self._on_change = on_change
        self._stop = threading.Event()
        self.listening = threading.Event()  # set once LISTEN is in place (tests wait on it)
        self._thread = threading.Thread(target=self._run, name="allervers-ecoute", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: bool = False) -> None:
        """Ask the thread to end: it closes its connection within ``POLL_S``. The window does
        not wait for it (closing stays instant); ``wait`` joins it."""
        self._stop.set()
        if wait:
            self._thread.join(timeout=5)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as exc:
                self.listening.clear()
                _log.info("Écoute des changements interrompue (%s) ; nouvel essai.", exc)
                self._stop.wait(RECONNECT_S)

    def _listen(self) -> None:
        cargs, cparams = self._connect_args
        with psycopg.connect(*cargs, autocommit=True, **cparams) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            self.listening.set()
            while not self._stop.is_set():
                tables: set[str] = set()
                for notify in connection.notifies(timeout=POLL_S):
                    tables.update(t for t in notify.payload.split(",") if t)
                if tables:
                    self._on_change(tables)
                elif self._stop.is_set():
                    return
                time.sleep(0)  # let the GUI thread run between bursts
