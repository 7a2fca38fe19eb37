"""Presence times in the grid (keyboard first), future half-days, the lock, trainers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from allervers_desktop.clock import FixedClock
from allervers_desktop.db.models import Attendance, AttendanceUnlock, Group, GroupStatus
from allervers_desktop.documents.batch import DocumentRequest, export_documents
from allervers_desktop.documents.fonts import prepare_fonts
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.services import attendance as service
from allervers_desktop.services.teaching import half_day_trainers
from allervers_desktop.ui.attendance_grid import FIXED_COLUMNS, HalfDayTrainersDialog
from allervers_desktop.ui.document_actions import save_documents
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.test_attendance_grid import cell_text, open_grid
from tests.ui.test_document_actions import attestations, mark_all, set_identity

HOURS_COLUMN = FIXED_COLUMNS + 4


def records(window: MainWindow) -> list[tuple[str, dt.time | None, dt.time | None]]:
    with window.database.session() as session:
        return [
            (a.status, a.arrived_at, a.left_at)
            for a in session.scalars(select(Attendance).order_by(Attendance.id))
        ]


def type_time(qtbot, panel, key: str, text: str) -> None:
    qtbot.keyClick(panel.view, key)
    assert panel.time_entry is not None
    assert panel.time_entry.hasFocus()
    qtbot.keyClicks(panel.time_entry, text)
    qtbot.keyClick(panel.time_entry, Qt.Key.Key_Return)


def test_late_arrival_typed_at_the_keyboard_then_undone_and_redone(qtbot, window) -> None:
    panel = open_grid(window)
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    type_time(qtbot, panel, "r", "920")
    assert cell_text(panel, 0, 0) == "R 9:20"
    assert records(window) == [("late", dt.time(9, 20), None)]
    index = panel.model.index(0, FIXED_COLUMNS)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == (
        "En retard (arrivée 9 h 20)\n3 h 10 suivie(s) sur 3 h 30"
    )
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ffd08a"
    assert panel.model.index(0, HOURS_COLUMN).data() == "3 h 10 / 14 h"
    panel.undo_stack.undo()
    assert cell_text(panel, 0, 0) == "" and records(window) == []
    panel.undo_stack.redo()
    assert cell_text(panel, 0, 0) == "R 9:20"
    assert records(window) == [("late", dt.time(9, 20), None)]


def test_departure_then_arrival_on_the_same_half_day(qtbot, window) -> None:
    panel = open_grid(window)
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    qtbot.keyClick(panel.view, "p")
    qtbot.keyClick(panel.view, Qt.Key.Key_Up)  # P moved down to the next participant
    type_time(qtbot, panel, "d", "11h")
    assert cell_text(panel, 0, 0) == "P →11:00"
    qtbot.keyClick(panel.view, Qt.Key.Key_Up)
    type_time(qtbot, panel, "r", "9:20")
    assert cell_text(panel, 0, 0) == "R 9:20→11:00"
    assert records(window) == [("late", dt.time(9, 20), dt.time(11, 0))]
    assert panel.model.index(0, HOURS_COLUMN).data() == "1 h 40 / 14 h"
    panel.undo_stack.undo()
    assert cell_text(panel, 0, 0) == "P →11:00"


def test_escape_cancels_and_a_bad_time_keeps_the_field_open(qtbot, window, prompts) -> None:
    panel = open_grid(window)
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    qtbot.keyClick(panel.view, "r")
    entry = panel.time_entry
    assert entry is not None
    qtbot.keyClicks(entry, "9x")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    assert panel.time_entry is entry and not entry.closed and entry.hasFocus()
    assert "Heure illisible : « 9x »" in entry.toolTip()
    qtbot.keyClick(entry, Qt.Key.Key_Escape)
    assert panel.time_entry is None and records(window) == []
    # An arrival after the half-day's end is refused in French; the field stays open.
    qtbot.keyClick(panel.view, "r")
    qtbot.keyClicks(panel.time_entry, "1245")
    qtbot.keyClick(panel.time_entry, Qt.Key.Key_Return)
    assert prompts.messages("error") == [
        "L'heure d'arrivée (12 h 45) doit précéder la fin de la demi-journée (12 h 30)."
    ]
    assert panel.time_entry is not None and records(window) == []
    qtbot.keyClick(panel.time_entry, Qt.Key.Key_Escape)


def test_half_days_not_started_are_grey_and_refuse_input(qtbot, window, prompts) -> None:
    window.database.clock = FixedClock(dt.datetime(2023, 9, 25, 14, 0))  # first afternoon
    panel = open_grid(window)
    tomorrow = panel.model.index(0, FIXED_COLUMNS + 2)
    assert tomorrow.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ececec"
    assert tomorrow.data(Qt.ItemDataRole.ToolTipRole) == (
        "Demi-journée à venir : la présence se saisit à partir du mar. 26/09 à 9 h 00."
    )
    panel.view.setFocus()
    panel.view.setCurrentIndex(tomorrow)
    qtbot.keyClick(panel.view, "p")
    assert records(window) == []
    assert prompts.messages("error") == [
        "La demi-journée du 26/09/2023 (matin) n'a pas encore commencé : la présence ne peut "
        "être saisie qu'à partir de 9 h 00 ce jour-là."
    ]
    # « Tous présents » without a selection in the future fills the afternoon that started.
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS + 1))
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    assert len(records(window)) == 10
    panel.view.setCurrentIndex(tomorrow)
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    assert len(records(window)) == 10
    assert "n'a pas encore commencé" in prompts.messages("error")[-1]


def _finish_and_issue(window: MainWindow, tmp_path: Path) -> None:
    with window.database.transaction() as session:
        service.mark_all(session, 1)
        session.get_one(Group, 1).status = GroupStatus.COMPLETED.value
    prepare_fonts()
    request = DocumentRequest(DocumentKind.ATTESTATION, group_id=1)
    export_documents(window.database, request, tmp_path / "attestations.pdf")


def test_locked_attendance_is_read_only_until_unlocked_with_a_reason(
    qtbot, window, prompts, tmp_path
) -> None:
    _finish_and_issue(window, tmp_path)
    window.database.clock = FixedClock(dt.datetime(2024, 6, 10, 9, 30))
    panel = open_grid(window)
    assert panel.model.grid is not None, panel.model.grid
    assert panel.model.grid.locked, panel.model.grid.locked_reason
    assert panel.lock_label.isVisibleTo(panel) and panel.lock_label.text() == "🔒 Verrouillé"
    assert panel.unlock_button.isVisibleTo(panel)
    assert not panel.all_present_button.isEnabled()
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    qtbot.keyClick(panel.view, "a")
    assert cell_text(panel, 0, 0) == "P"
    assert prompts.messages("error")[-1].startswith(
        "Les présences du groupe « Groupe 1 » sont verrouillées"
    )
    prompts.texts = ["   "]  # a blank reason is refused
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert prompts.messages("error")[-1] == "Indiquez le motif du déverrouillage des présences."
    assert panel.lock_label.isVisibleTo(panel)
    prompts.texts = ["Erreur de saisie : BAUER absente le lundi matin"]
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    assert not panel.lock_label.isVisibleTo(panel) and not panel.unlock_button.isVisibleTo(panel)
    qtbot.keyClick(panel.view, "a")
    assert cell_text(panel, 0, 0) == "A"
    with window.database.session() as session:
        unlock = session.scalars(select(AttendanceUnlock)).one()
    assert unlock.reason == "Erreur de saisie : BAUER absente le lundi matin"
    assert unlock.unlocked_at == dt.datetime(2024, 6, 10, 9, 30)
    assert unlock.unlocked_by
    summary = window.groups_tab.group_detail.summary.toPlainText()
    assert "Déverrouillages des présences" in summary
    assert f"10/06/2024 09:30, par {unlock.unlocked_by} : Erreur de saisie" in summary


def test_trainers_of_a_half_day_chosen_from_the_attendance_view(qtbot, window, prompts) -> None:
    panel = open_grid(window)
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS + 1))  # Monday afternoon

    def keep_only_the_second(dialog: QDialog) -> None:
        assert isinstance(dialog, HalfDayTrainersDialog)
        assert [box.isChecked() for _, box in dialog.boxes] == [False, False]
        dialog.boxes[1][1].setChecked(True)
        dialog.buttons.accepted.emit()

    prompts.dialog_handlers = [keep_only_the_second]
    qtbot.mouseClick(panel.trainers_button, Qt.MouseButton.LeftButton)
    with window.database.session() as session:
        taught = half_day_trainers(session, 1)
        halves = [c.half_day_id for c in service.attendance_grid(session, 1).columns]
        names = {h: [t.full_name for t in taught[h]] for h in halves}
    assert len(names[halves[0]]) == 2
    assert names[halves[1]] == [names[halves[0]][1]]
    summary = window.groups_tab.group_detail.summary.toPlainText()
    assert f"après-midi 13:30–17:00 avec {names[halves[0]][1]} (7 h)" in summary


def test_documents_menu_refuses_certificates_before_the_last_day(
    qtbot, window, prompts, tmp_path
) -> None:
    set_identity(window)
    mark_all(window)
    window.database.clock = FixedClock(dt.datetime(2023, 9, 26, 9, 0))
    prompts.files = [str(tmp_path / "a.pdf")]
    assert save_documents(window, attestations(window)) is None
    assert prompts.messages("error") == [
        "Le groupe se termine le 26/09/2023 : l'attestation ne peut être établie qu'après la "
        "dernière journée."
    ]
    assert not (tmp_path / "a.pdf").exists()


def test_attendance_model_passes_the_item_model_tester(qtbot, window) -> None:
    from PySide6.QtTest import QAbstractItemModelTester

    window.database.clock = FixedClock(dt.datetime(2023, 9, 26, 10, 0))
    panel = open_grid(window)
    tester = QAbstractItemModelTester(
        panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    panel.view.setFocus()
    panel.view.setCurrentIndex(panel.model.index(0, FIXED_COLUMNS))
    type_time(qtbot, panel, "r", "920")
    assert panel.view.currentIndex() == panel.model.index(1, FIXED_COLUMNS)  # next participant
    panel.show_group(1)
    assert panel.model.index(0, FIXED_COLUMNS).data() == "R 9:20"
    assert panel.view.currentIndex() == panel.model.index(1, FIXED_COLUMNS)  # kept on reload
    assert tester is not None
