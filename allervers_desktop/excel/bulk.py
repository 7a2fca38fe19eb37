"""Fast inserts of many rows: the driver's executemany with values converted once by the
dialect's own bind processors (dates, times), bypassing per-row SQL expression work."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


class BulkInsert:
    """``INSERT INTO table (columns) VALUES (?, …)`` run with executemany (``%s`` marks on
    PostgreSQL, where psycopg sends the rows in one pipeline)."""

    def __init__(self, session: Session, table: Table, columns: Sequence[str]) -> None:
        self.session = session
        self.columns = list(columns)
        dialect = session.get_bind().dialect
        quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
        # The driver's own placeholder: « ? » for sqlite3, « %s » for psycopg.
        mark = "%s" if dialect.paramstyle in ("format", "pyformat") else "?"
        marks = ", ".join(mark for _ in columns)
        name = dialect.identifier_preparer.format_table(table)
        self.sql = f"INSERT INTO {name} ({quoted}) VALUES ({marks})"
        self._processors: dict[str, Callable[[Any], Any]] = {}
        for column in columns:
            processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._processors[column] = processor

    def value(self, column: str, value: Any) -> Any:
        """``value`` as the driver stores it for ``column`` (a date becomes its text form)."""
        processor = self._processors.get(column)
        return processor(value) if processor is not None and value is not None else value

    def run(self, rows: Iterable[tuple[Any, ...]]) -> None:
        batch = list(rows)
        if batch:
            self.session.connection().exec_driver_sql(self.sql, batch)
