"""The integrity check the window runs in the background after start-up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from allervers_desktop.db.database import open_database
from allervers_desktop.services.demo import load_demo
from allervers_desktop.ui.app import check_integrity_in_background
from allervers_desktop.ui.main_window import MainWindow


def damaged_at_head(path: Path) -> Path:
    """A current database whose participants page fails PRAGMA quick_check."""
    database = open_database(path)
    with database.transaction() as session:
        load_demo(session)
    database.close()
    assert not path.with_name(path.name + "-wal").exists()  # all of it is in the file
    connection = sqlite3.connect(path)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'participants'"
    ).fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    offset = (root - 1) * page_size
    data[offset + 1 : offset + 3] = b"\x0f\xff"  # first free block points outside the page
    path.write_bytes(bytes(data))
    return path


def test_damaged_file_is_reported_and_window_closes(qtbot, tmp_path, prompts, settings) -> None:
    path = damaged_at_head(tmp_path / "abimee.sqlite3")
    before = path.read_bytes()
    database = open_database(path, integrity=False)  # the window opens without waiting
    window = MainWindow(database, prompts=prompts, settings=settings)
    qtbot.addWidget(window)
    window.show()
    task = check_integrity_in_background(window)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    kind, title, message = prompts.shown[0]
    assert (kind, title) == ("error", "Base de données endommagée")
    assert "est endommagée (échec du contrôle d'intégrité)" in message
    assert not window.isVisible()
    database.close()
    assert path.read_bytes() == before


def test_healthy_file_says_nothing(qtbot, window: MainWindow, prompts) -> None:
    task = check_integrity_in_background(window)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert prompts.shown == []
    assert window.isVisible()
