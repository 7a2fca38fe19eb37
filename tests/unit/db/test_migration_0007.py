"""Revision 0007: a 0004 database with data gains the provider identity, nothing lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from allervers_desktop.db.database import open_database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.migrate import upgrade
from allervers_desktop.db.schema_version import HEAD_REVISION
from allervers_desktop.services.providers import get_provider, list_providers
from tests.unit.db.conftest import FIRST_REVISION_ROWS, dump, quick_check, raw, revision_of

pytestmark = pytest.mark.sqlite_only(reason="an SQLite file written at an older revision")


def test_a_0004_file_with_data_upgrades(make_first_revision_file: Callable[..., Path]) -> None:
    path = make_first_revision_file()
    engine = make_engine(path)
    try:
        upgrade(engine, "0004")
    finally:
        engine.dispose()
    assert revision_of(path) == "0004"
    with raw(path) as connection:
        connection.execute(
            "INSERT INTO training_providers (id, name, address) VALUES (2, 'Établi Formation', "
            "'3 rue des Tanneurs')"
        )
        connection.commit()
    tables = list(FIRST_REVISION_ROWS)
    before = dump(path, tables)

    database = open_database(path)
    try:
        assert revision_of(path) == HEAD_REVISION
        after = dump(path, tables)
        for table, rows in before.items():
            assert [row[: len(old)] for row, old in zip(after[table], rows, strict=True)] == rows
        with database.session() as session:
            praxis = get_provider(session, 1)
            assert (praxis.name, praxis.address) == ("PRAXIS", "Strasbourg")
            assert (praxis.siret, praxis.nda, praxis.legal_representative) == ("", "", "")
            # The search column was filled with the application's folding.
            assert [p.id for p in list_providers(session, "etabli")] == [2]
            assert praxis.courses[0].assesses_learning is False
            assert praxis.courses[0].what_to_bring == ""
            assert praxis.courses[0].groups[0].enrollments[0].assessment_result is None
    finally:
        database.close()
    # The database itself refuses an unknown assessment result.
    with raw(path) as connection, pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE enrollments SET assessment_result = 'bof' WHERE id = 1")
    with raw(path) as connection:
        connection.execute("UPDATE enrollments SET assessment_result = 'partial' WHERE id = 1")
        connection.commit()
    assert quick_check(path) == ["ok"]
