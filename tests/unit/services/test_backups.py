"""Backups and restores on real files: verified copies, once a day, refusals, nothing lost."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from allervers_desktop.db.backups import PARTIAL_SUFFIX
from allervers_desktop.db.database import Database, open_database
from allervers_desktop.db.models import Employer
from allervers_desktop.db.recognition import APPLICATION_ID
from allervers_desktop.services import backups
from allervers_desktop.services import restore as restore_service
from allervers_desktop.services.backups import BackupError
from tests.unit.db.conftest import Snapshot, dump, quick_check, raw
from tests.unit.db.foreign_kinds import at_revision, damaged_in_rollback_mode

pytestmark = pytest.mark.sqlite_only(reason="backups and restores of the database file")

TABLES = ["participants", "enrollments", "groups", "settings"]
NOON = dt.datetime(2024, 3, 4, 12, 0, 0)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "sauvegardes"
    path.mkdir()
    return path


def closed(database: Database) -> Path:
    database.close()
    return database.path


def test_backup_is_a_verified_copy_with_the_marker(demo_database: Database, folder: Path) -> None:
    path = closed(demo_database)
    result = backups.make_backup(path, folder, manual=True, now=NOON)
    assert result.path == folder / "allervers-test-sauvegarde-20240304-120000-manuelle.sqlite3"
    assert quick_check(result.path) == ["ok"]
    assert dump(result.path, TABLES) == dump(path, TABLES)
    with raw(result.path) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert sorted(p.name for p in folder.iterdir()) == [result.path.name]


def test_backup_while_the_database_is_open_and_written(
    demo_database: Database, folder: Path
) -> None:
    """The window's own connections stay open; what they committed is in the copy."""
    with demo_database.transaction() as session:
        session.add(Employer(name="Foyer Sainte-Odile", city="Obernai"))
    result = backups.make_backup(demo_database.path, folder, manual=False, now=NOON)
    with raw(result.path) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM employers")}
    assert "Foyer Sainte-Odile" in names
    with demo_database.session() as session:  # the window goes on working
        assert session.query(Employer).count() == len(names)


def test_automatic_backup_at_most_once_a_day(database: Database, folder: Path) -> None:
    path = closed(database)
    first = backups.backup_if_due(path, folder, now=NOON)
    assert first is not None
    assert backups.backup_if_due(path, folder, now=NOON + dt.timedelta(hours=5)) is None
    manual = backups.make_backup(path, folder, manual=True, now=NOON + dt.timedelta(hours=6))
    assert manual.path.exists()
    tomorrow = backups.backup_if_due(path, folder, now=NOON + dt.timedelta(days=1))
    assert tomorrow is not None
    # Yesterday's two backups: only the newest stays.
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [manual.path.name, tomorrow.path.name]
    )


def test_a_month_of_closing_the_window_keeps_the_rotation(database: Database, folder: Path) -> None:
    path = closed(database)
    for day in range(40):
        backups.backup_if_due(path, folder, now=NOON + dt.timedelta(days=day))
    names = sorted(p.name for p in folder.iterdir())
    stamps = [b.made_at for b in backups.parse_backup_names(path, names)]
    assert set(stamps) == backups.kept_backups(
        NOON + dt.timedelta(days=day) for day in range(40)
    )
    assert len(names) <= 23


def test_chosen_folder_gone_is_reported_in_french(database: Database, tmp_path: Path) -> None:
    path = closed(database)
    gone = tmp_path / "clé-usb" / "sauvegardes"
    with pytest.raises(BackupError) as caught:
        backups.backup_if_due(path, gone, now=NOON)
    assert "introuvable" in caught.value.message
    assert not gone.parent.exists(), "a removed drive's mount point is not recreated"


def test_default_folder_is_created(database: Database) -> None:
    path = closed(database)
    folder = backups.default_backup_dir()
    assert not folder.exists()
    result = backups.make_backup(path, folder, manual=False, now=NOON)
    assert result.path.parent == folder
    assert folder.name == "sauvegardes"


def test_backup_folder_is_a_setting_of_the_database(database: Database, folder: Path) -> None:
    with database.transaction() as session:
        assert backups.backup_dir(session) == backups.default_backup_dir()
        backups.set_backup_dir(session, folder)
    with database.session() as session:
        assert backups.backup_dir(session) == folder
    assert backups.folder_of(closed(database)) == folder
    with database.transaction() as session, pytest.raises(BackupError):
        backups.set_backup_dir(session, folder / "absent")


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB tmpfs (needs root and mount); skipped where the tests cannot mount one."""
    mount_point = tmp_path / "petit-disque"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("monter un tmpfs demande les droits root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def test_full_disk_leaves_nothing_and_says_so(demo_database: Database, tiny_disk: Path) -> None:
    with demo_database.transaction() as session:
        for number in range(3000):
            session.add(Employer(name=f"Établissement {number:05d} " + "x" * 200, city="Metz"))
    path = closed(demo_database)
    assert path.stat().st_size > 512 * 1024
    before = Snapshot.of(path)
    with pytest.raises(BackupError) as caught:
        backups.make_backup(path, tiny_disk, manual=False, now=NOON)
    assert "le disque est plein" in caught.value.message
    assert "\n" not in caught.value.message
    assert list(tiny_disk.iterdir()) == []
    assert Snapshot.of(path) == before


def test_cancelled_backup_leaves_nothing(demo_database: Database, folder: Path) -> None:
    from allervers_desktop.db.backups import CopyCancelled

    path = closed(demo_database)
    with pytest.raises(CopyCancelled):
        backups.make_backup(path, folder, manual=True, progress=lambda _d, _t: False)
    assert list(folder.iterdir()) == []


def test_leftover_of_a_killed_backup_is_removed_next_time(
    database: Database, folder: Path
) -> None:
    path = closed(database)
    leftover = folder / f"allervers-test-sauvegarde-20240101-000000.sqlite3{PARTIAL_SUFFIX}"
    leftover.write_bytes(b"SQLite format 3\x00" + bytes(5000))
    journal = leftover.with_name(leftover.name + "-journal")
    journal.write_bytes(bytes(100))
    other = folder / f"autre-base.sqlite3{PARTIAL_SUFFIX}"
    other.write_bytes(b"pas a nous")
    result = backups.make_backup(path, folder, manual=True, now=NOON)
    assert sorted(p.name for p in folder.iterdir()) == sorted([result.path.name, other.name])


# --- restoring -----------------------------------------------------------------------------
def restore(chosen: Path, path: Path, folder: Path) -> restore_service.RestoreResult:
    prepared = restore_service.prepare_restore(chosen, path, folder, now=NOON)
    return restore_service.finish_restore(prepared)


def test_restore_backs_up_the_current_file_then_replaces_it(
    demo_database: Database, folder: Path
) -> None:
    path = demo_database.path
    saved = backups.make_backup(path, folder, manual=True, now=NOON - dt.timedelta(days=1))
    with demo_database.transaction() as session:
        session.add(Employer(name="Ajouté après la sauvegarde", city="Metz"))
    changed = dump(path, ["employers"])
    closed(demo_database)
    chosen = Snapshot.of(saved.path)
    result = restore(saved.path, path, folder)
    after = Snapshot.of(saved.path)
    assert (after.content, after.mtime_ns) == (chosen.content, chosen.mtime_ns), "only read"
    assert not [n for n in after.neighbours if n.startswith(saved.path.name + "-")], "no -wal"
    assert result.previous_copy is not None
    assert result.previous_copy.name == "allervers-test-avant-restauration-20240304-120000.sqlite3"
    assert dump(result.previous_copy, ["employers"]) == changed
    assert dump(path, TABLES) == dump(saved.path, TABLES)
    assert sorted(p.name for p in path.parent.iterdir()) == sorted([path.name, folder.name])
    assert "Ajouté après la sauvegarde" not in str(dump(path, ["employers"]))
    open_database(path).close()
    assert quick_check(path) == ["ok"]


def test_restore_is_refused_while_another_connection_uses_the_file(
    demo_database: Database, folder: Path
) -> None:
    path = demo_database.path
    saved = backups.make_backup(path, folder, manual=True, now=NOON - dt.timedelta(days=1))
    with demo_database.transaction() as session:
        session.add(Employer(name="Encore là", city="Metz"))
    other = sqlite3.connect(path)  # « another window »
    other.execute("SELECT count(*) FROM employers").fetchone()
    try:
        with pytest.raises(BackupError) as caught:
            restore(saved.path, path, folder)
    finally:
        other.close()
    assert "ouverte dans un autre programme" in caught.value.message
    assert not any(p.name.endswith("-restauration.sqlite3") for p in path.parent.iterdir())
    with demo_database.session() as session:
        assert session.query(Employer).filter_by(name="Encore là").count() == 1
    demo_database.close()


def test_restore_over_a_damaged_file_keeps_its_bytes(tmp_path: Path, folder: Path) -> None:
    good = open_database(tmp_path / "bonne.sqlite3")
    good_path = closed(good)
    path = damaged_in_rollback_mode(tmp_path / "abimee.sqlite3")
    damaged = path.read_bytes()
    result = restore(good_path, path, folder)
    assert result.previous_copy is not None
    assert result.previous_copy.read_bytes() == damaged
    open_database(path).close()


def test_restore_of_an_older_backup_is_migrated_when_opened(
    tmp_path: Path, database: Database, folder: Path
) -> None:
    old = at_revision(tmp_path / "vieille.sqlite3", "0002", marker=False)
    path = closed(database)
    restore(old, path, folder)
    reopened = open_database(path)
    reopened.close()
    assert reopened.backup_path is not None


@pytest.mark.parametrize("content", [b"", b"texte", b"SQLite format 3\x00" + bytes(200)])
def test_restore_refuses_what_is_not_a_backup(
    content: bytes, tmp_path: Path, database: Database, folder: Path
) -> None:
    path = closed(database)
    chosen = tmp_path / "choisi.sqlite3"
    chosen.write_bytes(content)
    before = Snapshot.of(path)
    with pytest.raises(BackupError) as caught:
        restore_service.prepare_restore(chosen, path, folder, now=NOON)
    assert caught.value.message.startswith("Cette sauvegarde ne peut pas être restaurée : ")
    assert Snapshot.of(path) == before
    assert list(folder.iterdir()) == []
