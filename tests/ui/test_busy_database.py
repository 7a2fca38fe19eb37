"""Another program writing: the window waits briefly, then says so in French, nothing lost."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from allervers_desktop.db import engine
from allervers_desktop.db.database import BUSY_MESSAGE
from allervers_desktop.ui.attendance_grid import FIXED_COLUMNS
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.test_attendance_grid import cell_text, open_grid, recorded

pytestmark = pytest.mark.sqlite_only(reason="SQLite's write lock held by another program")


@pytest.fixture
def gui_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The window's thread, as ``run_gui`` sets it (a short wait for the lock)."""
    monkeypatch.setattr(engine, "INTERACTIVE_BUSY_TIMEOUT_MS", 100)
    engine.wait_briefly_on_this_thread()
    yield
    engine.wait_briefly_on_this_thread(False)


def test_a_mark_while_another_program_writes_is_refused_then_works(
    qtbot: Any, window: MainWindow, prompts: Any, gui_thread: None
) -> None:
    panel = open_grid(window)
    view = panel.view
    view.setFocus()
    view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    other = sqlite3.connect(window.database.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # a command line importing beside the window
        qtbot.keyClick(view, "p")
        assert prompts.messages("error")[-1] == BUSY_MESSAGE
        assert cell_text(panel, 0, 0) == ""
        other.execute("COMMIT")
    finally:
        other.close()
    qtbot.keyClick(view, "p")
    assert cell_text(panel, 0, 0) == "P"
    assert recorded(window) == 1
