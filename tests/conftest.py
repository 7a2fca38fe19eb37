"""Test configuration: offscreen Qt, a fresh database file per test."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("ALLERVERS_DB", None)

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from allervers_desktop.clock import NOW_VARIABLE

# « Now » for every test (the time rules read it): after the example groups (2023) and the
# test groups (2024), so their attendance can be taken and their certificates issued. A test
# about the rules sets its own: ``database.clock = FixedClock(...)`` or ALLERVERS_NOW.
from allervers_desktop.db.database import Database, open_database

TEST_NOW = dt.datetime(2024, 6, 3, 10, 0)
os.environ[NOW_VARIABLE] = TEST_NOW.isoformat()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "allervers-test.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def demo_database(database: Database) -> Database:
    from allervers_desktop.services.demo import load_demo

    with database.transaction() as session:
        load_demo(session)
    return database


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep QSettings and standard paths of tests away from the user's own."""
    monkeypatch.setenv(NOW_VARIABLE, TEST_NOW.isoformat())
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
