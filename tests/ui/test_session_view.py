"""« Feuille de présence »: opened from the groups list, typed at the keyboard, kept in step with
the tab's grid; « Tous présents » asks before replacing; view state remembered."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QSettings, Qt
from sqlalchemy import select

from allervers_desktop.db.models import Attendance
from allervers_desktop.ui.attendance_grid import (
    ALL_PRESENT_FILL,
    ALL_PRESENT_REPLACE,
    FIXED_COLUMNS,
)
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.session_view import GEOMETRY_KEY, SessionView


def open_session(qtbot, window: MainWindow, *, button: bool = False) -> SessionView:
    window.show_tab("groups")
    tab = window.groups_tab
    if tab.current_id() != 1:  # (selectRow again would toggle it after a Ctrl shortcut)
        tab.view.selectRow(0)  # Groupe 1, Strasbourg: 10 participants, 4 half-days
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab.view.setFocus()
    if button:
        qtbot.mouseClick(tab.session_button, Qt.MouseButton.LeftButton)
    else:
        qtbot.keyClick(tab.view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    view = tab.session_views[1]
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.panel.view.setFocus()
    return view


def cell(view: SessionView, row: int, half_day: int) -> str:
    return view.panel.model.index(row, FIXED_COLUMNS + half_day).data() or ""


def records(window: MainWindow) -> list[tuple[str, dt.time | None, dt.time | None]]:
    with window.database.session() as session:
        return [
            (a.status, a.arrived_at, a.left_at)
            for a in session.scalars(select(Attendance).order_by(Attendance.id))
        ]


def test_opened_with_ctrl_p_names_frozen(qtbot, window: MainWindow) -> None:
    view = open_session(qtbot, window)
    assert view.isWindow() and "Groupe 1 — Strasbourg" in view.windowTitle()
    grid = view.panel.view
    names = grid.names
    hidden = [names.isColumnHidden(c) for c in range(view.panel.model.columnCount())]
    assert hidden == [False] + [True] * (len(hidden) - 1)
    assert names.isVisible() and names.width() == grid.columnWidth(0)
    assert names.horizontalHeader().height() == grid.horizontalHeader().height()
    assert grid.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == (
        "BAUER Zoé — Foyer Saint-Éloi (Colmar)"
    )
    # The button opens the same window again rather than a second one.
    qtbot.mouseClick(window.groups_tab.session_button, Qt.MouseButton.LeftButton)
    assert window.groups_tab.session_views == {1: view}


def test_letters_set_the_status_and_move_down(qtbot, window: MainWindow) -> None:
    view = open_session(qtbot, window)
    grid = view.panel.view
    grid.setCurrentIndex(view.panel.model.index(0, FIXED_COLUMNS))
    for letter in "paep":
        qtbot.keyClick(grid, letter)
    assert [cell(view, row, 0) for row in range(5)] == ["P", "A", "E", "P", ""]
    assert grid.currentIndex() == view.panel.model.index(4, FIXED_COLUMNS)
    grid.setCurrentIndex(view.panel.model.index(9, FIXED_COLUMNS))
    qtbot.keyClick(grid, "a")  # the last participant: stays
    assert grid.currentIndex() == view.panel.model.index(9, FIXED_COLUMNS)
    assert cell(view, 9, 0) == "A"


def test_late_and_early_times_typed_without_the_mouse(qtbot, window: MainWindow) -> None:
    view = open_session(qtbot, window)
    panel = view.panel
    grid = panel.view
    grid.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    qtbot.keyClick(grid, "r")
    assert panel.time_entry is not None and panel.time_entry.hasFocus()
    qtbot.keyClicks(panel.time_entry, "920")
    qtbot.keyClick(panel.time_entry, Qt.Key.Key_Return)
    assert panel.time_entry is None and grid.hasFocus()
    assert grid.currentIndex() == panel.model.index(1, FIXED_COLUMNS)
    qtbot.keyClick(grid, "d")
    qtbot.keyClicks(panel.time_entry, "11h")
    qtbot.keyClick(panel.time_entry, Qt.Key.Key_Return)
    assert [cell(view, 0, 0), cell(view, 1, 0)] == ["R 9:20", "P →11:00"]
    assert records(window) == [("late", dt.time(9, 20), None), ("present", None, dt.time(11, 0))]
    assert grid.currentIndex() == panel.model.index(2, FIXED_COLUMNS)


def test_all_present_asks_before_replacing_recorded_absences(
    qtbot, window: MainWindow, prompts
) -> None:
    view = open_session(qtbot, window)
    panel = view.panel
    grid = panel.view
    grid.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    for letter in "aep":
        qtbot.keyClick(grid, letter)
    grid.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    # Cancelled: nothing written.
    prompts.choice_answers = [None]
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    assert prompts.messages("choose") == [
        "2 absences ou retards sont déjà saisis sur cette demi-journée. « Tous présents » peut "
        "ne remplir que les cases vides et les conserver, ou les remplacer par « présent »."
    ]
    assert len(records(window)) == 3
    # Only the empty cells: the absence and the excuse are kept.
    prompts.choice_answers = [ALL_PRESENT_FILL]
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    assert [cell(view, row, 0) for row in range(10)] == ["A", "E"] + ["P"] * 8
    # Replaced on request.
    prompts.choice_answers = [ALL_PRESENT_REPLACE]
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    assert [cell(view, row, 0) for row in range(10)] == ["P"] * 10
    # Nothing recorded on the next half-day: no question.
    grid.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS + 1))
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    assert len(prompts.messages("choose")) == 3
    assert [cell(view, row, 1) for row in range(10)] == ["P"] * 10


def test_changes_show_in_the_tab_and_back(qtbot, window: MainWindow) -> None:
    view = open_session(qtbot, window)
    detail = window.groups_tab.group_detail
    tab_panel = detail.attendance
    view.panel.view.setCurrentIndex(view.panel.model.index(2, FIXED_COLUMNS + 1))
    qtbot.keyClick(view.panel.view, "a")
    assert tab_panel.model.index(2, FIXED_COLUMNS + 1).data() == "A"
    detail.pages.setCurrentWidget(tab_panel)
    tab_panel.view.setFocus()
    tab_panel.view.setCurrentIndex(tab_panel.model.index(3, FIXED_COLUMNS))
    qtbot.keyClick(tab_panel.view, "e")
    assert cell(view, 3, 0) == "E"
    view.panel.undo_stack.undo()
    assert tab_panel.model.index(2, FIXED_COLUMNS + 1).data() == ""


def test_session_geometry_is_remembered(qtbot, window: MainWindow, settings) -> None:
    view = open_session(qtbot, window)
    view.showNormal()
    view.setGeometry(0, 30, view.minimumSizeHint().width(), 400)
    view.close()
    assert settings.value(GEOMETRY_KEY) is not None
    qtbot.waitUntil(lambda: not window.groups_tab.session_views)  # deleted once closed
    again = open_session(qtbot, window, button=True)
    assert again is not view
    assert again.height() == 400
    assert abs(again.y() - 30) <= 2  # (the offscreen frame's margin)


def test_splitters_widths_and_sort_order_survive_a_restart(
    qtbot, window: MainWindow, demo_database, prompts, settings: QSettings
) -> None:
    tab = window.groups_tab
    window.show_tab("groups")
    tab.splitter.setSizes([250, 550])
    tab.splitter.splitterMoved.emit(250, 1)  # as a drag of the handle does
    sizes = tab.splitter.sizes()
    tab.view.setColumnWidth(2, 177)
    header = tab.view.horizontalHeader()
    qtbot.mouseClick(  # sort by the city
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(2) + 10, 5),
    )
    assert header.sortIndicatorSection() == 2
    order = header.sortIndicatorOrder()
    window.close()

    again = MainWindow(demo_database, prompts=prompts, settings=settings)
    qtbot.addWidget(again)
    again.show()
    again.show_tab("groups")
    restored = again.groups_tab
    assert restored.splitter.sizes() == sizes
    assert restored.view.columnWidth(2) == 177
    assert restored.view.horizontalHeader().sortIndicatorSection() == 2
    assert restored.view.horizontalHeader().sortIndicatorOrder() == order


def test_closes_with_the_main_window(qtbot, window: MainWindow) -> None:
    view = open_session(qtbot, window)
    window.close()
    assert not view.isVisible()
