"""« Doublons probables », « Conflits », the group form's conflict warning and the « same course »
warning when enrolling by hand, through the window."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog, QTableView
from sqlalchemy import select

from allervers_desktop.db.models import Participant
from allervers_desktop.services.employers import find_employer
from allervers_desktop.services.groups import DayData, GroupData, create_group
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.ui.conflicts_dialog import ConflictsDialog
from allervers_desktop.ui.duplicates_dialog import DuplicatesDialog
from allervers_desktop.ui.forms.group_form import GroupForm
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tabs.enroll_dialog import EnrollDialog
from tests.ui.conftest import ScriptedPrompts
from tests.ui.helpers import click_save, column_values, type_into, type_text


def _cells(model: QAbstractItemModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _double_click(qtbot, view: QTableView, row: int, column: int) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    center = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)


def _plant_second_muller(window: MainWindow) -> tuple[int, int]:
    """Hélène MULLER entered again by hand, with her e-mail spelt otherwise."""
    with window.database.transaction() as session:
        first = session.scalar(select(Participant).where(Participant.last_name == "MULLER"))
        assert first is not None and first.email == "helene.muller@exemple.fr"
        second = create_participant(
            session,
            ParticipantData(
                last_name="Muller",
                first_name="Hélène",
                email="Helene.Muller+opco@exemple.fr",
                employer_name="Association Le Relais de l'Ill",
                employer_city="Strasbourg",
            ),
        )
        return first.id, second.id


def test_duplicates_dialog_lists_a_planted_duplicate(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    first_id, second_id = _plant_second_muller(window)
    seen: dict[str, object] = {}

    def in_dialog(dialog: QDialog) -> None:
        assert isinstance(dialog, DuplicatesDialog)
        tester = QAbstractItemModelTester(
            dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal
        )
        assert dialog.merge_button is not None  # « Fusionner… » (tests/ui/test_lifecycle_window.py)
        seen["count"] = dialog.count_label.text()
        seen["rows"] = [_cells(dialog.model, c) for c in range(3)]
        _double_click(qtbot, dialog.view, 0, 2)  # « Autre fiche » of the first pair
        seen["selected"] = window.participants_tab.current_id()
        _double_click(qtbot, dialog.view, 1, 1)  # the first person of the second pair
        seen["selected_then"] = window.participants_tab.current_id()
        del tester
        dialog.reject()

    prompts.dialog_handlers.append(in_dialog)
    window.duplicates_action.trigger()
    relais = "Association Le Relais de l'Ill (Strasbourg)"
    assert seen["count"] == "2 paires"
    first = f"MULLER Hélène\n{relais}\nhelene.muller@exemple.fr"
    second = f"MULLER Hélène\n{relais}\nhelene.muller+opco@exemple.fr"
    assert seen["rows"] == [
        ["même nom et même établissement", "même e-mail à l'orthographe près"],
        [first, first],
        [second, second],
    ]
    assert window.tab_widget.currentIndex() == 3  # « Participants »
    assert seen["selected"] == second_id
    assert seen["selected_then"] == first_id


def test_no_duplicates_in_the_example_data(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    seen: list[str] = []

    def in_dialog(dialog: QDialog) -> None:
        assert isinstance(dialog, DuplicatesDialog)
        seen.append(dialog.count_label.text())
        assert dialog.model.rowCount() == 0
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # nothing to open: nothing happens
        dialog.reject()

    prompts.dialog_handlers.append(in_dialog)
    window.duplicates_action.trigger()
    assert seen == ["Aucun doublon probable"]
    assert prompts.shown == []


def _plant_colmar_group(window: MainWindow) -> int:
    """A third group on Groupe 1's first day, taught by Chantal CORNIER too."""
    with window.database.transaction() as session:
        group = create_group(
            session,
            GroupData(
                course_id=1,
                label="Groupe 3",
                city="Colmar",
                venue_address="Foyer Saint-Éloi, 4 rue des Clefs, 68000 Colmar",
                capacity=12,
                days=[DayData(dt.date(2023, 9, 25))],
                trainer_ids=[1],
            ),
        )
        return group.id


def test_conflicts_dialog_lists_a_planted_trainer_conflict(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    planted = _plant_colmar_group(window)
    seen: dict[str, object] = {}

    def in_dialog(dialog: QDialog) -> None:
        assert isinstance(dialog, ConflictsDialog)
        tester = QAbstractItemModelTester(
            dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal
        )
        seen["count"] = dialog.count_label.text()
        seen["rows"] = [_cells(dialog.model, c) for c in range(5)]
        seen["tooltip"] = dialog.model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
        _double_click(qtbot, dialog.view, 1, 4)  # « Autre groupe »: Groupe 3
        seen["selected"] = window.groups_tab.current_id()
        dialog.view.selectRow(0)
        dialog.view.setCurrentIndex(dialog.model.index(0, 3))
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # Enter on « Groupe »: Groupe 1
        seen["entered"] = window.groups_tab.current_id()
        del tester
        dialog.reject()

    prompts.dialog_handlers.append(in_dialog)
    window.show_tab("participants")
    window.conflicts_action.trigger()
    course = "La pratique de l'Aller Vers les publics"
    assert seen["count"] == "2 conflits"
    assert seen["rows"] == [
        ["25/09/2023", "25/09/2023"],
        ["Intervenant", "Intervenant"],
        ["Chantal CORNIER", "Chantal CORNIER"],
        [f"Groupe 1, 09:00–12:30\n{course}", f"Groupe 1, 13:30–17:00\n{course}"],
        [f"Groupe 3, 09:00–12:30\n{course}", f"Groupe 3, 13:30–17:00\n{course}"],
    ]
    assert "Chantal CORNIER intervient dans deux groupes à la fois le 25/09/2023" in str(
        seen["tooltip"]
    )
    assert seen["selected"] == planted
    assert seen["entered"] == 1
    assert window.tab_widget.currentIndex() == 1  # « Groupes »


def test_saving_a_group_warns_of_its_conflicts(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    planted = _plant_colmar_group(window)
    saved: list[bool] = []

    def edit(form: QDialog) -> None:
        assert isinstance(form, GroupForm)
        type_into(qtbot, form.label_edit, "Groupe 3 bis")
        click_save(qtbot, form)
        saved.append(form.result() == QDialog.DialogCode.Accepted)

    tab = window.show_tab("groups")
    tab.select_id(planted)
    prompts.dialog_handlers.append(edit)
    window.edit_action.trigger()
    assert saved == [True]
    [(kind, title, text)] = prompts.shown
    assert (kind, title) == ("inform", "Conflits de planning")
    assert text.count("Chantal CORNIER intervient dans deux groupes à la fois") == 2
    assert "« Groupe 1 » et « Groupe 3 bis »" in text
    assert column_values(tab.model, 1)[-1] == "Groupe 3 bis"

    # A group with no conflict saves without a word.
    def edit_quietly(form: QDialog) -> None:
        assert isinstance(form, GroupForm)
        type_into(qtbot, form.city_edit, "Metz-Borny")
        click_save(qtbot, form)

    tab.select_id(2)
    prompts.dialog_handlers.append(edit_quietly)
    window.edit_action.trigger()
    assert len(prompts.shown) == 1


def test_enrolling_someone_already_in_the_course_warns(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    with window.database.transaction() as session:
        person = create_participant(
            session,
            ParticipantData(last_name="KOENIG", first_name="Antoine", employer_name="CCAS de Metz"),
        )
        assert find_employer(session, "CCAS de Metz") is not None
        koenig = person.id

    def pick(dialog: QDialog) -> None:
        assert isinstance(dialog, EnrollDialog)
        type_text(qtbot, dialog.search, "weber")
        dialog.view.selectRow(0)
        dialog.accept()

    def pick_new(dialog: QDialog) -> None:
        assert isinstance(dialog, EnrollDialog)
        type_text(qtbot, dialog.search, "koenig")
        dialog.view.selectRow(0)
        dialog.accept()

    window.show_tab("groups")
    tab = window.groups_tab
    tab.select_id(2)  # Groupe 2, Metz; WEBER is in Groupe 1 of the same course
    prompts.dialog_handlers.extend([pick, pick_new])
    qtbot.mouseClick(tab.group_detail.enroll_button, Qt.MouseButton.LeftButton)
    assert prompts.messages("inform") == [
        "WEBER Céline est déjà inscrit(e) à cette formation dans le groupe « Groupe 1 » "
        "(du 25/09/2023 au 26/09/2023)."
    ]
    qtbot.mouseClick(tab.group_detail.enroll_button, Qt.MouseButton.LeftButton)
    assert len(prompts.messages("inform")) == 1  # KOENIG is in no other group: no word
    assert "KOENIG" in column_values(tab.group_detail.enrollments, 0)
    assert koenig
