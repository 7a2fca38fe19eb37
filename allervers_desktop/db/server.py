"""Open a PostgreSQL server database: connect, check the marker and the schema, never migrate.

On a server, only an administrator upgrades the schema (``allervers db upgrade --db URL``,
``upgrade_server``): a client meeting an older schema is refused with the command to run,
one meeting a newer schema is told to update the application. The marker is the one row of
``allervers_meta`` (revision 0010); a database holding other tables without it is another
application's, never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import URL, Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from allervers_desktop.db.database import Database, DatabaseOpenError, open_database
from allervers_desktop.db.engine import make_engine, make_session_factory
from allervers_desktop.db.location import Location, server_host
from allervers_desktop.db.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from allervers_desktop.db.server_errors import connect_message, first_line

UPGRADE_COMMAND = "allervers db upgrade"
# Held by ``upgrade_server`` around the look, the upgrade and the look after, on its own
# connection (the migrations take UPGRADE_LOCK_KEY in their transaction, see env.py): a
# second administrator waits, then reports that nothing was left to do.
ADMIN_LOCK_KEY = 0x414C5653


def where(url: URL) -> str:
    """« « equipe-ge » sur pg.exemple.local », for the messages."""
    return f"« {url.database} » sur {server_host(url)}"


@dataclass(frozen=True)
class ServerState:
    """What a look at the server database found, before anything is written."""

    empty: bool  # no table at all: the schema may be created by an upgrade
    revision: str | None
    writable: bool = True  # the login may change the data (a reader's role may not)


def inspect_server(connection: Connection, url: URL) -> ServerState:
    """Classify the database; DatabaseOpenError (French) for another application's one."""
    tables = set(
        connection.execute(
            text("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    if not tables:
        return ServerState(empty=True, revision=None)
    marked = False
    if "allervers_meta" in tables:
        application = connection.execute(
            text("SELECT application FROM allervers_meta WHERE id = 1")
        ).scalar()
        marked = application == "allervers"
    if not marked or "alembic_version" not in tables:
        raise DatabaseOpenError(
            f"La base {where(url)} n'est pas une base allervers (elle contient d'autres "
            "tables). Elle n'a pas été modifiée.",
            "foreign",
        )
    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    writable = connection.execute(
        text("SELECT has_table_privilege('participants', 'INSERT, UPDATE')")
    ).scalar()
    return ServerState(
        empty=False,
        revision=str(revision) if revision is not None else None,
        writable=bool(writable) if "participants" in tables else True,
    )


def _connect_failure(exc: BaseException, url: URL) -> DatabaseOpenError:
    message, failure = connect_message(exc, where(url))
    return DatabaseOpenError(message, failure.value)


def _check_revision(state: ServerState, url: URL) -> None:
    if state.empty:
        raise DatabaseOpenError(
            f"La base {where(url)} est vide : son administrateur doit d'abord y créer les "
            f"tables d'allervers ({UPGRADE_COMMAND} --db …).",
            "empty",
        )
    if state.revision not in KNOWN_REVISIONS:
        raise DatabaseOpenError(
            f"La base du serveur {where(url)} a été mise à jour par une version plus récente "
            f"d'allervers (schéma « {state.revision} ») : mettez l'application à jour.",
            "newer",
        )
    if state.revision != HEAD_REVISION:
        raise DatabaseOpenError(
            f"La base du serveur {where(url)} doit être mise à jour par son administrateur "
            f"({UPGRADE_COMMAND}) avant d'être utilisée par cette version d'allervers.",
            "older",
        )


def _inspect(engine: Engine, url: URL) -> ServerState:
    try:
        with engine.connect() as connection:
            return inspect_server(connection, url)
    except DBAPIError as exc:
        raise _connect_failure(exc, url) from exc


def open_server(url: URL) -> Database:
    """Connect to the server database at ``url`` and check it is at this version's schema."""
    engine = make_engine(url)
    try:
        state = _inspect(engine, url)
        _check_revision(state, url)
    except BaseException:
        engine.dispose()
        raise
    return Database(
        file=None,
        engine=engine,
        session_factory=make_session_factory(engine),
        read_only=not state.writable,
    )


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None  # None: the tables were created
    after: str

    @property
    def message(self) -> str:
        if self.before == self.after:
            return f"La base est déjà à jour (schéma « {self.after} »)."
        if self.before is None:
            return f"Tables d'allervers créées (schéma « {self.after} »)."
        return f"Base mise à jour du schéma « {self.before} » au schéma « {self.after} »."


def upgrade_server(url: URL) -> UpgradeResult:
    """The administrator's upgrade: every pending revision in one transaction, holding the
    advisory lock (a second upgrade waits, then finds nothing left to do)."""
    engine = make_engine(url)
    try:
        with engine.connect() as holder:
            holder.execute(text("SET statement_timeout = 0"))  # waiting for another upgrade
            holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADMIN_LOCK_KEY})
            holder.commit()
            try:
                return _upgrade(engine, url)
            finally:
                holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADMIN_LOCK_KEY})
                holder.commit()
    except DBAPIError as exc:
        raise _connect_failure(exc, url) from exc
    finally:
        engine.dispose()


def _upgrade(engine: Engine, url: URL) -> UpgradeResult:
    from allervers_desktop.db.migrate import upgrade

    state = _inspect(engine, url)
    if state.revision is not None and state.revision not in KNOWN_REVISIONS:
        _check_revision(state, url)  # newer: refused
    try:
        upgrade(engine)
    except DBAPIError as exc:
        _, failure = connect_message(exc, where(url))
        raise DatabaseOpenError(
            f"La mise à jour de la base {where(url)} a échoué ({first_line(exc)}) ; "
            "elle n'a pas été modifiée.",
            failure.value,
        ) from exc
    after = _inspect(engine, url)
    return UpgradeResult(before=state.revision, after=str(after.revision))


def open_location(location: Location, *, integrity: bool = True) -> Database:
    """A local file (checked, backed up and migrated as needed) or a server database."""
    if isinstance(location, URL):
        return open_server(location)
    return open_database(location, integrity=integrity)
