"""SQL expressions that read the same on SQLite and PostgreSQL: minutes of a time, minutes attended.

SQLite stores a time as text (« 09:30:00.000000 »), PostgreSQL as a TIME: ``minutes_of``
compiles to the right arithmetic for each, and ``attended_minutes_sql`` is the SQL twin of
``presence.attended_minutes`` (the tests check that both agree), so the hours of the statistics
are the hours of the documents.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, and_, case, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from allervers_desktop.presence import ATTENDED_STATUSES


class minutes_of(FunctionElement[int]):
    """Minutes since midnight of a TIME column: 09:30 -> 570."""

    type = Integer()
    inherit_cache = True
    name = "minutes_of"


@compiles(minutes_of)
def _minutes_sqlite(element: minutes_of, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    text = compiler.process(value, **kw)
    return f"(CAST(substr({text}, 1, 2) AS INTEGER) * 60 + CAST(substr({text}, 4, 2) AS INTEGER))"


@compiles(minutes_of, "postgresql")
def _minutes_postgresql(element: minutes_of, compiler: Any, **kw: Any) -> str:
    (value,) = element.clauses
    text = compiler.process(value, **kw)
    return (
        f"(CAST(EXTRACT(HOUR FROM {text}) AS INTEGER) * 60"
        f" + CAST(EXTRACT(MINUTE FROM {text}) AS INTEGER))"
    )


def attended_minutes_sql(
    start: Any, end: Any, status: Any, arrived_at: Any, left_at: Any
) -> ColumnElement[int]:
    """Minutes attended on a half-day, as ``presence.attended_minutes``: from the start (or a
    later arrival, when late) to the end (or an earlier departure); 0 unless present or late."""
    first = case(
        (
            and_(
                status == "late",
                arrived_at.is_not(None),
                minutes_of(arrived_at) > minutes_of(start),
            ),
            minutes_of(arrived_at),
        ),
        else_=minutes_of(start),
    )
    last = case(
        (
            and_(left_at.is_not(None), minutes_of(left_at) < minutes_of(end)),
            minutes_of(left_at),
        ),
        else_=minutes_of(end),
    )
    return case(
        (and_(status.in_(ATTENDED_STATUSES), last > first), last - first),
        else_=literal(0),
    )
