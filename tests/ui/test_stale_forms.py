"""Two coordinators edit the same record: the later save is refused, never an overwrite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.location import parse_location
from allervers_desktop.db.models import Group, Participant
from allervers_desktop.db.server import open_location
from allervers_desktop.services.groups import GroupData, update_group
from allervers_desktop.services.participants import ParticipantData, update_participant
from allervers_desktop.ui.forms.group_form import GroupForm
from allervers_desktop.ui.forms.participant_form import ParticipantForm
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts
from tests.ui.helpers import click_cancel, click_save, type_into, type_text


@pytest.fixture
def other_workstation(window: MainWindow) -> Iterator[Database]:
    """The same data opened by a colleague's program (its own engine and connections)."""
    other = open_location(parse_location(window.database.target))
    yield other
    other.close()


def muller(database: Database) -> Participant:
    with database.session() as session:
        return session.scalars(select(Participant).where(Participant.last_name == "MULLER")).one()


def colleague_changes_email(other: Database) -> None:
    with other.transaction() as session:
        person = session.scalars(select(Participant).where(Participant.last_name == "MULLER")).one()
        data = ParticipantData.from_participant(person)
        data.email = "helene.muller@collegue.fr"
        data.job_title = "Cheffe de service"
        update_participant(session, person.id, data)


def open_muller(qtbot: Any, window: MainWindow) -> None:
    tab = window.show_tab("participants")
    type_text(qtbot, tab.search_field, "muller")
    tab.view.selectRow(0)
    window.edit_action.trigger()


def test_reload_keeps_my_edits_and_the_colleagues(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts, other_workstation: Database
) -> None:
    before = muller(window.database)
    fresh_forms: list[ParticipantForm] = []

    def edit(form: QDialog) -> None:
        assert isinstance(form, ParticipantForm)
        type_into(qtbot, form.phone, "06 12 34 56 78")
        colleague_changes_email(other_workstation)  # while the form is open
        click_save(qtbot, form)
        assert form.isHidden()  # replaced by the reloaded form, handled below

    def reloaded(form: QDialog) -> None:
        assert isinstance(form, ParticipantForm)
        fresh_forms.append(form)
        assert form.email.text() == "helene.muller@collegue.fr"  # the colleague's
        assert form.job_title.text() == "Cheffe de service"
        assert form.phone.text() == "06 12 34 56 78"  # mine, re-applied
        notice = form.notice_label.text()
        assert notice.startswith("Version enregistrée sur l'autre poste (changé : « E-mail »")
        assert "vos modifications reportées : « Téléphone »." in notice
        assert form.is_changed()  # Escape would ask before dropping my edits
        click_save(qtbot, form)

    prompts.dialog_handlers = [edit, reloaded]
    prompts.choice_answers = ["Recharger"]
    open_muller(qtbot, window)

    [(kind, title, text)] = prompts.shown
    assert (kind, title) == ("choose", "Modifié entre-temps sur un autre poste")
    assert "vos modifications n'ont pas été enregistrées" in text
    assert "Changé sur l'autre poste : « E-mail », « Fonction »." in text
    assert "y reporte vos modifications (« Téléphone »)" in text
    after = muller(window.database)
    assert (after.phone, after.email, after.job_title) == (
        "+33612345678",
        "helene.muller@collegue.fr",
        "Cheffe de service",
    )
    assert after.version >= before.version + 2  # each save is a new version (or more)
    assert len(fresh_forms) == 1


def test_going_back_writes_nothing(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts, other_workstation: Database
) -> None:
    def edit(form: QDialog) -> None:
        assert isinstance(form, ParticipantForm)
        type_into(qtbot, form.phone, "06 12 34 56 78")
        colleague_changes_email(other_workstation)
        click_save(qtbot, form)
        assert form.isVisible()
        assert form.error_label.text().startswith("Modifié entre-temps sur un autre poste")
        click_save(qtbot, form)  # again: still refused, nothing overwritten
        assert form.isVisible()
        click_cancel(qtbot, form)

    prompts.dialog_handlers = [edit]
    prompts.choice_answers = ["Revenir au formulaire", "Revenir au formulaire"]
    open_muller(qtbot, window)
    after = muller(window.database)
    assert after.phone != "+33612345678"
    assert after.email == "helene.muller@collegue.fr"


def test_a_group_whose_days_changed_elsewhere(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts, other_workstation: Database
) -> None:
    """A field of another shape (one day fewer) cannot be copied: it is named, to redo."""
    with window.database.session() as session:
        group_id = session.scalars(select(Group.id).order_by(Group.id)).first()
    assert group_id is not None

    def colleague_drops_a_day() -> None:
        with other_workstation.transaction() as session:
            group = session.get(Group, group_id)
            assert group is not None
            data = GroupData.from_group(group)
            data.days = data.days[:-1]
            data.notes = "Journée 3 reportée"
            update_group(session, group_id, data)

    def edit(form: QDialog) -> None:
        assert isinstance(form, GroupForm)
        type_into(qtbot, form.city_edit, "Colmar")
        colleague_drops_a_day()
        click_save(qtbot, form)

    def reloaded(form: QDialog) -> None:
        assert isinstance(form, GroupForm)
        assert form.city_edit.text() == "Colmar"
        assert form.notes_edit.toPlainText() == "Journée 3 reportée"
        assert "« Ville »" in form.notice_label.text()
        click_save(qtbot, form)

    prompts.dialog_handlers = [edit, reloaded]
    prompts.choice_answers = ["Recharger"]
    tab = window.show_tab("groups")
    tab.view.selectRow(0)
    assert tab.current_id() == group_id
    window.edit_action.trigger()
    text = prompts.messages("choose")[0]
    assert "« Notes »" in text
    with window.database.session() as session:
        group = session.get(Group, group_id)
        assert group is not None
        assert (group.city, group.notes) == ("Colmar", "Journée 3 reportée")
