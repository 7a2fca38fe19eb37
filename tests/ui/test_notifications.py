"""Another coordinator's change appears in an open window, its selection and search kept."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from allervers_desktop.db.location import parse_location
from allervers_desktop.db.models import Participant
from allervers_desktop.db.server import open_location
from allervers_desktop.services.participants import (
    ParticipantData,
    create_participant,
    update_participant,
)
from allervers_desktop.ui.main_window import MainWindow
from tests.conftest import ON_SERVER
from tests.ui.helpers import column_values, type_text

pytestmark = pytest.mark.skipif(not ON_SERVER, reason="LISTEN/NOTIFY: a server's")


def test_a_colleagues_changes_reach_the_open_list(qtbot: Any, window: MainWindow) -> None:
    assert window.change_listener is not None
    assert window.change_listener.listening.wait(10)
    tab = window.show_tab("participants")
    type_text(qtbot, tab.search_field, "tilleuls")
    assert len(column_values(tab.model, 0)) == 5
    tab.view.selectRow(2)
    selected = tab.current_id()
    assert selected is not None
    other = open_location(parse_location(window.database.target))
    try:
        with other.transaction() as session:
            employer = session.get(Participant, selected)
            assert employer is not None
            create_participant(
                session,
                ParticipantData("AUBERT", "Lise", employer_id=employer.employer_id),
            )
            data = ParticipantData.from_participant(employer)
            data.phone = "06 11 22 33 44"
            update_participant(session, selected, data)
    finally:
        other.close()
    qtbot.waitUntil(lambda: len(column_values(tab.model, 0)) == 6, timeout=10000)
    assert "AUBERT" in column_values(tab.model, 0)
    assert tab.search_field.text() == "tilleuls"
    assert tab.current_id() == selected
    qtbot.waitUntil(lambda: "06 11 22 33 44" in tab.detail_browser.toPlainText(), timeout=5000)
    with window.database.session() as session:
        assert session.scalars(select(Participant).where(Participant.last_name == "AUBERT")).one()


def test_a_hidden_tab_reloads_when_shown(qtbot: Any, window: MainWindow) -> None:
    assert window.change_listener is not None
    assert window.change_listener.listening.wait(10)
    trainers = window.show_tab("trainers")
    count = trainers.model.rowCount()
    window.show_tab("participants")
    other = open_location(parse_location(window.database.target))
    try:
        from allervers_desktop.services.trainers import TrainerData, create_trainer

        with other.transaction() as session:
            create_trainer(session, TrainerData(first_name="Émile", last_name="ZOLA"))
    finally:
        other.close()
    qtbot.waitUntil(lambda: "trainers" in window._stale, timeout=10000)
    window.show_tab("trainers")
    assert trainers.model.rowCount() == count + 1


def test_a_colleagues_mark_reaches_the_open_grid(qtbot: Any, window: MainWindow) -> None:
    """A half-day marked on another computer shows in the open grid; a time being typed here
    is not lost: the grid reads again once it is entered."""
    from PySide6.QtCore import Qt

    from allervers_desktop.services import attendance
    from allervers_desktop.ui.attendance_grid import FIXED_COLUMNS

    assert window.change_listener is not None
    assert window.change_listener.listening.wait(10)
    window.show_tab("groups")
    detail = window.groups_tab.group_detail
    window.groups_tab.view.selectRow(0)
    detail.pages.setCurrentWidget(detail.attendance)
    panel = detail.attendance
    group_id = detail.group_id
    assert group_id is not None
    grid = panel.model.grid
    assert grid is not None
    first, second = grid.rows[0], grid.rows[1]
    morning = grid.columns[0].half_day_id

    view = panel.view
    view.setFocus()
    view.setCurrentIndex(panel.model.index(1, FIXED_COLUMNS + 1))
    qtbot.keyClick(view, "r")  # a late arrival being typed here
    assert panel.time_entry is not None
    qtbot.keyClicks(panel.time_entry, "14")

    other = open_location(parse_location(window.database.target))
    try:
        with other.transaction() as session:
            attendance.set_cell(session, first.enrollment_id, morning, "absent")
    finally:
        other.close()
    qtbot.wait(1500)  # the notification has come: the typing goes on untouched
    assert panel.time_entry is not None and panel.time_entry.text() == "14"
    qtbot.keyClicks(panel.time_entry, "15")
    qtbot.keyClick(panel.time_entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.model.index(0, FIXED_COLUMNS).data() == "A", timeout=10000)
    reloaded = panel.model.grid
    assert reloaded is not None
    state = reloaded.row(second.enrollment_id).cell(grid.columns[1].half_day_id)
    assert state.status == "late"
