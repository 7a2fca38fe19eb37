"""Transfer, substitution and merge through the window: asked, confirmed, said, kept."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from allervers_desktop.db.models import Enrollment, Participant
from allervers_desktop.services import attendance
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.ui.choice_dialog import ChoiceDialog
from allervers_desktop.ui.duplicates_dialog import DuplicatesDialog
from allervers_desktop.ui.lifecycle_actions import MergeDialog
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tabs.groups_tab import GroupDetail
from tests.ui.conftest import ScriptedPrompts
from tests.ui.test_planning_reports import _plant_second_muller


def first_of_group_1(window: MainWindow) -> GroupDetail:
    window.show_tab("groups").view.selectRow(0)
    detail = window.groups_tab.group_detail
    detail.enrollments_view.selectRow(0)  # BAUER Zoé
    return detail


def status_of(window: MainWindow, last_name: str, group_id: int) -> str | None:
    with window.database.session() as session:
        return session.scalar(
            select(Enrollment.status)
            .join(Participant)
            .where(Participant.last_name == last_name, Enrollment.group_id == group_id)
        )


def test_transfer_to_the_other_group(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    detail = first_of_group_1(window)
    offered: list[list[str]] = []

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, ChoiceDialog)
        offered.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        qtbot.keyClicks(dialog.filter_edit, "metz")
        dialog.accept()

    prompts.dialog_handlers.append(choose)
    detail.transfer_action.trigger()
    assert len(offered[0]) == 1 and "Groupe 2, Metz (du 16/10/2023 au 17/10/2023)" in offered[0][0]
    [message] = prompts.messages("inform")
    assert message.startswith("BAUER Zoé est transféré(e) au groupe « Groupe 2 ».")
    assert status_of(window, "BAUER", 1) == "transferred"
    assert status_of(window, "BAUER", 2) == "confirmed"  # as she was in Groupe 1
    statuses = [detail.enrollments.index(r, 4).data() for r in range(detail.enrollments.rowCount())]
    assert "Transféré" in statuses


def test_a_transfer_leaving_attendance_behind_asks_first(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    with window.database.transaction() as session:
        attendance.mark_all(session, 1, "present")
    detail = first_of_group_1(window)
    prompts.dialog_handlers.append(lambda dialog: dialog.accept())
    prompts.confirm_answers = [False]
    detail.transfer_action.trigger()
    assert prompts.messages("confirm") == [
        "Des présences sont saisies pour cette personne (4 demi-journée(s)).\n"
        "Elles restent dans le groupe de départ, dans son historique et ses heures. Continuer ?"
    ]
    assert status_of(window, "BAUER", 1) == "confirmed"  # « non »: nothing moved
    prompts.dialog_handlers.append(lambda dialog: dialog.accept())
    prompts.confirm_answers = [True]
    detail.transfer_action.trigger()
    assert status_of(window, "BAUER", 1) == "transferred"
    assert "restent dans le groupe « Groupe 1 »" in prompts.messages("inform")[-1]


def test_substitute_from_the_same_employer(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    with window.database.transaction() as session:
        bauer = session.scalars(select(Participant).where(Participant.last_name == "BAUER")).one()
        employer = bauer.employer
        assert employer is not None
        create_participant(
            session,
            ParticipantData(
                last_name="NOUVEL",
                first_name="Inès",
                employer_name=employer.name,
                employer_city=employer.city,
            ),
        )
    detail = first_of_group_1(window)
    offered: list[list[str]] = []

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, ChoiceDialog)
        offered.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        qtbot.keyClicks(dialog.filter_edit, "nouvel")
        dialog.accept()

    prompts.dialog_handlers.append(choose)
    detail.substitute_action.trigger()
    assert "NOUVEL Inès" in offered[0]
    assert prompts.messages("inform")[-1].startswith("NOUVEL Inès prend la place de BAUER Zoé.")
    assert status_of(window, "BAUER", 1) == "cancelled"
    assert status_of(window, "NOUVEL", 1) == "confirmed"  # BAUER's place, as it was


def test_merge_two_records_from_probable_duplicates(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    first_id, second_id = _plant_second_muller(window)
    with window.database.session() as session:
        before = session.scalar(select(func.count()).select_from(Participant)) or 0

    def merge_form(dialog: QDialog) -> None:
        assert isinstance(dialog, MergeDialog)
        assert set(dialog.ids) == {first_id, second_id}
        box = dialog.value_boxes["email"]
        assert {box.itemText(i) for i in range(box.count())} == {
            "helene.muller@exemple.fr",
            "helene.muller+opco@exemple.fr",  # stored in lower case
        }
        dialog.keep_second.setChecked(True)  # keep the second record…
        box.setCurrentIndex(box.findText("helene.muller@exemple.fr"))  # …with this address
        shown.append(dialog.ids)
        dialog.accept()

    def in_list(dialog: QDialog) -> None:
        assert isinstance(dialog, DuplicatesDialog)
        dialog.view.selectRow(0)
        prompts.dialog_handlers.append(merge_form)
        assert dialog.merge_button is not None
        dialog.merge_button.click()
        dialog.reject()

    shown: list[tuple[int, int]] = []
    prompts.dialog_handlers.append(in_list)
    window.duplicates_action.trigger()
    removed, kept = shown[0]
    assert prompts.messages("inform")[-1].startswith(
        f"Fiche n° {removed} fusionnée dans la fiche n° {kept} "
    )
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == before - 1
        assert session.get(Participant, removed) is None
        assert session.get_one(Participant, kept).email == "helene.muller@exemple.fr"
