"""Formations tab driven through the window: the full course sheet, validation, deletion."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from allervers_desktop.db.models import Course
from allervers_desktop.services.courses import get_course
from allervers_desktop.ui.forms.course_form import CourseForm
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.helpers import click_cancel, click_save, column_values, type_into, type_text


def test_detail_shows_every_section_of_the_course_sheet(window: MainWindow) -> None:
    tab = window.show_tab("courses")
    tab.view.selectRow(0)
    text = tab.detail_browser.toPlainText()
    for expected in (
        "La pratique de l'Aller Vers les publics",
        "Module 1 « Aller vers : une nécessaire préparation »",
        "Grand Est",
        "Fonds mutualisé de Branche",
        "Social et Médico-social",
        "Les travailleurs sociaux",
        "2 jours — 14 h",
        "PRAXIS",
        "Aurore JOANNES",
        "aurore.joannes@opco-sante.fr",
        "DGCS",
        "Groupe 1 — STRASBOURG : 25/09/2023, 26/09/2023",
        "Groupe 2 — METZ : 16/10/2023, 17/10/2023",
        "Chantal CORNIER",
        "Jean-Xavier COUROT",
        "Lara GELDREICH",
        "Penser à « ALLER VERS »",
        "Repenser les organisations",
        "Occuper une fonction d'intervenant social",
        "Jour 1 : « ALLER VERS », fondements et enjeux professionnels",
        "Jour 2 : « ALLER VERS », un élément incontournable",
        "soutenir le pouvoir d'agir",
    ):
        assert expected in text, expected


def test_create_course_with_objectives_and_programme(qtbot, window: MainWindow, prompts) -> None:
    def fill(form: CourseForm) -> None:
        type_into(qtbot, form.title_edit, "Accueillir les publics précaires")
        type_into(qtbot, form.module_edit, "Module 2")
        form.days_spin.setValue(3)
        assert form.hours_spin.value() == 21  # follows the days until edited
        type_into(qtbot, form.objectives_edit, "Comprendre\nAgir\n\nÉvaluer")
        first = form.day_editors[0]
        type_into(qtbot, first.title_edit, "Les bases")
        type_into(qtbot, first.items_edit, "Point A\nPoint B")
        qtbot.mouseClick(
            form.findChild(QPushButton, "add_programme_day"), Qt.MouseButton.LeftButton
        )
        second = form.day_editors[1]
        type_into(qtbot, second.title_edit, "La pratique")
        type_into(qtbot, second.items_edit, "Point C")
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    tab = window.show_tab("courses")
    tab.add_button.click()
    assert sorted(column_values(tab.model, 0)) == [
        "Accueillir les publics précaires",
        "La pratique de l'Aller Vers les publics",
    ]
    with window.database.session() as session:
        course_id = session.scalar(select(Course.id).where(Course.module == "Module 2"))
        course = get_course(session, course_id or 0)
        assert course.duration_hours == 21
        assert [o.text for o in course.objectives] == ["Comprendre", "Agir", "Évaluer"]
        assert [(d.title, [i.text for i in d.items]) for d in course.programme_days] == [
            ("Les bases", ["Point A", "Point B"]),
            ("La pratique", ["Point C"]),
        ]


def test_blank_title_and_bad_email_are_refused(qtbot, window: MainWindow, prompts) -> None:
    errors: list[str] = []

    def fill(form: CourseForm) -> None:
        type_into(qtbot, form.contact_email_edit, "aurore@")
        click_save(qtbot, form)
        errors.append(form.error_label.text())
        click_cancel(qtbot, form)

    prompts.dialog_handlers.append(fill)
    window.show_tab("courses").add_button.click()
    assert "« Intitulé » est obligatoire." in errors[0]
    assert "L'adresse e-mail « aurore@ » n'est pas valide." in errors[0]
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Course)) == 1


def test_edit_keeps_fields_and_search_finds_new_title(qtbot, window: MainWindow, prompts) -> None:
    tab = window.show_tab("courses")
    tab.view.selectRow(0)

    def fill(form: CourseForm) -> None:
        assert form.provider_combo.currentText() == "PRAXIS"
        assert len(form.day_editors) == 2
        type_into(qtbot, form.title_edit, "Pratique de l'Aller Vers — édition 2024")
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    tab.edit_button.click()
    type_text(qtbot, tab.search_field, "edition")
    assert column_values(tab.model, 0) == ["Pratique de l'Aller Vers — édition 2024"]
    with window.database.session() as session:
        course = get_course(session, tab.model.id_at(0) or 0)
        assert len(course.objectives) == 7 and course.opco_contact_name == "Aurore JOANNES"


def test_course_with_groups_cannot_be_deleted(window: MainWindow, prompts) -> None:
    tab = window.show_tab("courses")
    tab.view.selectRow(0)
    tab.delete_button.click()
    assert prompts.messages("error") == [
        "La formation « La pratique de l'Aller Vers les publics » : Cette formation a 2 groupes :"
        " supprimez d'abord ses groupes pour pouvoir la supprimer."
    ]
    assert tab.model.rowCount() == 1
