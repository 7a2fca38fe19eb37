"""Real database failures for the tests: a trigger that refuses every insert into a table."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def refuse_inserts(session: Session, table: str) -> None:
    """From now on the database itself refuses (« refused by test ») inserts into ``table``."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "CREATE FUNCTION refuse_by_test() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by test'; END $$"
            )
        )
        session.execute(
            text(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_by_test()"
            )
        )
        return
    session.execute(
        text(
            f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
        )
    )
