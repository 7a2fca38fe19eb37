"""Training providers through the window: the list, the form, from the course form; assessment."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from allervers_desktop.db.models import Course, TrainingProvider
from allervers_desktop.services.attendance import find_enrollment
from allervers_desktop.services.courses import get_course
from allervers_desktop.services.providers import get_provider, provider_images
from allervers_desktop.ui.forms.course_form import CourseForm
from allervers_desktop.ui.forms.provider_form import ProviderForm
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.provider_list import ProvidersDialog
from tests.ui.conftest import ScriptedPrompts
from tests.ui.helpers import click_cancel, click_save, column_values, type_into, type_text


def _png(tmp_path: Path) -> str:
    image = QImage(60, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#aa2222"))
    path = tmp_path / "cachet.png"
    assert image.save(str(path))
    return str(path)


def test_edit_the_provider_from_the_list(
    qtbot, window: MainWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    errors: list[str] = []
    seen: list[list[str]] = []

    def in_form(form: QDialog) -> None:
        assert isinstance(form, ProviderForm)
        assert form.siret_edit.text() == "123 456 782 00010"
        type_into(qtbot, form.siret_edit, "123 456 789 00012")
        type_into(qtbot, form.nda_edit, "44 67 999")
        click_save(qtbot, form)
        errors.append(form.error_label.text())
        type_into(qtbot, form.siret_edit, "356 000 000 49837")
        type_into(qtbot, form.nda_edit, "44 67 12345 67")
        type_into(qtbot, form.representative_edit, "Paul ROTH")
        qtbot.mouseClick(form.stamp_picker.choose_button, Qt.MouseButton.LeftButton)
        click_save(qtbot, form)

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, ProvidersDialog)
        tester = QAbstractItemModelTester(
            dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal
        )
        seen.append(column_values(dialog.model, 0))
        type_text(qtbot, dialog.search_field, "strasb")
        assert column_values(dialog.model, 0) == ["PRAXIS"]
        assert column_values(dialog.model, 3) == ["44 67 99999 67"]
        dialog.view.selectRow(0)
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
        assert column_values(dialog.model, 4) == ["Paul ROTH"]
        del tester
        dialog.reject()

    prompts.files.append(_png(tmp_path))
    prompts.dialog_handlers.extend([in_list, in_form])
    window.providers_action.trigger()
    assert seen == [["PRAXIS"]]
    assert "Le SIRET « 123 456 789 00012 » n'est pas valide" in errors[0]
    assert "Le numéro de déclaration d'activité compte 11 chiffres" in errors[0]
    with window.database.session() as session:
        provider = get_provider(session, 1)
        assert (provider.siret, provider.nda) == ("35600000049837", "44671234567")
        assert provider.legal_representative == "Paul ROTH"
        _logo, stamp = provider_images(session, 1)
        assert stamp is not None and stamp.file_name == "cachet.png"


def test_a_provider_in_use_cannot_be_deleted_an_unused_one_can(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    def new_provider(form: QDialog) -> None:
        assert isinstance(form, ProviderForm)
        type_into(qtbot, form.name_edit, "Formacoop")
        click_save(qtbot, form)

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, ProvidersDialog)
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert sorted(column_values(dialog.model, 0)) == ["Formacoop", "PRAXIS"]
        dialog.view.selectRow(column_values(dialog.model, 0).index("PRAXIS"))
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        dialog.view.selectRow(column_values(dialog.model, 0).index("Formacoop"))
        qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
        assert column_values(dialog.model, 0) == ["PRAXIS"]
        assert dialog.count_label.text() == "1 organisme"
        dialog.reject()

    prompts.confirm_answers.append(True)
    prompts.dialog_handlers.extend([in_list, new_provider])
    window.providers_action.trigger()
    assert prompts.messages("error") == [
        "Cet organisme dispense 1 formation : choisissez un autre organisme pour ces formations "
        "avant de le supprimer (leurs attestations et certificats portent son identité)."
    ]
    assert prompts.messages("confirm") == ["Supprimer l'organisme de formation « Formacoop » ?"]
    with window.database.session() as session:
        assert session.scalars(select(TrainingProvider.name)).all() == ["PRAXIS"]


def test_course_form_creates_and_edits_its_provider(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    tab = window.show_tab("courses")
    tab.view.selectRow(0)

    def edit_praxis(form: QDialog) -> None:
        assert isinstance(form, ProviderForm)
        assert form.name_edit.text() == "PRAXIS"
        type_into(qtbot, form.representative_title_edit, "Directrice générale")
        click_save(qtbot, form)

    def new_provider(form: QDialog) -> None:
        assert isinstance(form, ProviderForm)
        assert form.name_edit.text() == "Formacoop Est"  # what was typed in the course form
        type_into(qtbot, form.siret_edit, "12345678200010")
        click_save(qtbot, form)

    def in_course(form: QDialog) -> None:
        assert isinstance(form, CourseForm)
        assert form.assessment_check.isChecked()
        assert form.edit_provider_button.isEnabled()
        qtbot.mouseClick(form.edit_provider_button, Qt.MouseButton.LeftButton)
        form.provider_combo.setCurrentText("Formacoop Est")
        assert not form.edit_provider_button.isEnabled()  # not created yet
        qtbot.mouseClick(form.new_provider_button, Qt.MouseButton.LeftButton)
        assert form.provider_combo.currentText() == "Formacoop Est"
        assert form.edit_provider_button.isEnabled()
        form.assessment_check.setChecked(False)
        type_into(qtbot, form.what_to_bring_edit, "Un stylo")
        click_save(qtbot, form)

    prompts.dialog_handlers.extend([in_course, edit_praxis, new_provider])
    tab.edit_button.click()
    with window.database.session() as session:
        course = get_course(session, 1)
        assert course.provider is not None and course.provider.name == "Formacoop Est"
        assert course.provider.siret == "12345678200010"
        assert (course.assesses_learning, course.what_to_bring) == (False, "Un stylo")
        praxis = session.scalars(
            select(TrainingProvider).where(TrainingProvider.name == "PRAXIS")
        ).one()
        assert praxis.legal_representative_title == "Directrice générale"


def test_cancelling_the_provider_form_changes_nothing(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    def in_form(form: QDialog) -> None:
        assert isinstance(form, ProviderForm)
        type_into(qtbot, form.name_edit, "Autre nom")
        click_cancel(qtbot, form)

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, ProvidersDialog)
        dialog.view.selectRow(0)
        qtbot.mouseClick(dialog.edit_button, Qt.MouseButton.LeftButton)
        dialog.reject()
        assert not dialog.changed

    prompts.dialog_handlers.extend([in_list, in_form])
    window.providers_action.trigger()
    with window.database.session() as session:
        assert get_provider(session, 1).name == "PRAXIS"


def test_assessment_entered_in_the_enrolled_list(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    window.show_tab("groups")
    tab = window.groups_tab
    tab.view.selectRow(0)
    detail = tab.group_detail
    names = column_values(detail.enrollments, 0)
    detail.enrollments_view.selectRow(names.index("MULLER"))
    detail.assessment_actions["acquired"].trigger()
    row = column_values(detail.enrollments, 0).index("MULLER")
    assert detail.enrollments.index(row, 5).data() == "Objectifs acquis"
    with window.database.session() as session:
        assert find_enrollment(session, 1, 1).assessment_result == "acquired"
    detail.assessment_actions[None].trigger()
    assert detail.enrollments.index(row, 5).data() == ""
    # A course without an assessment refuses, in French.
    with window.database.transaction() as session:
        course = session.get(Course, 1)
        assert course is not None
        course.assesses_learning = False
    detail.enrollments_view.selectRow(row)
    detail.assessment_actions["partial"].trigger()
    assert prompts.messages("error") == [
        "La formation « La pratique de l'Aller Vers les publics » ne prévoit pas d'évaluation "
        "des acquis : cochez « Évaluation des acquis » dans sa fiche pour saisir un résultat."
    ]


def test_course_detail_shows_the_provider_identity(window: MainWindow) -> None:
    tab = window.show_tab("courses")
    tab.view.selectRow(0)
    text = tab.detail_browser.toPlainText()
    assert (
        "PRAXIS — SIRET 123 456 782 00010 — NDA 44 67 99999 67 — représenté par Claire FONTAINE"
    ) in text
    assert "De quoi prendre des notes" in text
