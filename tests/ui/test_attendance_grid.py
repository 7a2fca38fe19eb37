"""Attendance grid in the Groupes tab: keys, « Tous présents », hours, rates, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from allervers_desktop.db.models import Attendance
from allervers_desktop.ui.attendance_grid import FIXED_COLUMNS
from allervers_desktop.ui.main_window import MainWindow


def open_grid(window: MainWindow):
    window.show_tab("groups")
    tab = window.groups_tab
    tab.view.selectRow(0)  # Groupe 1, Strasbourg: 10 participants, 4 half-days
    detail = tab.group_detail
    detail.pages.setCurrentWidget(detail.attendance)
    return detail.attendance


def cell_text(panel, row: int, half_day: int) -> str:
    return panel.model.index(row, FIXED_COLUMNS + half_day).data() or ""


def recorded(window: MainWindow) -> int:
    with window.database.session() as session:
        return session.scalar(select(func.count()).select_from(Attendance)) or 0


def test_grid_shape_and_headers(window: MainWindow) -> None:
    panel = open_grid(window)
    assert panel.model.rowCount() == 10
    headers = [
        panel.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(panel.model.columnCount())
    ]
    assert headers[0] == "Participant"
    assert headers[2:6] == [
        "lun. 25/09 matin\n—",
        "lun. 25/09 après-midi\n—",
        "mar. 26/09 matin\n—",
        "mar. 26/09 après-midi\n—",
    ]
    assert headers[6] == "Heures réalisées"
    assert panel.model.index(0, 0).data() == "BAUER Zoé"
    assert panel.model.index(0, 6).data() == "0 h / 14 h"


def test_keyboard_sets_statuses_and_hours(qtbot, window: MainWindow) -> None:
    panel = open_grid(window)
    view = panel.view
    view.setFocus()
    view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    qtbot.keyClick(view, "p")  # set, then down to the next participant
    assert view.currentIndex() == panel.model.index(1, FIXED_COLUMNS)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, "r")  # late: the arrival time is asked over the cell
    assert panel.time_entry is not None and panel.time_entry.hasFocus()
    qtbot.keyClicks(panel.time_entry, "1500")
    qtbot.keyClick(panel.time_entry, Qt.Key.Key_Return)
    assert panel.time_entry is None and view.hasFocus()
    assert view.currentIndex() == panel.model.index(1, FIXED_COLUMNS + 1)  # moved down too
    for letter in "ae":
        qtbot.keyClick(view, Qt.Key.Key_Up)
        qtbot.keyClick(view, Qt.Key.Key_Right)
        qtbot.keyClick(view, letter)
    assert view.currentIndex() == panel.model.index(1, FIXED_COLUMNS + 3)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert [cell_text(panel, 0, i) for i in range(4)] == ["P", "R 15:00", "A", "E"]
    assert [cell_text(panel, 1, i) for i in range(4)] == [""] * 4
    assert panel.model.index(0, 6).data() == "5 h 30 / 14 h"  # 3 h 30 + 2 h of 3 h 30
    assert recorded(window) == 4
    qtbot.keyClick(view, Qt.Key.Key_Space)  # excused -> nothing recorded
    assert cell_text(panel, 0, 3) == ""
    qtbot.keyClick(view, Qt.Key.Key_Space)  # -> present
    assert cell_text(panel, 0, 3) == "P"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert cell_text(panel, 0, 3) == ""
    assert recorded(window) == 3
    # (3 h 30 + 2 h) attended of the 3 × 3 h 30 recorded
    assert panel.rate_label.text() == "Taux de présence du groupe : 52 %"


def test_all_present_then_undo_and_redo(qtbot, window: MainWindow) -> None:
    panel = open_grid(window)
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS + 1))
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    assert [cell_text(panel, r, 1) for r in range(10)] == ["P"] * 10
    assert recorded(window) == 10
    header = panel.model.headerData(FIXED_COLUMNS + 1, Qt.Orientation.Horizontal)
    assert header == "lun. 25/09 après-midi\n100 %"
    panel.undo_stack.undo()
    assert [cell_text(panel, r, 1) for r in range(10)] == [""] * 10
    assert recorded(window) == 0
    panel.undo_stack.redo()
    assert recorded(window) == 10


def test_excused_with_reason_and_cancelled_enrollment_leaves_grid(
    window: MainWindow, prompts
) -> None:
    panel = open_grid(window)
    panel.view.setCurrentIndex(panel.model.index(1, FIXED_COLUMNS))
    prompts.texts = ["Rendez-vous médical"]
    panel.excuse_with_reason()
    assert panel.model.index(1, FIXED_COLUMNS).data(Qt.ItemDataRole.ToolTipRole) == (
        "Excusé — Rendez-vous médical"
    )
    detail = window.groups_tab.group_detail
    detail.enrollments_view.selectRow(1)
    detail.status_actions["cancelled"].trigger()
    assert panel.model.rowCount() == 9
