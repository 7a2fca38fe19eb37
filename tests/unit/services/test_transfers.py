"""Transfer to another group and substitution by a colleague: seats, history, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Attendance, Enrollment
from allervers_desktop.services.enrollments import EnrollmentError
from allervers_desktop.services.groups import enrolled_count
from allervers_desktop.services.transfers import substitute, transfer
from allervers_desktop.services.waiting_list import waiting_list
from tests.unit.services.lifecycle_data import DAY_1, Lifecycle, attend, build, enroll, issue


@pytest.fixture
def data(database: Database) -> Lifecycle:
    return build(database)


def enrollment_of(session: object, group_id: int, participant_id: int) -> Enrollment:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    found = session.scalar(
        select(Enrollment).where(
            Enrollment.group_id == group_id, Enrollment.participant_id == participant_id
        )
    )
    assert found is not None
    return found


def test_a_transfer_keeps_the_old_enrollment_and_reports_the_freed_seat(
    database: Database, data: Lifecycle
) -> None:
    koenig, muller, schmitt = (data.people[n] for n in ("KOENIG", "MULLER", "SCHMITT"))
    with database.transaction() as session:
        for person in (koenig, muller, schmitt):  # SCHMITT waits
            enroll(session, data.group_1, person)
        outcome = transfer(session, koenig, data.group_1, data.group_2)
        assert not outcome.waitlisted
        assert outcome.freed_seat
        assert [p.name for p in outcome.promotable] == ["SCHMITT Antoine"]
        assert outcome.warnings == []
        new_id = outcome.enrollment.id
    with database.session() as session:
        old = enrollment_of(session, data.group_1, koenig)
        assert (old.status, old.transferred_to_id) == ("transferred", new_id)
        new = enrollment_of(session, data.group_2, koenig)
        assert (new.id, new.status) == (new_id, "registered")
        assert enrolled_count(session, data.group_1) == 1  # nobody promoted behind the back
        assert [w.name for w in waiting_list(session, data.group_1)] == ["SCHMITT Antoine"]


def test_a_full_group_puts_the_transferred_person_on_its_waiting_list(
    database: Database, data: Lifecycle
) -> None:
    koenig, weber, meyer = (data.people[n] for n in ("KOENIG", "WEBER", "MEYER"))
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
        enroll(session, data.group_2, weber)
        enroll(session, data.group_2, meyer)
        outcome = transfer(session, koenig, data.group_1, data.group_2)
        assert outcome.waitlisted
        assert outcome.enrollment.status == "waitlisted"
    with database.session() as session:
        assert enrolled_count(session, data.group_2) == 2
        assert [w.name for w in waiting_list(session, data.group_2)] == ["KOENIG Antoine"]


def test_a_transfer_within_the_course_leaves_no_same_course_warning_but_another_does(
    database: Database, data: Lifecycle
) -> None:
    koenig = data.people["KOENIG"]
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
        enroll(session, data.group_2, koenig)
        outcome = transfer(session, koenig, data.group_2, data.group_3)
        # Still in group 1 of the same course: said, with its dates.
        assert outcome.warnings == [
            "KOENIG Antoine est déjà inscrit(e) à cette formation dans le groupe "
            "« Groupe 1 – Strasbourg » (du 13/05/2024 au 14/05/2024)."
        ]
        again = transfer(session, koenig, data.group_1, data.group_2)
        assert again.warnings == []


def test_coming_back_to_a_group_left_earlier_takes_up_that_enrollment(
    database: Database, data: Lifecycle
) -> None:
    koenig = data.people["KOENIG"]
    with database.transaction() as session:
        first = enroll(session, data.group_1, koenig).id
        second = transfer(session, koenig, data.group_1, data.group_2).enrollment.id
        back = transfer(session, koenig, data.group_2, data.group_1).enrollment
        assert (back.id, back.status, back.transferred_to_id) == (first, "registered", None)
    with database.session() as session:
        assert enrollment_of(session, data.group_2, koenig).transferred_to_id == first
        assert enrollment_of(session, data.group_2, koenig).id == second


def test_issued_documents_refuse_a_transfer(database: Database, data: Lifecycle) -> None:
    koenig = data.people["KOENIG"]
    with database.transaction() as session:
        issue(session, enroll(session, data.group_1, koenig), 1)
    with pytest.raises(EnrollmentError) as caught, database.transaction() as session:
        transfer(session, koenig, data.group_1, data.group_2, force=True)
    assert caught.value.message == (
        "KOENIG Antoine ne peut pas être transféré(e) : 1 document délivré dans le groupe "
        "« Groupe 1 – Strasbourg » (ATT-2024-0001). Le journal des documents doit rester "
        "fidèle aux inscriptions."
    )
    with database.session() as session:
        assert enrollment_of(session, data.group_1, koenig).status == "registered"


def test_attendance_needs_force_and_stays_in_the_old_group(
    database: Database, data: Lifecycle
) -> None:
    koenig = data.people["KOENIG"]
    with database.transaction() as session:
        attend(session, enroll(session, data.group_1, koenig), DAY_1, "am")
    with pytest.raises(EnrollmentError) as caught, database.transaction() as session:
        transfer(session, koenig, data.group_1, data.group_2)
    assert caught.value.message == (
        "Des présences sont déjà saisies pour KOENIG Antoine dans le groupe "
        "« Groupe 1 – Strasbourg » (1 demi-journée). Confirmez (--force) pour le faire quand "
        "même : les présences restent dans l'historique."
    )
    with database.transaction() as session:
        outcome = transfer(session, koenig, data.group_1, data.group_2, force=True)
        assert outcome.warnings == [
            "Les présences de KOENIG Antoine (1 demi-journée) restent dans le groupe "
            "« Groupe 1 – Strasbourg »."
        ]
    with database.session() as session:
        old = enrollment_of(session, data.group_1, koenig)
        assert [a.enrollment_id for a in session.scalars(select(Attendance))] == [old.id]


def test_wrong_transfers_are_refused_in_french(database: Database, data: Lifecycle) -> None:
    koenig = data.people["KOENIG"]
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
        enroll(session, data.group_2, koenig)
    cases = [
        (data.group_1, data.group_1, "Le groupe d'arrivée est celui de départ"),
        (data.group_1, data.group_2, "KOENIG Antoine est déjà inscrit(e) à ce groupe (inscrit)."),
        (data.group_3, data.group_2, "KOENIG Antoine n'est pas inscrit(e) à ce groupe."),
        (data.group_1, 999, "Aucun groupe ne porte le numéro 999."),
    ]
    for source, target, message in cases:
        with pytest.raises(Exception) as caught, database.transaction() as session:
            transfer(session, koenig, source, target)
        assert message in str(getattr(caught.value, "message", caught.value))
    with database.transaction() as session:
        transfer(session, koenig, data.group_1, data.group_3)
    with pytest.raises(EnrollmentError) as refused, database.transaction() as session:
        transfer(session, koenig, data.group_1, data.group_3)
    assert refused.value.message == (
        "L'inscription de KOENIG Antoine au groupe « Groupe 1 – Strasbourg » est déjà transférée."
    )


def test_a_colleague_takes_the_seat_even_in_a_full_group(
    database: Database, data: Lifecycle
) -> None:
    koenig, muller, schmitt = (data.people[n] for n in ("KOENIG", "MULLER", "SCHMITT"))
    weber = data.people["WEBER"]
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
        enroll(session, data.group_1, weber)
        enroll(session, data.group_1, muller)  # waits
        outcome = substitute(session, data.group_1, koenig, schmitt)
        assert (outcome.waitlisted, outcome.warnings) == (False, [])
    with database.session() as session:
        assert enrollment_of(session, data.group_1, koenig).status == "cancelled"
        assert enrollment_of(session, data.group_1, schmitt).status == "registered"
        assert enrolled_count(session, data.group_1) == 2
        assert [w.name for w in waiting_list(session, data.group_1)] == ["MULLER Antoine"]


def test_a_substitute_keeps_the_place_on_the_waiting_list(
    database: Database, data: Lifecycle
) -> None:
    koenig, muller, schmitt = (data.people[n] for n in ("KOENIG", "MULLER", "SCHMITT"))
    weber, meyer = data.people["WEBER"], data.people["MEYER"]
    with database.transaction() as session:
        for person in (weber, meyer, koenig, muller):  # KOENIG then MULLER wait
            enroll(session, data.group_1, person)
        outcome = substitute(session, data.group_1, koenig, schmitt)
        assert outcome.waitlisted
    with database.session() as session:
        assert [w.name for w in waiting_list(session, data.group_1)] == [
            "SCHMITT Antoine",
            "MULLER Antoine",
        ]


def test_a_substitute_must_work_for_the_same_employer(database: Database, data: Lifecycle) -> None:
    koenig, weber = data.people["KOENIG"], data.people["WEBER"]
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
    with pytest.raises(EnrollmentError) as caught, database.transaction() as session:
        substitute(session, data.group_1, koenig, weber)
    assert caught.value.message == (
        "WEBER Antoine (Foyer Saint-Jean (Strasbourg)) ne peut pas remplacer KOENIG Antoine "
        "(EHPAD Les Tilleuls (Strasbourg)) : un remplacement se fait entre personnes du même "
        "établissement. Sinon, annulez l'inscription et inscrivez l'autre personne (elle "
        "passera par la liste d'attente si le groupe est complet)."
    )


def test_documents_and_attendance_stop_a_substitution(database: Database, data: Lifecycle) -> None:
    koenig, muller, schmitt = (data.people[n] for n in ("KOENIG", "MULLER", "SCHMITT"))
    with database.transaction() as session:
        issue(session, enroll(session, data.group_1, koenig), 1)
        attend(session, enroll(session, data.group_1, muller), DAY_1, "pm")
    with pytest.raises(EnrollmentError) as documented, database.transaction() as session:
        substitute(session, data.group_1, koenig, schmitt, force=True)
    assert "KOENIG Antoine ne peut pas être remplacé(e) : 1 document délivré" in (
        documented.value.message
    )
    with pytest.raises(EnrollmentError) as attended, database.transaction() as session:
        substitute(session, data.group_1, muller, schmitt)
    assert "Des présences sont déjà saisies pour MULLER Antoine" in attended.value.message
    with database.transaction() as session:
        outcome = substitute(session, data.group_1, muller, schmitt, force=True)
        assert outcome.warnings == [
            "Les présences de MULLER Antoine (1 demi-journée) restent dans le groupe "
            "« Groupe 1 – Strasbourg »."
        ]
    with pytest.raises(EnrollmentError) as again, database.transaction() as session:
        substitute(session, data.group_1, muller, koenig)
    assert again.value.message == (
        "L'inscription de MULLER Antoine au groupe « Groupe 1 – Strasbourg » est annulée."
    )


def test_the_old_group_no_longer_lists_nor_records_the_transferred_person(
    database: Database, data: Lifecycle
) -> None:
    from allervers_desktop.services.attendance import (
        AttendanceError,
        attendance_grid,
        find_half_day,
        record_attendance,
    )

    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
        enroll(session, data.group_1, muller)
        transfer(session, koenig, data.group_1, data.group_2)
    with database.session() as session:
        grid = attendance_grid(session, data.group_1)
        assert [row.name for row in grid.rows] == ["MULLER Antoine"]
        old = enrollment_of(session, data.group_1, koenig)
        half_day = find_half_day(session, data.group_1, DAY_1, "am")
        with pytest.raises(AttendanceError) as caught:
            record_attendance(session, old.id, half_day.id, "present")
    assert caught.value.message == (
        "L'inscription de KOENIG Antoine est transférée : aucune présence ne peut être saisie."
    )


def test_the_transferred_status_is_given_by_a_transfer_only(
    database: Database, data: Lifecycle
) -> None:
    from allervers_desktop.services.enrollments import set_status

    koenig = data.people["KOENIG"]
    with database.transaction() as session:
        first = enroll(session, data.group_1, koenig).id
        transfer(session, koenig, data.group_1, data.group_2)
    with pytest.raises(EnrollmentError) as caught, database.transaction() as session:
        set_status(session, enrollment_of(session, data.group_2, koenig).id, "transferred")
    assert caught.value.message == (
        "Le statut « Transféré » se donne en transférant la personne vers un autre groupe "
        "(« Transférer vers un autre groupe »)."
    )
    with database.transaction() as session:
        back = set_status(session, first, "registered")  # a mistake undone by hand
        assert (back.status, back.transferred_to_id) == ("registered", None)
