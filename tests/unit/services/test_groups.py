"""Groups: schedule by day and half-day, computed hours, validation, fill, deletion."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Attendance,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupDay,
    GroupTrainer,
    HalfDay,
    Participant,
    Trainer,
)
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.errors import NotFoundError, ValidationError
from allervers_desktop.services.groups import (
    DEFAULT_AM,
    DEFAULT_PM,
    DayData,
    GroupData,
    course_choices,
    create_group,
    delete_group,
    describe_group_deletion,
    enrolled_count,
    fill_label,
    get_group,
    update_group,
)
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.services.trainers import TrainerData, create_trainer

MONDAY = dt.date(2023, 9, 25)
TUESDAY = dt.date(2023, 9, 26)


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


@pytest.fixture
def course_id(database: Database) -> int:
    with database.transaction() as session:
        return create_course(session, CourseData(title="Aller vers", module="Module 1")).id


def two_days(course_id: int, **changes: object) -> GroupData:
    data = GroupData(
        course_id=course_id,
        label="Groupe 1",
        city="Strasbourg",
        capacity=15,
        days=[DayData(TUESDAY), DayData(MONDAY)],
    )
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def new_group(database: Database, data: GroupData) -> int:
    with database.transaction() as session:
        return create_group(session, data).id


def add_participants(session: Session, group_id: int, count: int) -> list[int]:
    ids = []
    for n in range(count):
        participant = create_participant(
            session, ParticipantData(last_name=f"NOM{n}", email=f"p{n}@exemple.fr")
        )
        enroll(session, group_id, participant.id)
        ids.append(participant.id)
    return ids


def test_default_half_days_make_seven_hours_a_day(database: Database, course_id: int) -> None:
    assert ((t(9), t(12, 30)), (t(13, 30), t(17))) == (DEFAULT_AM, DEFAULT_PM)
    group_id = new_group(database, two_days(course_id))
    with database.session() as session:
        group = get_group(session, group_id)
        assert group.dates == [MONDAY, TUESDAY]
        for day in group.days:
            assert [(h.period, h.start_time, h.end_time) for h in day.half_days] == [
                ("am", t(9), t(12, 30)),
                ("pm", t(13, 30), t(17)),
            ]
            assert sum(h.hours for h in day.half_days) == 7
        assert [h.hours for h in group.half_days] == [3.5, 3.5, 3.5, 3.5]
        assert group.hours_planned == 14
        assert group.first_date == MONDAY


def test_hours_follow_the_times_typed(database: Database, course_id: int) -> None:
    days = [
        DayData(MONDAY, am=(t(8, 45), t(12)), pm=(t(13), t(16, 15))),
        DayData(TUESDAY, am=(t(9), t(12, 30)), pm=None),
    ]
    group_id = new_group(database, two_days(course_id, days=days))
    with database.session() as session:
        group = get_group(session, group_id)
        assert [h.hours for h in group.half_days] == [3.25, 3.25, 3.5]
        assert group.hours_planned == 10
        assert [h.period for h in group.days[1].half_days] == ["am"]


def test_group_fields_and_trainers_in_order(database: Database, course_id: int) -> None:
    with database.transaction() as session:
        second = create_trainer(session, TrainerData("Jean-Xavier", "COUROT")).id
        first = create_trainer(session, TrainerData("Chantal", "CORNIER")).id
    data = two_days(
        course_id,
        label="  Groupe   1 ",
        venue_address=" 12 rue du Faubourg National ",
        status="confirmed",
        notes="Salle 2",
        trainer_ids=[second, first, second],
    )
    group_id = new_group(database, data)
    with database.session() as session:
        group = get_group(session, group_id)
        assert group.label == "Groupe 1"
        assert group.venue_address == "12 rue du Faubourg National"
        assert group.status == "confirmed"
        assert group.capacity == 15
        assert [tr.last_name for tr in group.trainers] == ["COUROT", "CORNIER"]
        assert GroupData.from_group(group).trainer_ids == [second, first]


def test_from_group_round_trips(database: Database, course_id: int) -> None:
    data = two_days(course_id, days=[DayData(MONDAY, pm=None), DayData(TUESDAY)])
    group_id = new_group(database, data)
    with database.session() as session:
        again = GroupData.from_group(get_group(session, group_id))
    assert again.days == [DayData(MONDAY, pm=None), DayData(TUESDAY)]
    assert again.label == "Groupe 1"
    assert again.capacity == 15


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (
            [DayData(MONDAY, am=(t(12), t(9)))],
            "Le 25/09/2023 (matin) : l'heure de fin doit suivre l'heure de début.",
        ),
        (
            [DayData(MONDAY, pm=(t(17), t(17)))],
            "Le 25/09/2023 (après-midi) : l'heure de fin doit suivre l'heure de début.",
        ),
        ([DayData(MONDAY), DayData(MONDAY)], "La date du 25/09/2023 figure deux fois."),
        (
            [DayData(MONDAY, am=(t(9), t(13)), pm=(t(12), t(17)))],
            "Le 25/09/2023 : l'après-midi commence avant la fin du matin.",
        ),
        ([DayData(MONDAY, am=None, pm=None)], "Le 25/09/2023 n'a ni matin ni après-midi."),
    ],
)
def test_schedule_validation(
    database: Database, course_id: int, days: list[DayData], message: str
) -> None:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_group(session, two_days(course_id, days=days))
    assert caught.value.for_field("days") == [message]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Group)) == 0
        assert session.scalar(select(func.count()).select_from(GroupDay)) == 0


def test_unknown_trainer_is_refused(database: Database, course_id: int) -> None:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_group(session, two_days(course_id, trainer_ids=[999]))
    assert caught.value.for_field("trainer_ids") == ["L'intervenant n° 999 n'existe pas."]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"label": "  "}, "label", "« Libellé du groupe » est obligatoire."),
        ({"status": "bientôt"}, "status", "Le statut du groupe n'est pas reconnu."),
        ({"capacity": -1}, "capacity", "La capacité doit être un nombre positif."),
    ],
)
def test_field_validation(
    database: Database, course_id: int, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_group(session, two_days(course_id, **changes))
    assert caught.value.for_field(field) == [message]


def test_unknown_course_is_refused(database: Database) -> None:
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_group(session, GroupData(course_id=999, label="Groupe 1"))
    assert caught.value.for_field("course_id") == ["Choisissez la formation de ce groupe."]


def test_label_is_unique_within_a_course(database: Database, course_id: int) -> None:
    new_group(database, two_days(course_id))
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        create_group(session, two_days(course_id, label="GROUPE 1"))
    assert caught.value.for_field("label") == ["Cette formation a déjà un « GROUPE 1 »."]
    with database.transaction() as session:
        other = create_course(session, CourseData(title="Autre formation")).id
        create_group(session, two_days(other))  # same label, another course: fine


def test_update_changes_times_in_place_and_keeps_attendance(
    database: Database, course_id: int
) -> None:
    group_id = new_group(database, two_days(course_id))
    with database.transaction() as session:
        add_participants(session, group_id, 1)
        enrollment = session.scalars(select(Enrollment)).one()
        half = get_group(session, group_id).days[0].half_days[0]
        half_id = half.id
        session.add(Attendance(enrollment_id=enrollment.id, half_day_id=half.id, status="present"))
    days = [DayData(MONDAY, am=(t(8, 30), t(12, 30))), DayData(TUESDAY)]
    with database.transaction() as session:
        update_group(session, group_id, two_days(course_id, days=days))
    with database.session() as session:
        half = session.get_one(HalfDay, half_id)
        assert (half.start_time, half.hours) == (t(8, 30), 4)
        assert session.scalar(select(func.count()).select_from(Attendance)) == 1
        assert get_group(session, group_id).hours_planned == 14.5


def test_adding_and_removing_days_without_attendance(database: Database, course_id: int) -> None:
    group_id = new_group(database, two_days(course_id))
    wednesday = dt.date(2023, 9, 27)
    with database.transaction() as session:
        update_group(
            session, group_id, two_days(course_id, days=[DayData(wednesday), DayData(TUESDAY)])
        )
    with database.session() as session:
        group = get_group(session, group_id)
        assert group.dates == [TUESDAY, wednesday]
        assert group.first_date == TUESDAY
        assert session.scalar(select(func.count()).select_from(GroupDay)) == 2
        assert session.scalar(select(func.count()).select_from(HalfDay)) == 4


def attend_first_half_day(database: Database, group_id: int, day: dt.date, period: str) -> None:
    with database.transaction() as session:
        add_participants(session, group_id, 1)
        enrollment = session.scalars(select(Enrollment)).one()
        group = get_group(session, group_id)
        half = next(
            h for d in group.days if d.date == day for h in d.half_days if h.period == period
        )
        session.add(Attendance(enrollment_id=enrollment.id, half_day_id=half.id, status="present"))


def test_removing_a_day_with_attendance_is_refused(database: Database, course_id: int) -> None:
    group_id = new_group(database, two_days(course_id))
    attend_first_half_day(database, group_id, MONDAY, "am")
    with pytest.raises(ValidationError) as caught, database.transaction() as session:
        update_group(session, group_id, two_days(course_id, days=[DayData(TUESDAY)]))
    assert caught.value.for_field("days") == [
        "Le 25/09/2023 a déjà 1 présence enregistrée : il ne peut pas être retiré du planning."
    ]
    with database.session() as session:
        assert get_group(session, group_id).dates == [MONDAY, TUESDAY]
        assert session.scalar(select(func.count()).select_from(HalfDay)) == 4


def test_removing_a_half_day_with_attendance_is_refused(database: Database, course_id: int) -> None:
    group_id = new_group(database, two_days(course_id))
    attend_first_half_day(database, group_id, MONDAY, "pm")
    days = [DayData(MONDAY, pm=None), DayData(TUESDAY)]
    with pytest.raises(ValidationError), database.transaction() as session:
        update_group(session, group_id, two_days(course_id, days=days))
    # The morning of the same day can go: it has no attendance.
    days = [DayData(MONDAY, am=None), DayData(TUESDAY)]
    with database.transaction() as session:
        update_group(session, group_id, two_days(course_id, days=days))
    with database.session() as session:
        assert get_group(session, group_id).hours_planned == 10.5


def test_failed_update_leaves_the_group_unchanged(database: Database, course_id: int) -> None:
    group_id = new_group(database, two_days(course_id))
    attend_first_half_day(database, group_id, MONDAY, "am")
    changed = two_days(course_id, label="Renommé", city="Metz", days=[DayData(TUESDAY)])
    with pytest.raises(ValidationError), database.transaction() as session:
        group = get_group(session, group_id)
        try:
            update_group(session, group_id, changed)
        finally:
            # Refused before anything is touched, even before the rollback.
            assert (group.label, group.dates) == ("Groupe 1", [MONDAY, TUESDAY])
    with database.session() as session:
        group = get_group(session, group_id)
        assert (group.label, group.city) == ("Groupe 1", "Strasbourg")


@pytest.mark.parametrize(
    ("enrolled", "capacity", "label"),
    [(12, 15, "12 / 15"), (0, 15, "0 / 15"), (7, None, "7")],
)
def test_fill_label(enrolled: int, capacity: int | None, label: str) -> None:
    assert fill_label(enrolled, capacity) == label


def test_enrolled_count_ignores_waitlist_and_cancellations(
    database: Database, course_id: int
) -> None:
    group_id = new_group(database, two_days(course_id, capacity=3))
    with database.transaction() as session:
        add_participants(session, group_id, 4)  # the fourth goes on the waiting list
        enrollments = session.scalars(select(Enrollment).order_by(Enrollment.id)).all()
        assert enrollments[3].status == EnrollmentStatus.WAITLISTED.value
        enrollments[0].status = EnrollmentStatus.CANCELLED.value
        enrollments[1].status = EnrollmentStatus.CONFIRMED.value
        session.flush()
        assert enrolled_count(session, group_id) == 2
        assert fill_label(enrolled_count(session, group_id), 3) == "2 / 3"


def test_deletion_impact_and_explicit_deletion(database: Database, course_id: int) -> None:
    with database.transaction() as session:
        trainer_id = create_trainer(session, TrainerData("Chantal", "CORNIER")).id
    group_id = new_group(database, two_days(course_id, trainer_ids=[trainer_id]))
    with database.transaction() as session:
        add_participants(session, group_id, 12)
        group = get_group(session, group_id)
        first = session.scalars(select(Enrollment).order_by(Enrollment.id)).first()
        assert first is not None
        for half in group.half_days[:2]:
            session.add(Attendance(enrollment_id=first.id, half_day_id=half.id, status="present"))
    with database.session() as session:
        impact = describe_group_deletion(session, group_id)
    assert impact.allowed
    assert impact.needs_confirmation
    assert impact.subject == "le groupe « Groupe 1 » (Strasbourg)"
    assert impact.consequences == [
        "Ce groupe a 12 inscrits et 2 présences enregistrées : "
        "ils seront supprimés avec le groupe.",
        "Son planning (2 journées) sera supprimé.",
        "1 intervenant n'y sera plus affecté.",
    ]
    with database.transaction() as session:
        delete_group(session, group_id)
    with database.session() as session:
        assert session.get(Group, group_id) is None
        for model in (Enrollment, Attendance, GroupDay, HalfDay, GroupTrainer):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model
        # People are kept: only their link to the group goes.
        assert session.scalar(select(func.count()).select_from(Participant)) == 12
        assert session.get(Trainer, trainer_id) is not None


def test_deletion_impact_of_an_empty_group(database: Database, course_id: int) -> None:
    group_id = new_group(database, GroupData(course_id=course_id, label="Groupe 3"))
    with database.session() as session:
        impact = describe_group_deletion(session, group_id)
    assert impact.allowed
    assert not impact.needs_confirmation


def test_one_enrollment_is_singular(database: Database, course_id: int) -> None:
    group_id = new_group(database, two_days(course_id))
    with database.transaction() as session:
        add_participants(session, group_id, 1)
        impact = describe_group_deletion(session, group_id)
    assert impact.consequences[0] == "Ce groupe a 1 inscrit : ils seront supprimés avec le groupe."


def test_unknown_group(database: Database) -> None:
    with pytest.raises(NotFoundError) as caught, database.session() as session:
        get_group(session, 42)
    assert caught.value.message == "Aucun groupe ne porte le numéro 42."


def test_course_choices(database: Database, course_id: int) -> None:
    with database.session() as session:
        assert course_choices(session) == [(course_id, "Aller vers — Module 1")]
