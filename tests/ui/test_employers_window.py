"""« Établissements » through the window: search, detail, the form (SIRET refused, fixed), merge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from allervers_desktop.db.models import Employer, Participant
from allervers_desktop.services.employers import find_employer, get_employer
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.ui.employer_list import EmployersDialog
from allervers_desktop.ui.forms.employer_form import EmployerForm
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts
from tests.ui.helpers import click_save, column_values, type_into, type_text


def test_edit_an_employer_from_the_list(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    errors: list[str] = []
    seen: dict[str, object] = {}

    def in_form(form: QDialog) -> None:
        assert isinstance(form, EmployerForm)
        assert form.name_edit.text() == "Foyer Saint-Éloi"
        type_into(qtbot, form.siret_edit, "123 456 789 00012")
        type_into(qtbot, form.contact_email_edit, "rh@foyer")
        click_save(qtbot, form)
        assert form.isVisible()  # refused: the form stays open with its messages
        errors.append(form.error_label.text())
        type_into(qtbot, form.siret_edit, "356 000 000 49837")
        type_into(qtbot, form.finess_edit, "750712184")
        type_into(qtbot, form.address_edit, "4 rue des Clefs, 68000 Colmar")
        type_into(qtbot, form.contact_edit, "Mme Roth")
        type_into(qtbot, form.contact_email_edit, "rh@foyer-saint-eloi.fr")
        click_save(qtbot, form)

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, EmployersDialog)
        tester = QAbstractItemModelTester(
            dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal
        )
        seen["all"] = column_values(dialog.model, 0)
        type_text(qtbot, dialog.search_field, "colmar")
        assert column_values(dialog.model, 0) == ["Foyer Saint-Éloi"]
        assert column_values(dialog.model, 4) == ["4"]
        assert dialog.count_label.text() == "1 établissement"
        dialog.view.setFocus()
        dialog.view.selectRow(0)
        detail = dialog.detail.toPlainText()
        assert "Participants (4)" in detail
        assert "WEBER Céline — Cheffe de service" in detail
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)  # Enter opens the selected row
        assert dialog.isVisible()
        seen["after"] = [column_values(dialog.model, c) for c in range(4)]
        type_text(qtbot, dialog.search_field, " 49837")  # by SIRET too
        seen["by_siret"] = column_values(dialog.model, 0)
        dialog.view.selectRow(0)
        assert "FINESS\n750712184\nContact\nMme Roth" in dialog.detail.toPlainText()
        del tester
        dialog.reject()

    prompts.dialog_handlers.extend([in_list, in_form])
    window.employers_action.trigger()
    assert seen["all"] == [
        "Association Le Relais de l'Ill",
        "CCAS de Metz",
        "Centre d'hébergement Horizon",
        "Foyer Saint-Éloi",
        "Maison d'accueil Les Tilleuls",
    ]
    assert "Le SIRET « 123 456 789 00012 » n'est pas valide" in errors[0]
    assert seen["after"] == [
        ["Foyer Saint-Éloi"],
        ["Colmar"],
        ["356 000 000 49837"],
        ["750712184"],
    ]
    assert seen["by_siret"] == ["Foyer Saint-Éloi"]
    with window.database.session() as session:
        employer = find_employer(session, "Foyer Saint-Éloi", "Colmar")
        assert employer is not None
        assert (employer.siret, employer.finess) == ("35600000049837", "750712184")
        assert (employer.contact_name, employer.contact_email) == (
            "Mme Roth",
            "rh@foyer-saint-eloi.fr",
        )
        assert employer.address == "4 rue des Clefs, 68000 Colmar"


def _plant_second_foyer(window: MainWindow) -> tuple[int, int]:
    """The « … (site de Wittenheim) » employer an import created without a city, with one
    participant."""
    with window.database.transaction() as session:
        person = create_participant(
            session,
            ParticipantData(
                last_name="KOENIG",
                first_name="Antoine",
                employer_name="Foyer Saint-Éloi (site de Wittenheim)",
            ),
        )
        assert person.employer is not None
        planted = person.employer.id
        kept = find_employer(session, "Foyer Saint-Éloi", "Colmar")
        assert kept is not None
        return kept.id, planted


def test_merge_two_employers(qtbot, window: MainWindow, prompts: ScriptedPrompts) -> None:
    kept_id, other_id = _plant_second_foyer(window)
    seen: dict[str, object] = {}

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, EmployersDialog)
        type_text(qtbot, dialog.search_field, "foyer")
        assert column_values(dialog.model, 0) == [
            "Foyer Saint-Éloi",
            "Foyer Saint-Éloi (site de Wittenheim)",
        ]
        assert not dialog.merge_button.isEnabled()
        dialog.view.selectRow(0)
        assert not dialog.merge_button.isEnabled()  # one row: nothing to merge with
        rect = dialog.view.visualRect(dialog.model.index(1, 0))
        qtbot.mouseClick(
            dialog.view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            rect.center(),
        )
        assert len(dialog.selected_ids()) == 2
        assert dialog.merge_button.isEnabled()
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        seen["rows"] = column_values(dialog.model, 0)
        seen["counts"] = column_values(dialog.model, 4)
        seen["detail"] = dialog.detail.toPlainText()
        dialog.reject()

    prompts.choice_answers.append("Garder « Foyer Saint-Éloi (Colmar) »")
    prompts.dialog_handlers.append(in_list)
    tab = window.show_tab("participants")
    type_text(qtbot, tab.search_field, "koenig")
    assert column_values(tab.model, 2) == ["Foyer Saint-Éloi (site de Wittenheim)"]
    window.employers_action.trigger()
    [(_kind, title, question)] = [shown for shown in prompts.shown if shown[0] == "choose"]
    assert title == "Fusionner deux établissements"
    assert "« Foyer Saint-Éloi (Colmar) »\n   SIRET : — ; FINESS : —\n   4 participant(s)" in (
        question
    )
    assert "« Foyer Saint-Éloi (site de Wittenheim) »" in question
    assert "1 participant(s)" in question
    assert prompts.messages("inform") == [
        "« Foyer Saint-Éloi (site de Wittenheim) » fusionné dans « Foyer Saint-Éloi (Colmar) » "
        ": 1 participant(s) déplacé(s)."
    ]
    assert seen["rows"] == ["Foyer Saint-Éloi"]
    assert seen["counts"] == ["5"]
    assert "KOENIG Antoine" in str(seen["detail"])
    with window.database.session() as session:
        assert session.get(Employer, other_id) is None
        koenig = session.scalar(select(Participant).where(Participant.last_name == "KOENIG"))
        assert koenig is not None and koenig.employer_id == kept_id
        moved = select(func.count()).where(Participant.employer_id == kept_id)
        assert session.scalar(moved) == 5
        assert get_employer(session, kept_id).city == "Colmar"
    # The Participants tab, shown behind, reloaded: KOENIG's employer is the kept one.
    assert [tab.model.index(0, c).data() for c in (0, 2, 3)] == [
        "KOENIG",
        "Foyer Saint-Éloi",
        "Colmar",
    ]


def test_a_refused_merge_says_why(qtbot, window: MainWindow, prompts: ScriptedPrompts) -> None:
    kept_id, other_id = _plant_second_foyer(window)
    with window.database.transaction() as session:
        get_employer(session, kept_id).siret = "35600000049837"
        get_employer(session, other_id).siret = "73282932000074"

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, EmployersDialog)
        type_text(qtbot, dialog.search_field, "foyer")
        dialog.view.selectAll()
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        assert dialog.model.rowCount() == 2
        dialog.reject()

    prompts.choice_answers.append("Garder « Foyer Saint-Éloi (Colmar) »")
    prompts.dialog_handlers.append(in_list)
    window.employers_action.trigger()
    [error] = prompts.messages("error")
    assert "Fusion impossible" in error and "ce sont deux établissements" in error
    with window.database.session() as session:
        assert session.get(Employer, other_id) is not None


def test_a_cancelled_merge_changes_nothing(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    _kept_id, other_id = _plant_second_foyer(window)
    rows: list[list[str]] = []

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, EmployersDialog)
        type_text(qtbot, dialog.search_field, "foyer")
        dialog.view.selectAll()
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        rows.append(column_values(dialog.model, 0))
        dialog.reject()

    prompts.choice_answers.append("Annuler")
    prompts.dialog_handlers.append(in_list)
    window.employers_action.trigger()
    assert rows == [["Foyer Saint-Éloi", "Foyer Saint-Éloi (site de Wittenheim)"]]
    assert prompts.messages("inform") == [] and prompts.messages("error") == []
    with window.database.session() as session:
        assert session.get(Employer, other_id) is not None
