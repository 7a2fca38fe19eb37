"""Participants tab driven through the window: search, add, edit, delete."""

from __future__ import annotations

from sqlalchemy import func, select

from allervers_desktop.db.models import Employer, Enrollment, Participant
from allervers_desktop.ui.forms.participant_form import ParticipantForm
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.helpers import click_cancel, click_save, column_values, type_into, type_text


def participants_tab(window: MainWindow):
    return window.show_tab("participants")


def test_search_ignores_case_and_accents(qtbot, window: MainWindow) -> None:
    tab = participants_tab(window)
    type_text(qtbot, tab.search_field, "helene")
    assert column_values(tab.model, 0) == ["MULLER"]
    assert column_values(tab.model, 1) == ["Hélène"]
    type_into(qtbot, tab.search_field, "müller")
    assert column_values(tab.model, 0) == ["MULLER"]
    type_into(qtbot, tab.search_field, "GERARD")
    assert column_values(tab.model, 1) == ["Raphaël"]
    type_into(qtbot, tab.search_field, "tilleuls")  # employer name
    assert len(column_values(tab.model, 0)) == 5
    type_into(qtbot, tab.search_field, "zzz introuvable")
    assert tab.model.rowCount() == 0
    tab.search_field.clear()
    assert tab.model.rowCount() == 21
    qtbot.waitUntil(lambda: tab.count_label.text() == "21 participants")


def test_sorting_by_column(window: MainWindow) -> None:
    tab = participants_tab(window)
    from PySide6.QtCore import Qt

    tab.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = column_values(tab.model, 0)
    assert names[0] == "WEBER" and names == sorted(names, reverse=True)


def test_add_participant_with_new_employer(qtbot, window: MainWindow, prompts) -> None:
    def fill(form: ParticipantForm) -> None:
        form.civility.setCurrentIndex(form.civility.findData("Mme"))
        type_into(qtbot, form.last_name, "Dupont")
        type_into(qtbot, form.first_name, "Marie-Claire")
        type_into(qtbot, form.email, "  Marie.Dupont@Exemple.FR ")
        type_into(qtbot, form.job_title, "Éducatrice")
        form.new_employer.click()
        type_into(qtbot, form.employer_name, "Foyer Les Érables")
        type_into(qtbot, form.employer_city, "Nancy")
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    tab = participants_tab(window)
    tab.add_button.click()
    with window.database.session() as session:
        person = session.scalars(select(Participant).where(Participant.last_name == "Dupont")).one()
        assert person.email == "marie.dupont@exemple.fr"
        assert person.civility == "Mme"
        assert person.employer is not None and person.employer.name == "Foyer Les Érables"
    assert tab.model.rowCount() == 22
    assert tab.current_id() == person.id
    assert "Foyer Les Érables" in tab.detail_browser.toPlainText()


def test_add_participant_with_existing_employer(qtbot, window: MainWindow, prompts) -> None:
    def fill(form: ParticipantForm) -> None:
        type_into(qtbot, form.last_name, "Martin")
        form.employer.setCurrentIndex(form.employer.findText("CCAS de Metz (Metz)"))
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    participants_tab(window).add_button.click()
    with window.database.session() as session:
        person = session.scalars(select(Participant).where(Participant.last_name == "Martin")).one()
        assert person.employer is not None and person.employer.name == "CCAS de Metz"
        assert session.scalar(select(func.count()).select_from(Employer)) == 5


def test_invalid_form_shows_french_errors_and_writes_nothing(
    qtbot, window: MainWindow, prompts
) -> None:
    seen: list[str] = []

    def fill(form: ParticipantForm) -> None:
        type_into(qtbot, form.email, "pas-une-adresse")
        click_save(qtbot, form)
        seen.append(form.error_label.text())
        assert form.isVisible()
        type_into(qtbot, form.last_name, "Durand")
        type_into(qtbot, form.email, "helene.muller@exemple.fr")  # already used
        click_save(qtbot, form)
        seen.append(form.error_label.text())
        click_cancel(qtbot, form)

    prompts.dialog_handlers.append(fill)
    participants_tab(window).add_button.click()
    assert "« Nom » est obligatoire." in seen[0]
    assert "L'adresse e-mail « pas-une-adresse » n'est pas valide." in seen[0]
    assert "déjà celle de MULLER Hélène" in seen[1]
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 21


def test_edit_participant(qtbot, window: MainWindow, prompts) -> None:
    tab = participants_tab(window)
    type_text(qtbot, tab.search_field, "hélène")
    tab.view.selectRow(0)

    def fill(form: ParticipantForm) -> None:
        assert form.last_name.text() == "MULLER"
        type_into(qtbot, form.phone, "06 12 34 56 78")
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    window.edit_action.trigger()
    assert column_values(tab.model, 6) == ["06 12 34 56 78"]


def test_delete_participant_spells_out_enrollments(qtbot, window: MainWindow, prompts) -> None:
    tab = participants_tab(window)
    type_text(qtbot, tab.search_field, "muller")
    tab.view.selectRow(0)
    prompts.confirm_answers = [False]
    tab.delete_button.click()
    question = prompts.messages("confirm")[0]
    assert "Supprimer le participant MULLER Hélène ?" in question
    assert "inscrit à 1 groupe (Groupe 1 (Strasbourg))" in question
    assert tab.model.rowCount() == 1
    prompts.confirm_answers = [True]
    tab.delete_button.click()
    assert tab.model.rowCount() == 0
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 20
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 20
