"""Intervenants tab driven through the window: trainers and the groups they teach."""

from __future__ import annotations

from sqlalchemy import func, select

from allervers_desktop.db.models import GroupTrainer, Trainer
from allervers_desktop.ui.forms.trainer_form import TrainerForm
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.helpers import click_cancel, click_save, column_values, type_into


def test_detail_lists_the_groups_taught(window: MainWindow) -> None:
    tab = window.show_tab("trainers")
    assert column_values(tab.model, 0) == ["CORNIER", "COUROT", "GELDREICH"]
    tab.view.selectRow(0)
    text = tab.detail_browser.toPlainText()
    assert "Mme Chantal CORNIER" in text and "Chargée de projets" in text
    assert "Groupes animés (2)" in text
    assert "Groupe 1 — Strasbourg (du 25/09/2023 au 26/09/2023)" in text
    assert "Groupe 2 — Metz (du 16/10/2023 au 17/10/2023)" in text


def test_add_edit_and_validate_trainer(qtbot, window: MainWindow, prompts) -> None:
    seen: list[str] = []

    def invalid(form: TrainerForm) -> None:
        type_into(qtbot, form.last_name, "Roth")
        type_into(qtbot, form.phone, "abc")
        click_save(qtbot, form)
        seen.append(form.error_label.text())
        click_cancel(qtbot, form)

    def valid(form: TrainerForm) -> None:
        type_into(qtbot, form.last_name, "Roth")
        type_into(qtbot, form.first_name, "Élise")
        type_into(qtbot, form.job_title, "Psychologue")
        click_save(qtbot, form)

    prompts.dialog_handlers += [invalid, valid]
    tab = window.show_tab("trainers")
    tab.add_button.click()
    assert "« Prénom » est obligatoire." in seen[0]
    assert "Le numéro de téléphone « abc » n'est pas valide." in seen[0]
    tab.add_button.click()
    assert column_values(tab.model, 0) == ["CORNIER", "COUROT", "GELDREICH", "ROTH"]

    def rename(form: TrainerForm) -> None:
        type_into(qtbot, form.organisation, "Cabinet Roth")
        click_save(qtbot, form)

    prompts.dialog_handlers.append(rename)
    tab.view.selectRow(3)
    tab.edit_button.click()
    assert column_values(tab.model, 3)[3] == "Cabinet Roth"


def test_delete_trainer_lists_groups_then_removes_assignments(window: MainWindow, prompts) -> None:
    tab = window.show_tab("trainers")
    tab.view.selectRow(0)
    prompts.confirm_answers = [True]
    tab.delete_button.click()
    assert (
        "Cet intervenant est affecté à 2 groupes (Groupe 1 (Strasbourg), Groupe 2 (Metz))"
        in prompts.messages("confirm")[0]
    )
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Trainer)) == 2
        assert session.scalar(select(func.count()).select_from(GroupTrainer)) == 2
