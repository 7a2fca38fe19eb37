"""Historique des imports: listing, undo, and refusal when later changes depend on an import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, GroupDay, HalfDay, Participant
from allervers_desktop.excel.errors import OperationCancelled, UndoBlockedError
from allervers_desktop.excel.history import batch_report, check_undo, list_batches, undo_batch
from allervers_desktop.excel.importer import ImportOptions, apply_import, import_file
from allervers_desktop.excel.layout import prepare_sheet
from allervers_desktop.excel.reading import open_spreadsheet
from allervers_desktop.services.attendance import record_attendance
from allervers_desktop.services.enrollments import enroll, set_status
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.services.participants import ParticipantData, create_participant
from tests.unit.excel.conftest import LISTS, snapshot

GROUP_1, GROUP_2 = 1, 2


def imported(database: Database, name: str, **options: int) -> int:
    report = import_file(database, LISTS / name, **options)  # type: ignore[arg-type]
    assert report.batch_id is not None
    return report.batch_id


def by_email(database: Database, email: str) -> Participant:
    with database.session() as session:
        found = session.scalars(select(Participant).where(Participant.email == email)).one()
        return found


def test_list_batches_most_recent_first(demo_database: Database) -> None:
    first = imported(demo_database, "capacite.xlsx", group_id=GROUP_1)
    second = imported(demo_database, "liste-utf8-bom.csv")
    with demo_database.session() as session:
        batches = list_batches(session)
        report = batch_report(session, first)
    assert [batch.id for batch in batches] == [second, first]
    assert batches[1].file_name == "capacite.xlsx"
    assert batches[1].group_label == "Groupe 1"
    assert (batches[1].created, batches[1].enrolled, batches[1].waitlisted) == (8, 5, 3)
    assert batches[1].status_label == "Appliqué"
    assert report["created"] == 8 and report["batch_id"] == first


def test_undo_restores_the_database_exactly(demo_database: Database) -> None:
    before = snapshot(demo_database)
    batch_id = imported(demo_database, "organisme-stagiaire.xls")
    with demo_database.session() as session:
        check = check_undo(session, batch_id)
    assert check.allowed
    assert (check.removed_participants, check.removed_enrollments, check.removed_employers) == (
        5,
        5,
        1,
    )
    with demo_database.transaction() as session:
        undo_batch(session, batch_id)
    after = snapshot(demo_database)
    for history_table in ("import_batches", "import_changes"):
        after.pop(history_table)
        before.pop(history_table)
    assert after == before
    with demo_database.session() as session:
        batch = list_batches(session)[0]
    assert batch.status == "undone"
    assert batch.status_label.startswith("Annulé le ")


def test_undo_restores_updated_values(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "conflits.xlsx")
    layout = prepare_sheet(spreadsheet)
    options = ImportOptions(decisions={"p1.phone": "replace", "p2.employer_id": "replace"})
    with demo_database.transaction() as session:
        report = apply_import(session, spreadsheet, layout, options)
    assert by_email(demo_database, "helene.muller@exemple.fr").phone == "+33611223344"
    assert report.batch_id is not None
    with demo_database.transaction() as session:
        check = undo_batch(session, report.batch_id)
    assert check.restored_participants == 3  # with WEBER's address, replaced by default
    assert by_email(demo_database, "helene.muller@exemple.fr").phone == "+33388102030"
    schneider = by_email(demo_database, "loic.schneider@exemple.fr")
    with demo_database.session() as session:
        employer = session.get_one(Participant, schneider.id).employer
        assert employer is not None and employer.name == "Association Le Relais de l'Ill"


def test_reimport_after_undo_imports_again(demo_database: Database) -> None:
    batch_id = imported(demo_database, "capacite.xlsx")
    with demo_database.transaction() as session:
        undo_batch(session, batch_id)
    report = import_file(demo_database, LISTS / "capacite.xlsx")
    assert report.counts.created == 8
    assert report.previous_import is None


def _first_half_day(database: Database, group_id: int) -> int:
    with database.session() as session:
        half = session.scalars(
            select(HalfDay).join(GroupDay).where(GroupDay.group_id == group_id)
        ).first()
        assert half is not None
        return half.id


def test_undo_refused_when_attendance_was_recorded(demo_database: Database) -> None:
    batch_id = imported(demo_database, "capacite.xlsx", group_id=GROUP_1)
    person = by_email(demo_database, "p1@capacite.fr")
    with demo_database.transaction() as session:
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.participant_id == person.id)
        ).one()
        record_attendance(session, enrollment.id, _first_half_day(demo_database, 1), "present")
    before = snapshot(demo_database)
    with pytest.raises(UndoBlockedError) as caught, demo_database.transaction() as session:
        undo_batch(session, batch_id)
    assert caught.value.message == (
        f"L'import n° {batch_id} ne peut pas être annulé :\n"
        "Des présences ont été saisies pour CAPACITEA Personne1 (Groupe 1)."
    )
    assert snapshot(demo_database) == before


def test_undo_refused_when_the_participant_was_edited(demo_database: Database) -> None:
    batch_id = imported(demo_database, "liste-utf8-bom.csv")
    with demo_database.transaction() as session:
        person = session.scalars(
            select(Participant).where(Participant.email == "leon.girard@exemple.fr")
        ).one()
        person.phone = "03 29 00 00 00"
    with demo_database.session() as session:
        check = check_undo(session, batch_id)
    assert not check.allowed
    assert check.blockers == ["La fiche de GIRARD Léon a été modifiée depuis l'import (Téléphone)."]


def test_undo_refused_when_enrolled_elsewhere_since(demo_database: Database) -> None:
    batch_id = imported(demo_database, "liste-utf8-bom.csv")
    person = by_email(demo_database, "ines.faure@exemple.fr")
    with demo_database.transaction() as session:
        enroll(session, GROUP_2, person.id)
    with demo_database.session() as session:
        check = check_undo(session, batch_id)
    assert check.blockers == ["FAURE Inès a été inscrit(e) depuis l'import (Groupe 2)."]


def test_undo_refused_when_the_status_changed(demo_database: Database) -> None:
    batch_id = imported(demo_database, "capacite.xlsx", group_id=GROUP_2)
    person = by_email(demo_database, "p2@capacite.fr")
    with demo_database.transaction() as session:
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.participant_id == person.id)
        ).one()
        set_status(session, enrollment.id, "confirmed")
    with demo_database.session() as session:
        check = check_undo(session, batch_id)
    assert check.blockers == [
        "L'inscription de CAPACITEB Personne2 (Groupe 2) a changé de statut depuis l'import "
        "(« Confirmé »)."
    ]


def test_undo_refused_when_a_created_employer_is_used_by_someone_else(
    demo_database: Database,
) -> None:
    batch_id = imported(demo_database, "liste-utf8-bom.csv")
    with demo_database.transaction() as session:
        create_participant(
            session,
            ParticipantData(
                last_name="MOREL",
                first_name="Jade",
                employer_name='Association "Les Amis"',
                employer_city="Épinal",
            ),
        )
    with demo_database.session() as session:
        check = check_undo(session, batch_id)
    assert check.blockers == [
        "L'établissement « Association \"Les Amis\" (Épinal) », créé par l'import, est "
        "maintenant celui de 1 autre(s) participant(s)."
    ]


def test_undo_refused_while_a_later_import_changed_the_same_people(
    demo_database: Database, tmp_path: Path
) -> None:
    import openpyxl

    first = imported(demo_database, "capacite.xlsx")
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nom", "Prénom", "E-mail", "Fonction"])
    workbook.active.append(["CAPACITEA", "Personne1", "p1@capacite.fr", "Éducatrice"])
    workbook.save(tmp_path / "complement.xlsx")
    second = import_file(demo_database, tmp_path / "complement.xlsx").batch_id
    with demo_database.session() as session:
        check = check_undo(session, first)
    assert (
        f"L'import n° {second}, plus récent, a modifié les mêmes participants : annulez-le d'abord."
        in check.blockers
    )
    assert second is not None
    with demo_database.transaction() as session:
        undo_batch(session, second)
    with demo_database.transaction() as session:
        undo_batch(session, first)
    with demo_database.session() as session:
        assert (
            session.scalars(
                select(Participant).where(Participant.email == "p1@capacite.fr")
            ).first()
            is None
        )


def test_undo_twice_is_refused(demo_database: Database) -> None:
    batch_id = imported(demo_database, "capacite.xlsx")
    with demo_database.transaction() as session:
        undo_batch(session, batch_id)
    with (
        pytest.raises(UndoBlockedError, match=re.escape("Cet import a déjà été annulé.")),
        demo_database.transaction() as session,
    ):
        undo_batch(session, batch_id)


def test_undo_unknown_batch(demo_database: Database) -> None:
    with (
        pytest.raises(NotFoundError, match=re.escape("Aucun import ne porte le numéro 42.")),
        demo_database.session() as session,
    ):
        check_undo(session, 42)


def test_cancelled_undo_changes_nothing(demo_database: Database) -> None:
    batch_id = imported(demo_database, "capacite.xlsx", group_id=GROUP_1)
    before = snapshot(demo_database)
    with (
        pytest.raises(
            OperationCancelled, match=re.escape("Annulation interrompue : rien n'a été modifié.")
        ),
        demo_database.transaction() as session,
    ):
        undo_batch(session, batch_id, progress=lambda done, total: done == 0)
    assert snapshot(demo_database) == before
