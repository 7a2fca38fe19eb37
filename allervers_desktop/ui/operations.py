"""One way to run a service call from the window and show its failure.

Every tab, form and action of ``ui/`` calls the services through ``Operations``:

- ``write(parent, title, work)`` runs ``work(session)`` in one transaction (on SQLite it takes
  the write lock when it begins); ``read`` runs it in a plain session;
- a failure the user can act on is shown in French and nothing else happens: a service's
  refusal (``ServiceError``: its own message), the database used by another program (« …
  réessayez dans un instant »), a full disk, a read-only file, a lost server connection;
- on success, the tables the transaction wrote are announced (``changed``) so that only the
  views showing them reload — the same path as a colleague's change on a server;
- anything else is a bug: it goes up to the last-resort handler (``ui/error_hook.py``), which
  logs it and shows « Copier les détails ».

Long work runs on the thread pool with a cancellable progress dialog (``ui/tasks.py``); its
failure handlers use the same ``failure_message``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from allervers_desktop.db.changes import changed_tables
from allervers_desktop.db.database import Database, sqlite_reason
from allervers_desktop.files.errors import os_reason
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.prompts import Prompts

T = TypeVar("T")

NOTHING_SAVED = "Rien n'a été enregistré"


@dataclass(frozen=True)
class Done(Generic[T]):
    """A finished operation: what the work returned and the tables it wrote."""

    value: T
    tables: frozenset[str]


def failure_message(error: BaseException) -> str | None:
    """The French message for a failure the user can act on; None for a bug."""
    if isinstance(error, ServiceError):
        return error.message
    if isinstance(error, DBAPIError):  # a file's failure (a server's is a ServerError)
        reason = sqlite_reason(error)
        return f"{NOTHING_SAVED} : {reason}."
    if isinstance(error, OSError):
        return f"{NOTHING_SAVED} : {os_reason(error)}."
    return None


def attempt(
    database: Database,
    work: Callable[[Session], T],
    on_failure: Callable[[str], None],
    *,
    write: bool = True,
) -> Done[T] | None:
    """``work`` in one transaction (``write``) or a reading session; on a known failure,
    ``on_failure(French message)`` and None (nothing committed); a bug is raised."""
    try:
        if write:
            with database.transaction() as session:
                value = work(session)
                tables = changed_tables(session)
        else:
            with database.session() as session:
                value = work(session)
                tables = frozenset()
    except Exception as error:
        message = failure_message(error)
        if message is None:
            raise
        on_failure(message)
        return None
    return Done(value, tables)


class Operations(QObject):
    """Runs the window's service calls (see the module docstring)."""

    # A successful write: the tables it changed (frozenset of names) and the widget it ran
    # from (that view reloads itself; the window reloads the others that show those tables).
    changed = Signal(object, object)

    def __init__(self, database: Database, prompts: Prompts, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self.prompts = prompts

    def write(self, parent: QWidget, title: str, work: Callable[[Session], T]) -> Done[T] | None:
        """``work`` in one transaction; None (the failure shown) when it did not commit."""
        done = attempt(self.database, work, self._shower(parent, title))
        if done is not None:
            self.announce(done.tables, parent)
        return done

    def _shower(self, parent: QWidget, title: str) -> Callable[[str], None]:
        return lambda message: self.prompts.error(parent, title, message)

    def announce(self, tables: frozenset[str], source: QWidget | None) -> None:
        """Say that ``tables`` changed (a form's save, a background job's end)."""
        if tables:
            self.changed.emit(frozenset(tables), source)

    def read(self, parent: QWidget, title: str, work: Callable[[Session], T]) -> Done[T] | None:
        """``work`` in a reading session; None (the failure shown) when it failed."""
        return attempt(self.database, work, self._shower(parent, title), write=False)
