"""Open the database file safely: check it, back it up, migrate it, hand out sessions."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from allervers_desktop.clock import Clock, default_clock
from allervers_desktop.db.backups import (
    CopyInvalid,
    copy_database,
    lenient_text,
    remove_leftovers,
)
from allervers_desktop.db.engine import make_engine, make_session_factory
from allervers_desktop.db.location import describe
from allervers_desktop.db.recognition import Kind, recognise
from allervers_desktop.db.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from allervers_desktop.db.server_errors import (
    ServerError,
    ServerFailure,
    is_server_failure,
    server_error,
)

# The French OS reasons live in files.errors; re-exported for the callers that import them here.
from allervers_desktop.files.errors import OS_ERROR_REASONS as OS_ERROR_REASONS
from allervers_desktop.files.errors import os_reason as os_reason
from allervers_desktop.services.errors import ServiceError

SQLITE_HEADER = b"SQLite format 3\x00"

BUSY_MESSAGE = (
    "La base est utilisée par un autre programme (une autre fenêtre ou une commande en "
    "cours) : rien n'a été enregistré. Réessayez dans un instant."
)


class DatabaseBusyError(ServiceError):
    """Another program held the write lock longer than the busy timeout; nothing written."""


class DatabaseOpenError(Exception):
    """The file cannot be used; ``message`` is shown to the user as is (French)."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.message = message
        # "foreign", "damaged", "newer"…: lets a restore tell a damaged file of ours apart.
        self.kind = kind


@dataclass(frozen=True)
class FileState:
    """What a look at the file found, before anything is written."""

    exists: bool
    revision: str | None  # None: empty file or no file yet

    @property
    def needs_migration(self) -> bool:
        return self.revision != HEAD_REVISION


READ_ONLY_MESSAGE = (
    "Lecture seule : votre compte sur le serveur a le droit de consulter les données, pas de "
    "les modifier ; rien n'a été enregistré. Demandez les droits de coordinateur à "
    "l'administrateur du serveur."
)
READ_ONLY_TIP = "Lecture seule : votre compte sur le serveur ne peut pas modifier les données."

NOT_A_FILE_MESSAGE = (
    "Les données sont sur un serveur : cette action ne concerne qu'un fichier local "
    "(sauvegarde et restauration d'un serveur : son administrateur, avec pg_dump)."
)


@dataclass
class Database:
    """An opened, up-to-date database: one engine, sessions on demand.

    ``file`` is the local SQLite file, or None for a PostgreSQL server (``url``)."""

    file: Path | None
    engine: Engine
    session_factory: sessionmaker[Session]
    backup_path: Path | None = None
    created: bool = False
    clock: Clock = field(default_factory=default_clock)  # « now » for the time rules
    # A server login with the right to read only: every write is refused before it starts.
    read_only: bool = False
    _closed: bool = field(default=False, repr=False)
    _write_factory: sessionmaker[Session] | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        """The local file; a ServiceError (French) for a server database."""
        if self.file is None:
            raise ServiceError(NOT_A_FILE_MESSAGE)
        return self.file

    @property
    def user(self) -> str:
        """Who makes the changes: the server's login, or the computer's user for a file."""
        from allervers_desktop.db.change_tracking import os_user

        if self.file is None and self.url.username:
            return str(self.url.username)
        return os_user()

    @property
    def on_server(self) -> bool:
        return self.file is None

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def target(self) -> str:
        """What ``--db`` takes to open this database again (the URL keeps its password)."""
        if self.file is not None:
            return str(self.file)
        return self.url.set(drivername="postgresql").render_as_string(hide_password=False)

    @property
    def location(self) -> str:
        """Where the data is, for the user: the file, or « Serveur base sur hôte »."""
        return describe(self.file if self.file is not None else self.url)

    @property
    def display_name(self) -> str:
        """The file's name, or the server database's name (a window title)."""
        return self.file.name if self.file is not None else str(self.url.database)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one unit of work; the caller commits what belongs together."""
        with self.session_factory(info={"clock": self.clock, "user": self.user}) as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        SQLite: its transaction takes the write lock when it begins (``BEGIN IMMEDIATE``),
        waiting for another writer up to the busy timeout; past it, ``DatabaseBusyError``.
        PostgreSQL: a READ COMMITTED transaction; the services lock the rows they depend on.
        A lost connection, a timeout or a refused right is a ``ServiceError`` (French)
        saying that nothing was saved."""
        if self.read_only:
            raise ServerError(READ_ONLY_MESSAGE, ServerFailure.READ_ONLY)
        if self._write_factory is None:
            self._write_factory = make_session_factory(self.engine, write=True)
        try:
            info = {"clock": self.clock, "user": self.user}
            with self._write_factory(info=info) as session, session.begin():
                yield session
        except StaleDataError as exc:  # a version counter moved between the check and the write
            from allervers_desktop.services.versions import StaleRecordError

            raise StaleRecordError() from exc
        except OperationalError as exc:
            if self.file is None:
                raise server_error(exc) from exc
            if "verrouillée" in sqlite_reason(exc):
                raise DatabaseBusyError(BUSY_MESSAGE) from exc
            raise
        except DBAPIError as exc:
            if self.file is None and is_server_failure(exc):
                raise server_error(exc) from exc
            raise

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True


def sqlite_reason(exc: BaseException) -> str:
    """A short French reason for an SQLite or SQLAlchemy error (first line, no SQL dump)."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else ""
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        return "la base est verrouillée par un autre programme"
    if "disk is full" in lowered or "database or disk is full" in lowered:
        return "le disque est plein"
    if "malformed" in lowered or "not a database" in lowered:
        return "le fichier est endommagé"
    if "readonly" in lowered or "read-only" in lowered:
        return "le fichier est en lecture seule"
    if "unable to open" in lowered:
        return "le fichier ne peut pas être ouvert"
    return f"erreur SQLite : {text}" if text else type(original).__name__


def copy_failure_reason(exc: BaseException) -> str:
    """French reason for a failed copy of the database (backup, restore)."""
    if isinstance(exc, CopyInvalid):
        return exc.reason
    if isinstance(exc, OSError):
        return os_reason(exc)
    return sqlite_reason(exc)


def read_only_uri(path: Path) -> str:
    """An SQLite URI that reads ``path`` without ever writing to it or beside it.

    A read-only connection to a WAL database would still create the ``-wal`` and ``-shm``
    files next to it; ``immutable=1`` avoids that, and is safe only when no ``-wal`` file
    holds pending changes (then the plain read-only mode reads them).
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not path.with_name(f"{path.name}-wal").exists():
        uri += "&immutable=1"
    return uri


def _quick_check(connection: sqlite3.Connection, name: str) -> None:
    check = connection.execute("PRAGMA quick_check").fetchall()
    if [row[0] for row in check] != ["ok"]:
        raise DatabaseOpenError(
            f"La base de données {name} est endommagée (échec du contrôle d'intégrité). "
            "Elle n'a pas été modifiée ; restaurez une sauvegarde.",
            "damaged",
        )


def inspect_file(path: Path, *, integrity: bool = True) -> FileState:
    """Check the file without modifying it; raise DatabaseOpenError with a French message.

    ``integrity=False`` skips ``PRAGMA quick_check`` when the file is already at the current
    schema and in WAL mode (opening it then writes nothing); a migration always checks first.
    """
    if not path.exists():
        return FileState(exists=False, revision=None)
    name = f"« {path} »"
    if path.is_dir():
        raise DatabaseOpenError(f"{name} est un dossier, pas un fichier de base de données.")
    try:
        with path.open("rb") as handle:
            first_bytes = handle.read(100)
    except OSError as exc:
        raise DatabaseOpenError(
            f"Le fichier {name} ne peut pas être lu : {os_reason(exc)}."
        ) from exc
    header = first_bytes[: len(SQLITE_HEADER)]
    if not header:
        return FileState(exists=True, revision=None)
    if header != SQLITE_HEADER:
        raise DatabaseOpenError(
            f"Le fichier {name} n'est pas une base de données SQLite. Il n'a pas été modifié.",
            "not_sqlite",
        )
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        connection.text_factory = lenient_text
    except sqlite3.Error as exc:
        raise DatabaseOpenError(
            f"Le fichier {name} ne peut pas être ouvert : {sqlite_reason(exc)}."
        ) from exc
    # Bytes 18-19 are 2 in WAL mode; opening switches any other file to WAL, a write, so such
    # a file is always checked first.
    wal = first_bytes[18:20] == b"\x02\x02"
    try:
        kind = recognise(connection)
        if kind is Kind.FOREIGN:
            raise DatabaseOpenError(
                f"Le fichier {name} est une base SQLite, mais pas une base allervers. "
                "Il n'a pas été modifié.",
                "foreign",
            )
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if kind is Kind.NEW or "alembic_version" not in tables:
            if tables:  # the marker, but not even the version table: not ours to fill
                raise DatabaseOpenError(
                    f"La base de données {name} est incomplète. Elle n'a pas été modifiée ; "
                    "restaurez une sauvegarde.",
                    "damaged",
                )
            return FileState(exists=True, revision=None)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if integrity or row is None or row[0] != HEAD_REVISION or not wal:
            _quick_check(connection, name)
    except UnicodeDecodeError as exc:  # SQLite quoting a damaged name of its schema
        raise DatabaseOpenError(
            f"La base de données {name} est endommagée : elle ne peut pas être lue. "
            "Elle n'a pas été modifiée ; restaurez une sauvegarde.",
            "damaged",
        ) from exc
    except sqlite3.DatabaseError as exc:
        reason = sqlite_reason(exc)
        if "verrouillée" in reason:
            raise DatabaseOpenError(
                f"La base de données {name} est verrouillée par un autre programme.", "locked"
            ) from exc
        if "endommagé" in reason:
            raise DatabaseOpenError(
                f"La base de données {name} est endommagée : elle ne peut pas être lue. "
                "Elle n'a pas été modifiée ; restaurez une sauvegarde.",
                "damaged",
            ) from exc
        raise DatabaseOpenError(
            f"La base de données {name} est illisible ({reason}). Elle n'a pas été modifiée.",
            "damaged",
        ) from exc
    finally:
        connection.close()
    revision = row[0] if row else None
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise DatabaseOpenError(
            f"La base de données {name} a été écrite par une version plus récente "
            f"d'allervers (schéma « {revision} »). Mettez l'application à jour ; "
            "le fichier n'a pas été modifié.",
            "newer",
        )
    return FileState(exists=True, revision=revision)


def backup_file(path: Path, *, now: dt.datetime | None = None) -> Path:
    """Copy the database beside itself, verified, under a name never used; return its path.

    The copy is complete under its final name or absent (see ``db/backups.py``).
    """
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}-sauvegarde-{stamp}{path.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.stem}-sauvegarde-{stamp}-{counter}{path.suffix}")
    return copy_database(path, target)


def open_database(path: Path, *, migrate: bool = True, integrity: bool = True) -> Database:
    """Check ``path``, back it up and migrate it when needed, and return the open database.

    With ``integrity=False`` an up-to-date file in WAL mode is opened without
    ``PRAGMA quick_check``, for a caller that has just run ``inspect_file(path)`` itself.
    """
    state = inspect_file(path, integrity=integrity)
    backup_path: Path | None = None
    if state.needs_migration and not migrate:
        raise DatabaseOpenError(
            f"La base de données « {path} » doit être mise à jour avant d'être utilisée."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(
            f"Le dossier « {path.parent} » ne peut pas être créé : {os_reason(exc)}."
        ) from exc
    if state.exists:  # copies a killed process left beside the file
        remove_leftovers(path.parent, f"{path.stem}-")
    if state.needs_migration and state.revision is not None:
        try:
            backup_path = backup_file(path)
        except (OSError, sqlite3.Error, CopyInvalid) as exc:
            reason = copy_failure_reason(exc)
            raise DatabaseOpenError(
                f"La sauvegarde de « {path} » avant mise à jour a échoué ({reason}) ; "
                "la base n'a pas été modifiée."
            ) from exc
    engine = make_engine(path)
    if state.needs_migration:
        from allervers_desktop.db.migrate import upgrade  # Alembic only when needed

        try:
            upgrade(engine)
        except Exception as exc:
            engine.dispose()
            where = (
                f" La copie faite avant la mise à jour est dans « {backup_path} »."
                if backup_path
                else ""
            )
            raise DatabaseOpenError(
                f"La mise à jour de la base « {path} » a échoué ({sqlite_reason(exc)}).{where}"
            ) from exc
    return Database(
        file=path,
        engine=engine,
        session_factory=make_session_factory(engine),
        backup_path=backup_path,
        created=state.revision is None,
    )
