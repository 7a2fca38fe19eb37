"""Files that must be refused with a French message and left exactly as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from allervers_desktop.db.database import DatabaseOpenError, open_database
from allervers_desktop.db.schema_version import HEAD_REVISION
from allervers_desktop.services.demo import load_demo
from tests.unit.db.conftest import Snapshot, quick_check, raw

pytestmark = pytest.mark.sqlite_only(reason="files that are not allervers databases, read only")

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(80)


def refuse(path: Path) -> str:
    """Open ``path``, expect a refusal, check the file is untouched; return the message."""
    before = Snapshot.of(path)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(path)
    after = Snapshot.of(path)
    assert after.content == before.content
    assert after.mtime_ns == before.mtime_ns
    assert after.neighbours == before.neighbours, "no -wal, -shm or backup file may appear"
    message = caught.value.message
    assert message == str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def age(path: Path) -> None:
    """Set an old modification time, so that any write would show."""
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))


def demo_file(path: Path) -> Path:
    database = open_database(path)
    try:
        with database.transaction() as session:
            load_demo(session)
    finally:
        database.close()
    assert not path.with_name(f"{path.name}-wal").exists()
    return path


def test_file_from_a_newer_version_is_refused(db_path: Path) -> None:
    demo_file(db_path)
    with raw(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
        connection.commit()
    age(db_path)
    message = refuse(db_path)
    assert "version plus récente" in message
    assert "ffff" in message
    assert "n'a pas été modifié" in message


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("Nom;Prénom\nMULLER;Hélène\n".encode(), id="text"),
        pytest.param(PNG_BYTES, id="png"),
        pytest.param(b"abc", id="shorter-than-a-header"),
        pytest.param(bytes(100), id="zeros"),
    ],
)
def test_file_that_is_not_sqlite_is_refused(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    age(db_path)
    message = refuse(db_path)
    assert "n'est pas une base de données SQLite" in message


def test_sqlite_header_without_a_database_is_refused(db_path: Path) -> None:
    db_path.write_bytes(b"SQLite format 3\x00")
    age(db_path)
    assert "endommagée" in refuse(db_path)


def test_truncated_database_is_refused(db_path: Path, tmp_path: Path) -> None:
    source = demo_file(tmp_path / "source.sqlite3")
    db_path.write_bytes(source.read_bytes()[:5000])
    age(db_path)
    assert quick_check(db_path) != ["ok"]
    assert "endommagée" in refuse(db_path)


def test_corrupt_middle_pages_are_refused(db_path: Path) -> None:
    demo_file(db_path)
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 10 * page
    for start in range(3 * page, len(data) - page, page):
        data[start + 100 : start + 400] = b"\xff" * 300
    db_path.write_bytes(bytes(data))
    age(db_path)
    assert quick_check(db_path) != ["ok"]
    message = refuse(db_path)
    assert "endommagée" in message
    assert "restaurez une sauvegarde" in message


def test_page_failing_quick_check_is_refused(db_path: Path) -> None:
    """A damage that SQLite reads without error, but that PRAGMA quick_check reports."""
    demo_file(db_path)
    with raw(db_path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'participants'"
        ).fetchone()[0]
    data = bytearray(db_path.read_bytes())
    offset = (root - 1) * page_size
    data[offset + 1 : offset + 3] = b"\x0f\xff"  # first free block points outside the page
    db_path.write_bytes(bytes(data))
    age(db_path)
    result = quick_check(db_path)
    assert result != ["ok"]
    assert not result[0].startswith("error"), "this damage must show in quick_check's rows"
    message = refuse(db_path)
    assert "endommagée" in message
    assert "contrôle d'intégrité" in message


def test_foreign_sqlite_database_is_refused(db_path: Path) -> None:
    with raw(db_path) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
        connection.execute("INSERT INTO contacts VALUES ('Hélène')")
        connection.commit()
    age(db_path)
    message = refuse(db_path)
    assert "pas une base allervers" in message


def test_foreign_sqlite_database_in_wal_mode_is_refused(db_path: Path) -> None:
    with raw(db_path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("CREATE TABLE contacts (name TEXT)")
        connection.commit()
    age(db_path)
    assert "pas une base allervers" in refuse(db_path)


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "dossier.sqlite3"
    folder.mkdir()
    (folder / "notes.txt").write_text("à garder")
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(folder)
    assert "est un dossier" in caught.value.message
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_path_under_a_file_is_refused_in_french(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(blocker / "allervers.sqlite3")
    message = caught.value.message
    assert "ne peut pas être créé" in message
    assert "Errno" not in message
    assert blocker.read_text() == "pas un dossier"


def test_old_file_is_not_migrated_when_migration_is_not_allowed(db_path: Path) -> None:
    demo_file(db_path)
    with raw(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
        connection.commit()
    age(db_path)
    before = Snapshot.of(db_path)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(db_path, migrate=False)
    assert "doit être mise à jour" in caught.value.message
    assert Snapshot.of(db_path) == before


def test_refused_file_still_opens_once_repaired(db_path: Path) -> None:
    """Refusing does not leave anything behind that would block a later, valid open."""
    demo_file(db_path)
    with raw(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
        connection.commit()
    refuse(db_path)
    with raw(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (HEAD_REVISION,))
        connection.commit()
    open_database(db_path).close()


def test_healthy_file_passes_the_check_used_above(db_path: Path) -> None:
    """The corruption tests rely on quick_check telling a healthy file from a damaged one."""
    demo_file(db_path)
    assert quick_check(db_path) == ["ok"]
