"""Test configuration: offscreen Qt, a fresh database per test (a file, or a PostgreSQL database
when ``ALLERVERS_TEST_DB=postgresql``: see tests/pg_server.py)."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.pop("ALLERVERS_DB", None)

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from allervers_desktop.clock import NOW_VARIABLE

# « Now » for every test (the time rules read it): after the example groups (2023) and the
# test groups (2024), so their attendance can be taken and their certificates issued. A test
# about the rules sets its own: ``database.clock = FixedClock(...)`` or ALLERVERS_NOW.
from allervers_desktop.db.database import Database, open_database
from tests import pg_server

ON_SERVER = pg_server.backend() == "postgresql"
TEST_NOW = dt.datetime(2024, 6, 3, 10, 0)
os.environ[NOW_VARIABLE] = TEST_NOW.isoformat()


def pytest_report_header() -> str:
    return f"allervers database backend: {pg_server.backend()}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, skip the tests of the SQLite file itself (``sqlite_only``)."""
    if not ON_SERVER:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite file only: {reason}"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg_server.Cluster]:
    """One throwaway PostgreSQL server for the session, with the migrated template."""
    try:
        cluster = pg_server.start_cluster()
    except RuntimeError as exc:
        pytest.exit(str(exc), returncode=3)
    try:
        pg_server.make_template(cluster)
        yield cluster
    finally:
        pg_server.remove_cluster(cluster)


@pytest.fixture
def server_database_name(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh server database at the current schema, dropped after the test."""
    cluster: pg_server.Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.fresh_database()
    yield name
    cluster.drop_database(name)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "allervers-test.sqlite3"


@pytest.fixture
def db_target(request: pytest.FixtureRequest, db_path: Path) -> str:
    """What ``--db`` takes for a new database with nothing in it: a file not created yet, or
    the URL of a fresh server database (created, as an administrator would, at the schema)."""
    if not ON_SERVER:
        return str(db_path)
    cluster: pg_server.Cluster = request.getfixturevalue("pg_cluster")
    name = request.getfixturevalue("server_database_name")
    return pg_server.url_text(cluster.url(name))


@pytest.fixture
def database(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    if ON_SERVER:
        from allervers_desktop.db.server import open_server

        cluster: pg_server.Cluster = request.getfixturevalue("pg_cluster")
        name = request.getfixturevalue("server_database_name")
        db = open_server(cluster.url(name))
    else:
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


ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def nothing_written_in_checkout() -> Iterator[None]:
    """A test that writes into the checkout (a file named after a URL taken for a path, say)
    fails: everything a test writes goes under its tmp_path."""
    before = set(os.listdir(ROOT))
    yield
    stray = sorted(set(os.listdir(ROOT)) - before - {".pytest_cache", ".mypy_cache"})
    assert not stray, f"the test wrote into the checkout: {stray}"


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def error_log(request: pytest.FixtureRequest) -> Iterator[list[logging.LogRecord]]:
    """What the application logged at ERROR or above during the test: a test fails on an
    error it did not expect (mark it ``logs_errors`` to check them yourself)."""
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)
    if request.node.get_closest_marker("logs_errors") is None and handler.records:
        lines = [f"{r.name}: {r.getMessage()}" for r in handler.records]
        pytest.fail("the application logged errors: " + " | ".join(lines), pytrace=False)


@pytest.fixture
def cluster(request: pytest.FixtureRequest) -> pg_server.Cluster:
    if not ON_SERVER:
        pytest.skip("needs the PostgreSQL test server")
    value: pg_server.Cluster = request.getfixturevalue("pg_cluster")
    return value


def make_role(cluster: pg_server.Cluster, database: str, name: str, grants: list[str]) -> str:
    """A login role (password « bon-mot-de-passe ») with ``grants`` on ``database``."""
    from sqlalchemy import text

    from allervers_desktop.db.engine import make_engine

    cluster.admin(
        f"DROP ROLE IF EXISTS {name}",
        f"CREATE ROLE {name} LOGIN PASSWORD 'bon-mot-de-passe'",
    )
    engine = make_engine(cluster.url(database))
    try:
        with engine.begin() as connection:
            connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {name}"))
            for grant in grants:
                connection.execute(text(grant.format(name=name)))
    finally:
        engine.dispose()
    return name


# The two roles the README documents (the same SQL).
COORDINATOR_GRANTS = [
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
    "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}",
]
READER_GRANTS = ["GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}"]


@pytest.fixture
def coordinator(cluster: pg_server.Cluster, server_database_name: str) -> str:
    """A login role with a password and the rights of a coordinator on the database."""
    name = f"coord_{server_database_name}"
    return make_role(cluster, server_database_name, name, COORDINATOR_GRANTS)


@pytest.fixture
def reader(cluster: pg_server.Cluster, server_database_name: str) -> str:
    """A login role that may read the database only."""
    name = f"lect_{server_database_name}"
    return make_role(cluster, server_database_name, name, READER_GRANTS)
