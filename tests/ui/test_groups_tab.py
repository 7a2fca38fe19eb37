"""Groupes tab driven through the window: schedule, trainers, enrollments, capacity, deletion."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from allervers_desktop.db.models import Enrollment, Group
from allervers_desktop.services.groups import get_group
from allervers_desktop.ui.forms.group_form import GroupForm
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tabs.enroll_dialog import EnrollDialog
from tests.ui.helpers import click_cancel, click_save, column_values, type_into, type_text


def test_create_group_with_days_times_and_trainers(qtbot, window: MainWindow, prompts) -> None:
    def fill(form: GroupForm) -> None:
        type_into(qtbot, form.label_edit, "Groupe 3")
        type_into(qtbot, form.city_edit, "Nancy")
        form.capacity_spin.setValue(2)
        qtbot.mouseClick(form.add_day_button, Qt.MouseButton.LeftButton)
        first = form.day_rows[0]
        type_into(qtbot, first.date_edit.edit, "8/3/2024")  # a Friday
        type_into(qtbot, first.pm_end, "16h30")
        qtbot.mouseClick(form.add_day_button, Qt.MouseButton.LeftButton)
        assert form.day_rows[1].data().date == dt.date(2024, 3, 11)  # skips the week-end
        form.day_rows[1].pm_check.setChecked(False)
        assert (
            form.total_label.text() == "2 journées — 10 h au total (la formation en prévoit 14 h)"
        )
        form.trainer_model.item(2).setCheckState(Qt.CheckState.Checked)
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    window.show_tab("groups")
    tab = window.groups_tab
    tab.add_button.click()
    assert column_values(tab.model, 1)[-1] == "Groupe 3"
    assert column_values(tab.model, 3)[-1] == "08/03/2024 → 11/03/2024 (2 j)"
    assert column_values(tab.model, 5)[-1] == "0 / 2"
    with window.database.session() as session:
        group = get_group(session, tab.current_id() or 0)
        assert group.hours_planned == 10
        assert [t.last_name for t in group.trainers] == ["GELDREICH"]
    summary = tab.group_detail.summary.toPlainText()
    assert "vendredi 8 mars 2024 : matin 09:00–12:30, après-midi 13:30–16:30 (6 h 30)" in summary
    assert "lundi 11 mars 2024 : matin 09:00–12:30 (3 h 30)" in summary


def test_schedule_errors_are_shown_in_french(qtbot, window: MainWindow, prompts) -> None:
    messages: list[str] = []

    def fill(form: GroupForm) -> None:
        type_into(qtbot, form.label_edit, "Groupe 1")  # already used by this course
        qtbot.mouseClick(form.add_day_button, Qt.MouseButton.LeftButton)
        row = form.day_rows[0]
        row.date_edit.set_date(dt.date(2024, 3, 8))
        row.am_end.set_time(dt.time(8, 0))
        click_save(qtbot, form)
        messages.append(form.error_label.text())
        click_cancel(qtbot, form)

    prompts.dialog_handlers.append(fill)
    window.show_tab("groups").add_button.click()
    assert "Cette formation a déjà un « Groupe 1 »." in messages[0]
    assert "Le 08/03/2024 (matin) : l'heure de fin doit suivre l'heure de début." in messages[0]
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Group)) == 2


def test_enroll_until_full_then_waiting_list(qtbot, window: MainWindow, prompts) -> None:
    window.show_tab("groups")
    tab = window.groups_tab
    tab.view.selectRow(1)  # Groupe 2, Metz: 11 / 15
    detail = tab.group_detail
    assert detail.fill_label.text() == "Inscrits : 11 / 15"

    def pick(dialog: EnrollDialog) -> None:
        type_text(qtbot, dialog.search, "relais")  # the 4 Strasbourg people of Le Relais
        assert dialog.model.rowCount() == 4
        dialog.view.selectAll()
        dialog.accept()

    prompts.dialog_handlers.append(pick)
    qtbot.mouseClick(detail.enroll_button, Qt.MouseButton.LeftButton)
    assert detail.fill_label.text() == "Inscrits : 15 / 15"
    # All four are in Groupe 1 of the same course: enrolled, with a word for each.
    [already] = prompts.messages("inform")
    assert already.count("est déjà inscrit(e) à cette formation dans le groupe « Groupe 1 »") == 4
    prompts.shown.clear()
    assert column_values(tab.model, 5)[1] == "15 / 15"

    def pick_one_more(dialog: EnrollDialog) -> None:
        type_text(qtbot, dialog.search, "weber")
        dialog.view.selectRow(0)
        dialog.accept()

    prompts.dialog_handlers.append(pick_one_more)
    qtbot.mouseClick(detail.enroll_button, Qt.MouseButton.LeftButton)
    assert prompts.messages("inform") == [
        "WEBER Céline : groupe complet, placé(e) en liste d'attente.\n"
        "WEBER Céline est déjà inscrit(e) à cette formation dans le groupe « Groupe 1 » "
        "(du 25/09/2023 au 26/09/2023)."
    ]
    assert detail.fill_label.text() == "Inscrits : 15 / 15 · 1 en liste d'attente"
    statuses = dict(
        zip(column_values(detail.enrollments, 0), column_values(detail.enrollments, 4), strict=True)
    )
    assert statuses["WEBER"] == "Liste d'attente (1)"

    # Confirming someone from the waiting list into a full group is refused.
    detail.enrollments_view.selectRow(column_values(detail.enrollments, 0).index("WEBER"))
    detail.status_actions["confirmed"].trigger()
    assert "Le groupe est complet (15 / 15)" in prompts.messages("error")[0]

    # Cancelling one place frees it, and offers it to WEBER (« Plus tard »: she waits).
    detail.enrollments_view.selectRow(column_values(detail.enrollments, 0).index("BECKER"))
    prompts.choice_answers = ["Plus tard"]
    detail.status_actions["cancelled"].trigger()
    assert prompts.shown[-1][1:] == (
        "Liste d'attente",
        "Une place est libre. La prochaine personne en liste d'attente :\n"
        "1. WEBER Céline — Foyer Saint-Éloi (Colmar)",
    )
    assert detail.fill_label.text() == "Inscrits : 14 / 15 · 1 en liste d'attente"


def test_people_already_enrolled_are_not_offered(qtbot, window: MainWindow, prompts) -> None:
    window.show_tab("groups")
    tab = window.groups_tab
    tab.view.selectRow(0)
    offered: list[list[str]] = []

    def pick(dialog: EnrollDialog) -> None:
        type_text(qtbot, dialog.search, "hélène")
        offered.append(column_values(dialog.model, 0))
        dialog.accept()  # no match selected and none alone: nothing happens
        assert dialog.isVisible()
        click_cancel_dialog(dialog)

    prompts.dialog_handlers.append(pick)
    tab.group_detail.enroll_button.click()
    assert "MULLER" not in offered[0]  # already in Groupe 1
    assert prompts.messages("inform") == []
    assert tab.group_detail.enrollments.rowCount() == 10


def click_cancel_dialog(dialog: EnrollDialog) -> None:
    dialog.reject()


def test_unenroll_and_delete_group_spell_out_consequences(
    qtbot, window: MainWindow, prompts
) -> None:
    window.show_tab("groups")
    tab = window.groups_tab
    tab.view.selectRow(0)
    detail = tab.group_detail
    detail.enrollments_view.selectRow(0)
    prompts.confirm_answers = [True]
    detail.unenroll_button.click()
    assert detail.enrollments.rowCount() == 9
    assert prompts.messages("confirm")[0].startswith("Supprimer l'inscription de BAUER Zoé")

    prompts.confirm_answers = [False, True]
    tab.delete_button.click()
    question = prompts.messages("confirm")[1]
    assert "Supprimer le groupe « Groupe 1 » (Strasbourg) ?" in question
    assert "Ce groupe a 9 inscrits : ils seront supprimés avec le groupe." in question
    assert "Son planning (2 journées) sera supprimé." in question
    assert tab.model.rowCount() == 2
    tab.delete_button.click()
    assert column_values(tab.model, 1) == ["Groupe 2"]
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 11
    window.show_tab("participants")
    assert window.tab("participants").model.rowCount() == 21


def test_delete_key_in_enrollment_list_unenrolls_not_the_group(
    qtbot, window: MainWindow, prompts
) -> None:
    window.show_tab("groups")
    tab = window.groups_tab
    tab.view.selectRow(0)
    detail = tab.group_detail
    detail.enrollments_view.setFocus()
    detail.enrollments_view.selectRow(0)
    prompts.confirm_answers = [True]
    qtbot.keyClick(detail.enrollments_view, Qt.Key.Key_Delete)
    assert prompts.messages("confirm")[0].startswith("Supprimer l'inscription de BAUER Zoé")
    assert tab.model.rowCount() == 2
    assert detail.enrollments.rowCount() == 9


def test_moving_a_day_with_attendance_asks_then_takes_it_along(
    qtbot, window: MainWindow, prompts
) -> None:
    from allervers_desktop.services import attendance

    with window.database.transaction() as session:
        attendance.mark_all(session, 1, "present")  # every half-day of Groupe 1
    tab = window.show_tab("groups")
    tab.view.selectRow(0)
    totals: list[str] = []

    def fill(form: GroupForm) -> None:
        type_into(qtbot, form.day_rows[0].date_edit.edit, "27/09/2023")
        prompts.confirm_answers = [False, True]
        click_save(qtbot, form)
        assert form.isVisible()  # « non »: still open, nothing written
        with window.database.session() as session:
            assert get_group(session, 1).dates[0] == dt.date(2023, 9, 25)
        totals.append(form.total_label.text())
        form.add_next_day().am_check.setChecked(False)  # a third afternoon: 17 h 30
        totals.append(form.total_label.text())
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    tab.edit_button.click()
    question = prompts.messages("confirm")[0]
    assert question == (
        "Déplacer ces journées avec leurs présences ?\n"
        "Le 25/09/2023 a 20 présences enregistrées : elles suivront la journée au 27/09/2023."
    )
    assert totals == [
        "2 journées — 14 h au total",
        "3 journées — 17 h 30 au total (la formation en prévoit 14 h)",
    ]
    with window.database.session() as session:
        group = get_group(session, 1)
        assert group.dates == [dt.date(2023, 9, 26), dt.date(2023, 9, 27), dt.date(2023, 9, 28)]
        moved = next(day for day in group.days if day.date == dt.date(2023, 9, 27))
        assert all(
            attendance.attendance_grid(session, 1).row(row.enrollment_id).cell(half.id).counts
            for row in attendance.attendance_grid(session, 1).rows
            for half in moved.half_days
        )
    summary = window.groups_tab.group_detail.summary.toPlainText()
    assert "mercredi 27 septembre 2023" in summary
    assert "Le planning prévoit 17 h 30, la formation 14 h." in summary
