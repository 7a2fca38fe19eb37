"""Real child processes killed with SIGKILL during a backup and during a migration.

A moderately large database (tens of MB) makes each copy last long enough for the kill to
land in the middle: each trial waits until the child has started writing its ``.partiel``
copy (or, for the migration, until the backup is in place), then kills it after a random,
growing delay. Afterwards the database must open with exactly the old or the new content, no
file under a backup's final name may be incomplete, and the next start cleans the leftovers.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from allervers_desktop.db.backups import PARTIAL_SUFFIX
from allervers_desktop.db.database import open_database
from allervers_desktop.db.recognition import APPLICATION_ID
from allervers_desktop.db.schema_version import HEAD_REVISION
from allervers_desktop.services import backups
from tests.unit.db.conftest import (
    FIRST_REVISION_ROWS,
    dump,
    insert_rows,
    old_columns,
    quick_check,
    raw,
)
from tests.unit.db.foreign_kinds import at_revision

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only"),
    pytest.mark.sqlite_only(reason="a killed process and the database file's journal"),
]

ROOT = Path(__file__).resolve().parents[3]
PARTICIPANTS = 30_000
TABLES = ["participants", "employers", "groups", "enrollments", "settings"]
TRIALS = 6


def fill(path: Path) -> None:
    """The first-revision rows plus many participants with long notes (about 20 MB)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        insert_rows(connection, FIRST_REVISION_ROWS)
        connection.executemany(
            "INSERT INTO participants (civility, last_name, first_name, email, phone, job_title,"
            " employer_id, notes, sort_name, search_text, created_at, updated_at)"
            " VALUES ('Mme', ?, 'Hélène', NULL, '', 'Éducatrice', 1, ?, ?, ?,"
            " '2023-09-01 10:00:00.000000', '2023-09-01 10:00:00.000000')",
            (
                (f"MÜLLER{n:06d}", f"Note {n} " + "é" * 400, f"muller{n:06d}", f"muller{n:06d}")
                for n in range(PARTICIPANTS)
            ),
        )
        connection.commit()


@pytest.fixture(scope="module")
def large_0004(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A genuine revision-0004 file (no marker yet) holding data, built once."""
    path = at_revision(tmp_path_factory.mktemp("modele") / "base.sqlite3", "0004", marker=False)
    fill(path)
    assert path.stat().st_size > 10 * 1024 * 1024
    return path


def child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ALLERVERS_DB", None)
    env.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def kill_when(
    command: list[str], env: dict[str, str], ready: Callable[[], bool], delay: float
) -> bool:
    """Start ``command``; once ``ready()`` holds, wait ``delay`` s and SIGKILL it.

    Returns True when the kill landed (the child had not finished by itself).
    """
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while child.poll() is None and not ready():
            time.sleep(0.0005)
        time.sleep(delay)
        if child.poll() is not None:
            return False
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        return child.returncode == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def partial_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if PARTIAL_SUFFIX in p.name]


def assert_complete_backups(folder: Path, expected: dict[str, list[tuple[object, ...]]]) -> int:
    """Every file under a backup's final name is a complete, verified copy; their count."""
    finals = [
        p for p in folder.iterdir() if "-sauvegarde-" in p.name and PARTIAL_SUFFIX not in p.name
    ]
    for copy in finals:
        assert quick_check(copy) == ["ok"], copy.name
        assert dump(copy, TABLES) == expected, copy.name
    return len(finals)


def test_backup_killed_at_any_point(large_0004: Path, tmp_path: Path) -> None:
    path = tmp_path / "base.sqlite3"
    shutil.copyfile(large_0004, path)
    open_database(path).close()  # at head, so that the command only backs up
    expected = dump(path, TABLES)
    folder = tmp_path / "sauvegardes"
    folder.mkdir()
    command = [sys.executable, "-m", "allervers_desktop", "--db", str(path), "backup"]
    command += ["--to", str(folder)]
    rng = random.Random(20231025)
    landed_mid_copy = 0
    for trial in range(TRIALS):
        delay = rng.uniform(0, 0.004 * (trial + 1))
        killed = kill_when(command, child_env(tmp_path), lambda: bool(partial_files(folder)), delay)
        if killed and partial_files(folder):
            landed_mid_copy += 1
        assert_complete_backups(folder, expected)
        # The database itself is untouched and opens.
        database = open_database(path)
        database.close()
        assert old_columns(dump(path, TABLES), expected) == expected
    assert landed_mid_copy >= TRIALS // 2, "the kills must land while the copy is written"
    # The next backup (as the next start would) removes what the killed ones left.
    result = backups.make_backup(path, folder, manual=True, rotation=False)
    assert partial_files(folder) == []
    assert quick_check(result.path) == ["ok"]
    assert assert_complete_backups(folder, expected) >= 1


def test_window_start_cleans_leftovers_of_the_backup_folder(
    large_0004: Path, tmp_path: Path
) -> None:
    path = tmp_path / "base.sqlite3"
    shutil.copyfile(large_0004, path)
    open_database(path).close()
    folder = backups.default_backup_dir()
    folder.mkdir(parents=True)
    command = [sys.executable, "-m", "allervers_desktop", "--db", str(path), "backup"]
    assert kill_when(command, child_env(tmp_path), lambda: bool(partial_files(folder)), 0.002)
    assert partial_files(folder)
    backups.clean_leftovers(path)
    assert partial_files(folder) == []


@pytest.mark.parametrize("start_revision", ["0004", "0003"])
def test_migration_killed_at_any_point(
    start_revision: str, large_0004: Path, tmp_path: Path
) -> None:
    model = large_0004
    if start_revision != "0004":  # a file that also has the 0004 index to build
        model = at_revision(tmp_path / "modele.sqlite3", start_revision, marker=False)
        fill(model)
    expected = dump(model, TABLES)
    folder = tmp_path / "essais"
    folder.mkdir()
    rng = random.Random(19 + int(start_revision))
    kills = {"copy": 0, "migration": 0}
    for trial in range(TRIALS):
        path = folder / f"essai-{trial}.sqlite3"
        shutil.copyfile(model, path)
        command = [sys.executable, "-m", "allervers_desktop", "--db", str(path), "list"]
        command += ["courses"]
        mid_migration = trial % 2 == 1

        def ready(path: Path = path, mid_migration: bool = mid_migration) -> bool:
            names = [p.name for p in folder.iterdir() if p.name.startswith(path.stem)]
            if mid_migration:  # the backup is in place: the migration is running
                return any("-sauvegarde-" in n and PARTIAL_SUFFIX not in n for n in names)
            return any(n.endswith(PARTIAL_SUFFIX) for n in names)

        delay = rng.uniform(0, 0.003 * (trial + 1))
        if kill_when(command, child_env(tmp_path), ready, delay):
            kills["migration" if mid_migration else "copy"] += 1
        mine = [p for p in folder.iterdir() if p.name.startswith(path.stem)]
        backups_here = [p for p in mine if "-sauvegarde-" in p.name]
        for copy in backups_here:
            if PARTIAL_SUFFIX in copy.name:
                continue
            assert quick_check(copy) == ["ok"]
            assert dump(copy, TABLES) == expected
            with raw(copy) as connection:
                assert connection.execute("PRAGMA user_version").fetchone()[0] == 0
        # Next start: opens (migrating if the kill came first), same content, no leftover.
        with raw(path) as connection:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        assert revision[0] in {start_revision, "0004", HEAD_REVISION}
        database = open_database(path)
        database.close()
        assert old_columns(dump(path, TABLES), expected) == expected
        with raw(path) as connection:
            assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert not [p for p in folder.iterdir() if PARTIAL_SUFFIX in p.name]
        assert quick_check(path) == ["ok"]
    assert kills["copy"] >= 2 and kills["migration"] >= 1, kills


def test_restore_killed_at_any_point(large_0004: Path, tmp_path: Path) -> None:
    """Killed while keeping the current file, while copying the backup, or just after."""
    path = tmp_path / "base.sqlite3"
    shutil.copyfile(large_0004, path)
    open_database(path).close()
    old = dump(path, TABLES)
    chosen = tmp_path / "choisie.sqlite3"
    backups.save_copy(path, chosen)
    with raw(chosen) as connection:
        connection.execute("DELETE FROM participants WHERE id % 2 = 0")
        connection.commit()
    new = dump(chosen, TABLES)
    folder = backups.default_backup_dir()
    command = [sys.executable, "-m", "allervers_desktop", "--db", str(path)]
    command += ["restore", str(chosen)]
    rng = random.Random(7)
    outcomes = set()
    for trial in range(TRIALS):

        def ready() -> bool:
            places = [tmp_path, folder] if folder.is_dir() else [tmp_path]
            return any(partial_files(place) for place in places)

        kill_when(command, child_env(tmp_path), ready, rng.uniform(0, 0.02 * (trial + 1)))
        database = open_database(path)  # the next start
        database.close()
        content = dump(path, TABLES)
        assert content in (old, new)
        outcomes.add("new" if content == new else "old")
        assert partial_files(tmp_path) == []
        if content == new:  # put the old one back for the next trial
            shutil.copyfile(large_0004, path)
            open_database(path).close()
        for copy in folder.iterdir() if folder.is_dir() else []:
            if PARTIAL_SUFFIX not in copy.name:
                assert quick_check(copy) == ["ok"]
                assert dump(copy, TABLES) == old
    assert "old" in outcomes
