"""Forms for people who type: first field focused, Tab, Ctrl+Entrée, Escape asks, typed dates."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPlainTextEdit, QWidget
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, EnrollmentStatus, Group, Trainer
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.group_form import GroupForm
from allervers_desktop.ui.forms.keyboard import DISCARD_TITLE
from allervers_desktop.ui.forms.trainer_form import TrainerForm
from allervers_desktop.ui.issue_date_dialog import IssueDateDialog
from allervers_desktop.ui.tabs.enroll_dialog import EnrollDialog
from tests.ui.helpers import type_text

DialogT = TypeVar("DialogT", bound=QDialog)


def opened(qtbot: Any, form: DialogT) -> DialogT:
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    # The form's own field, not one of a window an earlier test left behind.
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is not None
        and QApplication.focusWidget().window() is form  # type: ignore[union-attr]
    )
    return form


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def test_type_tab_and_save_with_ctrl_enter_without_clicking(qtbot, database: Database) -> None:
    form = opened(qtbot, TrainerForm(database, None))
    assert focused() is form.civility  # the first field
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is form.last_name
    type_text(qtbot, focused(), "Dupont")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is form.first_name
    type_text(qtbot, focused(), "Anne Marie")  # the space types a space, it does not save
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # Enter in a field does not save either
    assert isinstance(form.first_name, QLineEdit)
    assert form.isVisible() and form.first_name.text() == "Anne Marie"
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is form.last_name
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.result() == QDialog.DialogCode.Accepted and not form.isVisible()
    with database.session() as session:
        trainer = session.get(Trainer, form.saved_id)
        assert trainer is not None and trainer.first_name == "Anne Marie"


def test_ctrl_enter_on_the_keypad_saves_too(qtbot, database: Database) -> None:
    form = opened(qtbot, TrainerForm(database, None))
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "Martin")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "Léa")
    qtbot.keyClick(focused(), Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert form.result() == QDialog.DialogCode.Accepted


def test_no_button_of_a_form_is_pressed_by_enter_or_space_from_a_field(
    qtbot, demo_database: Database
) -> None:
    form = opened(qtbot, GroupForm(demo_database, 1))
    for button in form.findChildren(QWidget):
        assert not getattr(button, "isDefault", lambda: False)()
        assert not getattr(button, "autoDefault", lambda: False)()
    assert isinstance(form, FormDialog)


def test_escape_on_an_unchanged_form_closes_at_once(qtbot, database: Database, prompts) -> None:
    form = opened(qtbot, TrainerForm(database, None))
    form.discard_prompts = prompts
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not form.isVisible() and prompts.shown == []


def test_escape_on_a_changed_form_asks_before_discarding(
    qtbot, database: Database, prompts
) -> None:
    form = opened(qtbot, TrainerForm(database, None))
    form.discard_prompts = prompts
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text(qtbot, focused(), "Dupont")
    prompts.choice_answers = ["Continuer la saisie", "Abandonner"]
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert form.isVisible() and form.last_name.text() == "Dupont"
    assert prompts.shown[0][1] == DISCARD_TITLE
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not form.isVisible() and form.result() == QDialog.DialogCode.Rejected
    assert len(prompts.shown) == 2
    with database.session() as session:
        assert session.scalars(select(Trainer)).all() == []


def test_tab_leaves_a_multi_line_field(qtbot, demo_database: Database) -> None:
    form = opened(qtbot, GroupForm(demo_database, 1))
    assert isinstance(form, GroupForm)
    assert focused() is form.course_combo
    assert isinstance(form.address_edit, QPlainTextEdit)
    form.address_edit.setFocus()
    before = form.address_edit.toPlainText()
    qtbot.keyClick(form.address_edit, Qt.Key.Key_Tab)
    assert focused() is form.status_combo
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is form.address_edit
    assert form.address_edit.toPlainText() == before


def test_a_field_in_error_is_cleared_alone_when_edited(qtbot, database: Database) -> None:
    form = opened(qtbot, TrainerForm(database, None))
    assert isinstance(form, TrainerForm)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible() and form.error_label.isVisible()
    assert form.last_name.styleSheet() and form.first_name.styleSheet()
    type_text(qtbot, form.last_name, "D")
    assert form.last_name.styleSheet() == ""
    assert form.first_name.styleSheet() != ""


def typed(qtbot, edit: QWidget, text: str) -> None:
    edit.setFocus()
    edit.clear()  # type: ignore[attr-defined]
    type_text(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # leaving the field shows it normalised


def test_dates_and_times_typed_in_full(qtbot, demo_database: Database) -> None:
    form = opened(qtbot, GroupForm(demo_database, 1))
    assert isinstance(form, GroupForm)
    row = form.day_rows[0]
    for text, shown in [
        ("12032027", "12/03/2027"),
        ("12/03/2027", "12/03/2027"),
        ("10/04/2027", "10/04/2027"),
        ("12.03.2027", "12/03/2027"),
        ("12-03-27", "12/03/2027"),
        ("1/3/2027", "01/03/2027"),
    ]:
        typed(qtbot, row.date_edit.edit, text)
        assert row.date_edit.text() == shown, text
    assert row.weekday_label.text() == "lun."
    for text, shown in [("8h30", "08:30"), ("0830", "08:30"), ("8h", "08:00"), ("8", "08:00")]:
        typed(qtbot, row.am_start, text)
        assert row.am_start.text() == shown, text
    typed(qtbot, row.am_start, "0830")
    assert row.data().am == (dt.time(8, 30), dt.time(12, 30))
    assert row.hours_label.text() == "7 h 30"


def test_what_is_not_a_date_is_refused_with_a_message(qtbot, demo_database: Database) -> None:
    form = opened(qtbot, GroupForm(demo_database, 1))
    assert isinstance(form, GroupForm)
    row = form.day_rows[0]
    typed(qtbot, row.date_edit.edit, "31/02/2027")
    assert row.date_edit.text() == "31/02/2027"  # kept as typed, never silently changed
    assert form.error_label.isVisible()
    assert "ce mois n'a pas de jour 31" in form.error_label.text()
    typed(qtbot, row.pm_end, "25h")
    assert "pas de 25 h" in form.error_label.text()
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible()  # not saved
    with demo_database.session() as session:
        group = session.get(Group, 1)
        assert group is not None and dt.date(2027, 2, 28) not in [d.date for d in group.days]
    typed(qtbot, row.pm_end, "17h")
    typed(qtbot, row.date_edit.edit, "28022027")
    assert not form.error_label.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert form.result() == QDialog.DialogCode.Accepted
    with demo_database.session() as session:
        group = session.get(Group, 1)
        assert group is not None and dt.date(2027, 2, 28) in [d.date for d in group.days]


def test_issue_date_typed_in_full_and_bounded(qtbot) -> None:
    dialog = opened(qtbot, IssueDateDialog("attestations", dt.date(2024, 6, 3)))
    assert isinstance(dialog, IssueDateDialog)
    qtbot.keyClick(dialog.backdate, Qt.Key.Key_Space)
    typed(qtbot, dialog.date_edit.edit, "12/06/2024")
    assert "ne peut pas être après le 03/06/2024" in dialog.problem_label.text()
    dialog.accept()
    assert dialog.isVisible()
    typed(qtbot, dialog.date_edit.edit, "27092023")
    assert dialog.date_edit.text() == "27/09/2023" and dialog.problem_label.isHidden()
    dialog.accept()
    assert dialog.issue_date() == dt.date(2023, 9, 27)


def test_enroll_dialog_hides_people_already_enrolled(qtbot, demo_database: Database) -> None:
    with demo_database.session() as session:
        enrolled = set(
            session.scalars(
                select(Enrollment.participant_id).where(
                    Enrollment.group_id == 1, Enrollment.status != EnrollmentStatus.CANCELLED
                )
            )
        )
    assert enrolled
    dialog = opened(qtbot, EnrollDialog(demo_database, group_id=1))
    assert isinstance(dialog, EnrollDialog)
    dialog.view.selectAll()
    assert enrolled.isdisjoint(dialog.selected_participant_ids())
    assert dialog.selected_participant_ids()


def test_enter_with_one_match_enrolls_it(qtbot, demo_database: Database) -> None:
    dialog = opened(qtbot, EnrollDialog(demo_database, group_id=2))
    assert isinstance(dialog, EnrollDialog)
    assert focused() is dialog.search
    type_text(qtbot, dialog.search, "weber")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(dialog.selected_participant_ids()) == 1


def test_enter_on_a_row_chosen_with_the_arrows_enrolls_it(qtbot, demo_database: Database) -> None:
    dialog = opened(qtbot, EnrollDialog(demo_database, group_id=2))
    assert isinstance(dialog, EnrollDialog)
    type_text(qtbot, dialog.search, "relais")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)  # several matches, none chosen: nothing
    assert dialog.isVisible()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert focused() is dialog.view
    qtbot.keyClick(dialog.view, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(dialog.selected_participant_ids()) == 1
