"""« Effacer / anonymiser » one person, import history included, and undo afterwards."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import ImportBatch, ImportChange, Participant
from allervers_desktop.excel.errors import UndoBlockedError
from allervers_desktop.excel.history import check_undo, undo_batch
from allervers_desktop.excel.importer import ImportOptions, apply_import, import_file
from allervers_desktop.excel.layout import prepare_sheet
from allervers_desktop.excel.reading import open_spreadsheet
from allervers_desktop.privacy import log
from allervers_desktop.privacy.erasure import ErasureRefused, erase_participant, plan_erasure
from allervers_desktop.privacy.purge import ANONYMISE, CONTACTS
from allervers_desktop.services.errors import NotFoundError
from tests.unit.excel.conftest import LISTS, snapshot
from tests.unit.privacy.conftest import KEPT_UNTIL, TODAY, group_people, hours_per_group, short


def history_text(database: Database, batch_id: int) -> str:
    """Everything the import history keeps about one import, as one text."""
    with database.session() as session:
        batch = session.get_one(ImportBatch, batch_id)
        changes = session.execute(
            select(ImportChange.previous_values, ImportChange.new_values).where(
                ImportChange.batch_id == batch_id
            )
        )
        return batch.report + "".join(a + b for a, b in changes)


def test_documents_still_kept_limit_the_erasure_to_contacts(aged_database: Database) -> None:
    first = group_people(aged_database, 1)[0]  # attended, and holds the attestation
    hours = hours_per_group(aged_database)
    with aged_database.session() as session:
        plan = plan_erasure(session, first, TODAY)
    assert plan.action == CONTACTS and plan.kept_until == KEPT_UNTIL
    with aged_database.transaction() as session:
        done = erase_participant(session, first, TODAY)
    assert done.done_message() == (
        "Les feuilles d'émargement et attestations de cette personne doivent être conservées "
        f"jusqu'au {short(KEPT_UNTIL)} : seules ses coordonnées ont été effacées."
    )
    with aged_database.session() as session:
        person = session.get_one(Participant, first)
        assert (person.last_name, person.email, person.phone) == ("MULLER", None, "")
        assert person.contact_erased_at is not None and person.anonymised_at is None
    assert hours_per_group(aged_database) == hours
    before = snapshot(aged_database)
    with pytest.raises(ErasureRefused) as refused, aged_database.transaction() as session:
        erase_participant(session, first, TODAY)
    assert refused.value.message.startswith(
        f"Les feuilles d'émargement et attestations de cette personne doivent être conservées "
        f"jusqu'au {short(KEPT_UNTIL)} : ses coordonnées ont déjà été effacées le "
    )
    assert snapshot(aged_database) == before


def test_sign_in_sheets_alone_are_named(aged_database: Database) -> None:
    second = group_people(aged_database, 1)[1]
    with aged_database.transaction() as session:
        done = erase_participant(session, second, TODAY)
    assert done.done_message().startswith(
        "Les feuilles d'émargement de cette personne doivent être conservées jusqu'au "
    )


def test_without_documents_the_person_is_anonymised(aged_database: Database) -> None:
    person_id = group_people(aged_database, 2)[0]
    hours = hours_per_group(aged_database)
    with aged_database.transaction() as session:
        done = erase_participant(session, person_id, TODAY)
    assert done.action == ANONYMISE
    assert done.done_message() == f"Le participant n° {person_id} a été anonymisé."
    assert hours_per_group(aged_database) == hours
    with aged_database.session() as session:
        person = session.get_one(Participant, person_id)
        assert person.full_name == f"ANONYME n° {person_id}" and person.email is None
        assert len(person.enrollments) == 1
        lines = log.entries(session, person_id)
    assert [line.summary for line in lines] == [f"Participant n° {person_id} anonymisé."]
    with (
        pytest.raises(ErasureRefused, match="a déjà été anonymisé le "),
        aged_database.session() as session,
    ):
        plan_erasure(session, person_id, TODAY)


def test_unknown_participant(database: Database) -> None:
    with pytest.raises(NotFoundError) as raised, database.transaction() as session:
        erase_participant(session, 42)
    assert raised.value.message == "Aucun participant ne porte le numéro 42."


def test_erasure_scrubs_the_import_history_and_undo_is_refused(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "capacite.xlsx", group_id=2)
    assert report.batch_id is not None
    batch_id = report.batch_id
    with demo_database.session() as session:
        created = session.scalars(
            select(Participant).where(Participant.enrollments.any()).order_by(Participant.id)
        ).all()[-1]
        person_id, email, last_name = created.id, created.email, created.last_name
    assert email is not None and email in history_text(demo_database, batch_id)
    assert last_name in history_text(demo_database, batch_id)
    with demo_database.transaction() as session:
        done = erase_participant(session, person_id)
    assert done.action == ANONYMISE and done.history_records >= 1
    text = history_text(demo_database, batch_id)
    assert email not in text and last_name not in text
    with demo_database.session() as session:
        check = check_undo(session, batch_id)
    assert not check.allowed
    assert (
        f"Les données personnelles du participant n° {person_id} ont été effacées le "
        in check.message()
    )
    assert "(RGPD) : l'import ne peut plus être annulé." in check.message()
    before = snapshot(demo_database)
    with pytest.raises(UndoBlockedError), demo_database.transaction() as session:
        undo_batch(session, batch_id)
    assert snapshot(demo_database) == before


def test_contacts_erased_from_an_update_and_its_conflicts(demo_database: Database) -> None:
    spreadsheet = open_spreadsheet(LISTS / "conflits.xlsx")
    layout = prepare_sheet(spreadsheet)
    options = ImportOptions(decisions={"p1.phone": "replace"})
    with demo_database.transaction() as session:
        report = apply_import(session, spreadsheet, layout, options)
    assert report.batch_id is not None
    before = history_text(demo_database, report.batch_id)
    assert "+33611223344" in before and "+33388102030" in before
    with demo_database.transaction() as session:
        erase_participant(session, 1)
    after = history_text(demo_database, report.batch_id)
    assert "+33611223344" not in after and "+33388102030" not in after
    with demo_database.session() as session:
        stored = json.loads(session.get_one(ImportBatch, report.batch_id).report)
    mine = [c for c in stored["conflicts"] if c["participant_id"] == 1]
    assert mine and all(c["existing"] == c["incoming"] == "[effacé]" for c in mine)
    others = [c for c in stored["conflicts"] if c["participant_id"] != 1]
    assert all(c["existing"] != "[effacé]" for c in others)
    with demo_database.session() as session:
        assert not check_undo(session, report.batch_id).allowed


def test_row_messages_naming_the_person_are_redacted(demo_database: Database) -> None:
    report = import_file(demo_database, LISTS / "capacite.xlsx", group_id=1)
    assert report.batch_id is not None
    waitlisted = [w.message for w in report.warnings if "liste d'attente" in w.message]
    assert len(waitlisted) == 3
    with demo_database.session() as session:
        person = session.scalars(
            select(Participant)
            .join(Participant.enrollments)
            .where(Participant.enrollments.any(status="waitlisted"))
            .order_by(Participant.id)
        ).first()
        assert person is not None
        person_id, last_name, first_name = person.id, person.last_name, person.first_name
    mine = [m for m in waitlisted if last_name.casefold() in m.casefold()]
    assert len(mine) == 1
    with demo_database.transaction() as session:
        erase_participant(session, person_id)
    with demo_database.session() as session:
        stored = json.loads(session.get_one(ImportBatch, report.batch_id).report)
    messages = [w["message"] for w in stored["warnings"] if "liste d'attente" in w["message"]]
    assert sum("[effacé]" in m for m in messages) == 1, messages
    assert not any(last_name.casefold() in m.casefold() for m in messages)
    assert not any(f"{first_name} " in m for m in messages if "[effacé]" in m)
    # The other waitlisted people are still named.
    assert sum("[effacé]" not in m for m in messages) == 2


def test_phone_numbers_are_redacted_whatever_their_separators(demo_database: Database) -> None:
    warnings = [
        {"row": 3, "message": "Téléphone « 03.88.10.20.30 » différent de la ligne 2 : gardé"},
        {"row": 4, "message": "Téléphone « 0388102030 » ; e-mail « HELENE.MULLER@exemple.fr »"},
        {"row": 5, "message": "Téléphone « 03 88 11 21 31 » d'une autre personne"},
    ]
    with demo_database.transaction() as session:
        session.add(
            ImportBatch(
                file_name="liste.xlsx",
                report=json.dumps({"warnings": warnings, "skipped": [], "conflicts": []}),
            )
        )
    with demo_database.transaction() as session:
        erase_participant(session, 1)  # MULLER Hélène, 03 88 10 20 30
    with demo_database.session() as session:
        report = session.scalars(select(ImportBatch.report)).one()
    assert [w["message"] for w in json.loads(report)["warnings"]] == [
        "Téléphone « [effacé] » différent de la ligne 2 : gardé",
        "Téléphone « [effacé] » ; e-mail « [effacé] »",
        "Téléphone « 03 88 11 21 31 » d'une autre personne",
    ]
