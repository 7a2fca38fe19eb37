"""Killed with SIGKILL during an import, an export or a batch print: nothing half written.

Each test starts the real command line in a child process and kills it at several points
(after delays, or when the files it writes show how far it got). Afterwards the database
holds the whole import or nothing of it, every file under a final name opens with openpyxl
or pypdf, and the next start removes the temporary files the killed process left."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.location import parse_location
from allervers_desktop.files.leftovers import TEMP_PREFIX
from allervers_desktop.services import attendance
from tests.unit.documents.conftest import big_group
from tests.unit.files.conftest import REPOSITORY

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PEOPLE = 3000


def people_csv(path: Path, count: int = PEOPLE) -> Path:
    rows = ["Nom,Prénom,E-mail,Employeur,Ville"]
    for index in range(count):
        name = "".join(LETTERS[(index // 26**k) % 26] for k in range(3))
        rows.append(
            f"NOM{name},Prénom{name.lower()},p{index}@exemple.fr,Structure {index % 40},Metz"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def start(database: str, *args: str) -> subprocess.Popen[bytes]:
    environment = {key: value for key, value in os.environ.items() if key != "ALLERVERS_DB"}
    return subprocess.Popen(
        [sys.executable, "-m", "allervers_desktop", "--db", database, *args],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> bool:
    """SIGKILL the process as soon as ``ready()``; False when it finished first."""
    while process.poll() is None:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.002)
    return False


def after(seconds: float) -> Callable[[], bool]:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{TEMP_PREFIX}*"))


def placed_pdfs(folder: Path) -> list[Path]:
    """The PDFs under their final names (pathlib's glob also matches the hidden temporaries)."""
    return [pdf for pdf in folder.glob("*.pdf") if not pdf.name.startswith(TEMP_PREFIX)]


def next_start(database: str) -> None:
    """Any command is a start: it removes the leftovers of the folders written to."""
    assert main(["--db", database, "list", "courses"]) == 0


def quick_check(database: str) -> None:
    """The file is sound; on a server, the killed client's session has ended (so what it
    committed, if anything, is visible, and nothing of it is still running)."""
    location = parse_location(database)
    if isinstance(location, Path):
        connection = sqlite3.connect(location)
        try:
            assert connection.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            connection.close()
        return
    others = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + 30
    while count(database, others) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert count(database, others) == 0


def count(database: str, sql: str) -> int:
    engine = make_engine(parse_location(database))
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def test_killed_imports_leave_all_or_nothing(demo_database: Database, tmp_path: Path) -> None:
    path = demo_database.target
    demo_database.close()
    source = people_csv(tmp_path / "liste.csv")
    before = count(path, "SELECT count(*) FROM participants")
    imported = 0
    for delay in (0.9, 1.1, 1.3, 1.6):
        process = start(path, "import", str(source))
        killed = kill_when(process, after(delay))
        quick_check(path)
        participants = count(path, "SELECT count(*) FROM participants")
        batches = count(path, "SELECT count(*) FROM import_batches")
        if not killed or participants != before:
            imported += 1
        assert participants == before + (PEOPLE if imported else 0), delay
        assert batches == imported
        if imported:
            break
    changes = count(path, "SELECT count(*) FROM import_changes")
    assert (changes > 0) == bool(imported)


def test_killed_exports_leave_no_incomplete_workbook(
    demo_database: Database, tmp_path: Path
) -> None:
    assert (
        main(["--db", demo_database.target, "import", str(people_csv(tmp_path / "l.csv"))]) == 0
    )
    path = demo_database.target
    demo_database.close()
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "Annuaire.xlsx"
    system_temp = set(Path(tempfile.gettempdir()).glob("openpyxl.*"))
    points = {
        "spool": lambda: any("openpyxl" in p.name for p in temporaries(folder)),
        "saving": lambda: any(p.name.endswith("Annuaire.xlsx") for p in temporaries(folder)),
        "late": after(2.5),
    }
    for name, ready in points.items():
        target.unlink(missing_ok=True)
        killed = kill_when(start(path, "export", str(target), "--participants"), ready)
        if target.exists():  # complete, or not there at all
            workbook = openpyxl.load_workbook(target, read_only=True)
            assert workbook.sheetnames == ["Participants"], name
            workbook.close()
        else:
            assert killed, name
        if name == "spool":
            assert killed and not target.exists()
        next_start(path)
        assert temporaries(folder) == [], name
    assert set(Path(tempfile.gettempdir()).glob("openpyxl.*")) <= system_temp


def test_killed_batch_prints_leave_only_complete_pdfs(
    identity_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = identity_database
    group_id = big_group(database, 12)
    with database.transaction() as session:
        attendance.mark_all(session, group_id)
    path = database.target
    database.close()
    folder = tmp_path / "attestations"
    args = ["print", "attestation", "--group", str(group_id), "--out-dir", str(folder)]
    points = {
        "first": lambda: len(temporaries(folder)) >= 1,
        "half": lambda: len(temporaries(folder)) >= 6,
        "renaming": lambda: folder.is_dir() and bool(placed_pdfs(folder)),
    }
    for name, ready in points.items():
        killed = kill_when(start(path, *args), ready)
        for pdf in placed_pdfs(folder):
            assert len(PdfReader(pdf).pages) == 1, (name, pdf)
        quick_check(path)
        next_start(path)
        assert temporaries(folder) == [], name
        if name == "first":
            assert killed  # it cannot finish before its first file
        if not killed:
            assert len(placed_pdfs(folder)) == 12
    capsys.readouterr()
    assert main(["--db", path, "certificates", "--group", str(group_id), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len({entry["number"] for entry in entries}) == len(entries) == 12
    assert all(entry["print_count"] <= len(points) for entry in entries)
