"""Copy a coordinator's SQLite file into an empty server database, in one checked transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, Connection, Integer, Table, func, select, text
from sqlalchemy.exc import DBAPIError

from allervers_desktop.db.database import Database, open_database
from allervers_desktop.db.models import Base
from allervers_desktop.db.server import open_server, where
from allervers_desktop.db.server_errors import first_line, is_server_failure, server_error
from allervers_desktop.services.errors import ServiceError

# Rows read from the file and sent to the server per statement: memory stays bounded
# whatever the size of the file, and psycopg sends each batch in few round trips.
BATCH_ROWS = 2_000
# Set once by the server's own upgrade: the target has it, the copy leaves it alone.
SKIPPED_TABLES = frozenset({"allervers_meta"})

Progress = Callable[[str, int], None]


class CopyError(ServiceError):
    """The copy was refused or failed; nothing was written on the server (French message)."""


@dataclass(frozen=True)
class CopyResult:
    rows: dict[str, int]  # table name → rows copied, in the order they were copied

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def message(self) -> str:
        tables = sum(1 for count in self.rows.values() if count)
        return (
            f"Copie terminée : {self.total} lignes dans {tables} tables, "
            "comptes vérifiés table par table."
        )


def copied_tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def copy_file_to_server(source: Path, target: URL, progress: Progress | None = None) -> CopyResult:
    """Copy the file ``source`` into the server database ``target``, which must be at this
    version's schema and hold nothing yet."""
    if not source.exists():
        raise CopyError(f"Le fichier « {source} » n'existe pas : rien n'a été copié.")
    file_db = open_database(source)
    try:
        server_db = open_server(target)
        try:
            return _copy(file_db, server_db, progress)
        finally:
            server_db.close()
    finally:
        file_db.close()


def _copy(file_db: Database, server_db: Database, progress: Progress | None) -> CopyResult:
    tables = copied_tables()
    place = where(server_db.url)
    try:
        with file_db.engine.connect() as reader, server_db.engine.begin() as writer:
            writer.execute(text("SET LOCAL statement_timeout = 0"))
            names = ", ".join(writer.dialect.identifier_preparer.quote(t.name) for t in tables)
            # Nobody writes into the target while it is checked and filled.
            writer.execute(text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
            occupied = [t.name for t in tables if _count(writer, t)]
            if occupied:
                raise CopyError(
                    f"La base {place} n'est pas vide (table « {occupied[0]} ») : la copie "
                    "ne se fait que dans une base neuve. Rien n'a été copié."
                )
            copied: dict[str, int] = {}
            for table in tables:
                copied[table.name] = _copy_table(reader, writer, table, progress)
            _reset_sequences(writer, tables)
            _check_counts(reader, writer, tables, copied)
            # The planner's statistics now, not at autovacuum's next pass (a table the login
            # does not own is skipped with a warning, never an error).
            writer.execute(text(f"ANALYZE {names}"))
    except CopyError:
        raise
    except DBAPIError as exc:
        if is_server_failure(exc):
            raise server_error(exc) from exc
        raise CopyError(
            f"La copie vers {place} a échoué ({first_line(exc)}) : rien n'a été écrit sur "
            "le serveur."
        ) from exc
    return CopyResult(rows=copied)


def _count(connection: Connection, table: Table) -> int:
    return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _copy_table(
    reader: Connection, writer: Connection, table: Table, progress: Progress | None
) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    result = reader.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
        select(table).order_by(*order)
    )
    count = 0
    for batch in result.mappings().partitions(BATCH_ROWS):
        writer.execute(table.insert(), [dict(row) for row in batch])
        count += len(batch)
        if progress is not None:
            progress(table.name, count)
    return count


def _reset_sequences(writer: Connection, tables: list[Table]) -> None:
    """The server's id counters continue after the copied ids."""
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer) or column.autoincrement is False:
                continue
            sequence = writer.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            ).scalar_one()
            if sequence is None:
                continue
            highest = writer.execute(select(func.max(column))).scalar_one()
            writer.execute(
                text("SELECT setval(:sequence, :value, :called)"),
                {"sequence": sequence, "value": highest or 1, "called": highest is not None},
            )


def _check_counts(
    reader: Connection, writer: Connection, tables: list[Table], copied: dict[str, int]
) -> None:
    for table in tables:
        in_file, on_server = _count(reader, table), _count(writer, table)
        if not in_file == on_server == copied[table.name]:
            raise CopyError(
                f"Vérification échouée pour la table « {table.name} » : {in_file} lignes dans "
                f"le fichier, {on_server} sur le serveur. La copie est annulée : rien n'a été "
                "écrit sur le serveur."
            )
