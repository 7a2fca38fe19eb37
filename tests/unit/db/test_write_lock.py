"""Writers beside one another: BEGIN IMMEDIATE makes them wait for the lock, not fail."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from allervers_desktop.db import engine
from allervers_desktop.db.database import (
    BUSY_MESSAGE,
    Database,
    DatabaseBusyError,
    open_database,
)
from allervers_desktop.db.models import Attendance, Participant

pytestmark = pytest.mark.sqlite_only(reason="SQLite's single writer (BEGIN IMMEDIATE)")

REPOSITORY = Path(__file__).resolve().parents[3]
HOLD = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE courses SET title = title")
print("tenu", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def cli(database: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "allervers_desktop", "--db", str(database), *args],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_imports_and_marks_wait_for_another_writer_and_all_succeed(
    demo_database: Database, tmp_path: Path
) -> None:
    path = demo_database.path
    with demo_database.session() as session:
        before = session.scalar(select(func.count()).select_from(Participant))
    demo_database.close()
    lists = []
    for batch in range(3):
        letters = "ABCDE"
        rows = [
            f"NOM{letters[batch]}{letters[row]},Prénom,p{batch}-{row}@exemple.fr"
            for row in range(5)
        ]
        csv = tmp_path / f"liste-{batch}.csv"
        csv.write_text("Nom,Prénom,E-mail\n" + "\n".join(rows) + "\n", encoding="utf-8")
        lists.append(csv)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), "2.5"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline() == "tenu\n"
    writers = [cli(path, "import", str(csv), "--group", "1") for csv in lists]
    writers += [
        cli(path, "attendance", "1", "--mark", str(participant), "2023-09-25", "am", "present")
        for participant in (1, 2, 3)
    ]
    results = [(writer.wait(), *writer.communicate()) for writer in writers]
    holder.communicate()
    assert holder.returncode == 0
    for code, _out, err in results:
        assert code == 0, err
        assert "verrouillée" not in err and "utilisée" not in err
    reopened = open_database(path)
    try:
        with reopened.session() as session:
            after = session.scalar(select(func.count()).select_from(Participant))
            marks = session.scalar(select(func.count()).select_from(Attendance))
    finally:
        reopened.close()
    assert before is not None and after == before + 15
    assert marks == 3


def test_reads_do_not_take_the_write_lock(demo_database: Database) -> None:
    """A lazy list reading while another program writes neither waits nor blocks it."""
    with demo_database.session() as session:
        session.execute(text("SELECT count(*) FROM participants")).scalar()
        other = sqlite3.connect(demo_database.path, isolation_level=None, timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")  # would fail at once if the read held the lock
            other.execute("ROLLBACK")
        finally:
            other.close()


def test_the_window_thread_waits_briefly_then_says_so_while_workers_wait_longer(
    demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "INTERACTIVE_BUSY_TIMEOUT_MS", 100)
    other = sqlite3.connect(demo_database.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    worker_done: list[str] = []

    def worker() -> None:
        with demo_database.transaction() as session:
            session.execute(text("UPDATE courses SET title = title"))
        worker_done.append("écrit")

    engine.wait_briefly_on_this_thread()
    try:
        with pytest.raises(DatabaseBusyError) as caught, demo_database.transaction() as session:
            session.execute(text("UPDATE courses SET title = title"))
        thread = threading.Thread(target=worker)
        thread.start()  # not the window's thread: it waits for the lock
    finally:
        engine.wait_briefly_on_this_thread(False)
    assert caught.value.message == BUSY_MESSAGE
    other.execute("COMMIT")
    other.close()
    thread.join()
    assert worker_done == ["écrit"]
