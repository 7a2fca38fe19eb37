"""The waiting list in the Groupes tab: its order, a freed seat proposed, never given silently."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.groups import DayData, GroupData, create_group
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tabs.groups_tab import GroupDetail
from tests.ui.conftest import ScriptedPrompts, _make_window

NAMES = ("AUBRY", "BARDOT", "CAMUS", "DORE")


@pytest.fixture
def full_group(
    qtbot: Any, database: Database, prompts: ScriptedPrompts, settings: QSettings
) -> MainWindow:
    """A 2-seat group: AUBRY and BARDOT have the seats, CAMUS then DORE wait."""
    with database.transaction() as session:
        course = create_course(session, CourseData(title="Aller vers"))
        group = create_group(
            session,
            GroupData(
                course_id=course.id,
                label="Groupe 1",
                city="Strasbourg",
                capacity=2,
                days=[DayData(dt.date(2027, 3, 12))],
            ),
        )
        for name in NAMES:
            person = create_participant(session, ParticipantData(last_name=name, first_name="Zoé"))
            enroll(session, group.id, person.id)
    window = _make_window(qtbot, database, prompts, settings)
    window.show_tab("groups").view.selectRow(0)
    return window


def statuses(detail: GroupDetail) -> dict[str, str]:
    model = detail.enrollments
    return {model.index(row, 0).data(): model.index(row, 4).data() for row in range(4)}


def select(detail: GroupDetail, name: str) -> None:
    model = detail.enrollments
    [row] = [r for r in range(model.rowCount()) if model.index(r, 0).data() == name]
    detail.enrollments_view.selectRow(row)


def test_the_queue_is_shown_in_order_and_can_be_reordered(full_group: MainWindow) -> None:
    detail = full_group.groups_tab.group_detail
    assert statuses(detail) == {
        "AUBRY": "Inscrit",
        "BARDOT": "Inscrit",
        "CAMUS": "Liste d'attente (1)",
        "DORE": "Liste d'attente (2)",
    }
    assert detail.fill_label.text() == "Inscrits : 2 / 2 · 2 en liste d'attente"
    select(detail, "DORE")
    detail.move_up_action.trigger()
    assert statuses(detail)["DORE"] == "Liste d'attente (1)"
    assert statuses(detail)["CAMUS"] == "Liste d'attente (2)"
    assert detail.selected_enrollment_ids() == detail.selected_waiting()  # still selected
    detail.move_up_action.trigger()  # already first: nothing moves
    assert statuses(detail)["DORE"] == "Liste d'attente (1)"
    # The people waiting have no row on the attendance grid.
    assert detail.attendance.model.rowCount() == 2


def test_a_freed_seat_is_offered_to_the_next_person(
    full_group: MainWindow, prompts: ScriptedPrompts
) -> None:
    detail = full_group.groups_tab.group_detail
    select(detail, "AUBRY")
    prompts.confirm_answers = [True]
    prompts.choice_answers = ["Donner la place à CAMUS Zoé"]
    detail.unenroll_button.click()
    [(_kind, title, text)] = [shown for shown in prompts.shown if shown[0] == "choose"]
    assert title == "Liste d'attente"
    assert text == "Une place est libre. La prochaine personne en liste d'attente :\n1. CAMUS Zoé"
    assert statuses_of(detail) == {
        "BARDOT": "Inscrit",
        "CAMUS": "Inscrit",
        "DORE": "Liste d'attente (1)",
    }
    assert detail.fill_label.text() == "Inscrits : 2 / 2 · 1 en liste d'attente"


def test_later_gives_nothing_and_the_seat_can_be_given_by_hand(
    full_group: MainWindow, prompts: ScriptedPrompts
) -> None:
    detail = full_group.groups_tab.group_detail
    select(detail, "BARDOT")
    prompts.choice_answers = ["Plus tard"]
    detail.status_actions["cancelled"].trigger()
    assert statuses(detail)["CAMUS"] == "Liste d'attente (1)"  # nothing given behind her back
    with full_group.database.session() as session:
        assert session.query(Enrollment).filter_by(status="registered").count() == 1
    select(detail, "DORE")  # DORE, not the first in line, on the coordinator's choice
    detail.promote_action.trigger()
    assert statuses(detail)["DORE"] == "Inscrit"
    assert statuses(detail)["CAMUS"] == "Liste d'attente (1)"
    # No seat left: giving one is refused, with the reason.
    select(detail, "CAMUS")
    detail.promote_action.trigger()
    [message] = prompts.messages("error")
    assert message.startswith("Le groupe est complet (2 / 2) : CAMUS Zoé reste sur la liste")


def statuses_of(detail: GroupDetail) -> dict[str, str]:
    model = detail.enrollments
    return {
        model.index(row, 0).data(): model.index(row, 4).data() for row in range(model.rowCount())
    }
