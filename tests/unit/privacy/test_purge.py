"""« Purger »: the dry run says exactly what the purge does, statistics survive, failures undo."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, update

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import (
    Attendance,
    ImportBatch,
    ImportChange,
    IssuedDocument,
    Participant,
    PrivacyLogEntry,
)
from allervers_desktop.excel.errors import UndoBlockedError
from allervers_desktop.excel.history import check_undo, undo_batch
from allervers_desktop.excel.importer import import_file
from allervers_desktop.privacy import log
from allervers_desktop.privacy.purge import ANONYMISE, CONTACTS, apply_purge, plan_purge
from allervers_desktop.privacy.rules import RetentionRules, get_rules, months_before, save_rules
from allervers_desktop.services.errors import ServiceError, ValidationError
from tests.db_faults import refuse_inserts
from tests.unit.excel.conftest import LISTS, snapshot
from tests.unit.privacy.conftest import (
    KEPT_UNTIL,
    TODAY,
    group_people,
    hours_per_group,
    short,
)


def test_dry_run_writes_nothing_and_counts_what_the_purge_does(aged_database: Database) -> None:
    before = snapshot(aged_database)
    with aged_database.session() as session:
        dry = plan_purge(session, TODAY)
    assert snapshot(aged_database) == before
    assert not dry.applied
    assert [p.participant_id for p in dry.of(CONTACTS)] == group_people(aged_database, 1)
    assert [p.participant_id for p in dry.of(ANONYMISE)] == group_people(aged_database, 2)
    assert all(p.kept_until == KEPT_UNTIL for p in dry.of(CONTACTS))

    with aged_database.transaction() as session:
        done = apply_purge(session, TODAY)
    assert done.applied
    assert {k: v for k, v in done.counts().items() if k != "history_records"} == {
        k: v for k, v in dry.counts().items() if k != "history_records"
    }
    assert [p.participant_id for p in done.people] == [p.participant_id for p in dry.people]
    with aged_database.session() as session:
        anonymised = session.scalar(
            select(func.count()).where(Participant.anonymised_at.is_not(None))
        )
        erased_only = session.scalar(
            select(func.count()).where(
                Participant.contact_erased_at.is_not(None), Participant.anonymised_at.is_(None)
            )
        )
        assert (anonymised, erased_only) == (len(dry.of(ANONYMISE)), len(dry.of(CONTACTS)))
        # A second purge has nothing left to do.
        assert plan_purge(session, TODAY).is_empty


def test_purge_keeps_statistics_and_names_on_kept_documents(aged_database: Database) -> None:
    hours = hours_per_group(aged_database)
    with aged_database.session() as session:
        counts = [
            session.scalar(select(func.count()).select_from(table))
            for table in (Participant, Attendance, IssuedDocument)
        ]
    with aged_database.transaction() as session:
        apply_purge(session, TODAY)
    assert hours_per_group(aged_database) == hours
    with aged_database.session() as session:
        assert [
            session.scalar(select(func.count()).select_from(table))
            for table in (Participant, Attendance, IssuedDocument)
        ] == counts
        kept = session.get_one(Participant, group_people(aged_database, 1)[0])
        assert (kept.last_name, kept.first_name) == ("MULLER", "Hélène")
        assert (kept.email, kept.phone, kept.notes) == (None, "", "")
        assert kept.employer is not None
        gone = session.get_one(Participant, group_people(aged_database, 2)[0])
        assert gone.full_name == f"ANONYME n° {gone.id}"
        assert (gone.email, gone.phone, gone.job_title, gone.civility) == (None, "", "", "")
        assert gone.employer is not None  # statistics per employer stay possible
        # Reasons of absence of the people whose names are kept stay (they justify an absence).
        reasons = session.scalars(select(Attendance.reason).where(Attendance.reason != ""))
        assert list(reasons) == ["rendez-vous médical"] * 2


def test_purge_anonymises_once_the_documents_period_is_over(aged_database: Database) -> None:
    later = KEPT_UNTIL + dt.timedelta(days=1)
    with aged_database.transaction() as session:
        apply_purge(session, TODAY)
    with aged_database.session() as session:
        plan = plan_purge(session, later)
    assert [p.action for p in plan.people] == [ANONYMISE] * len(group_people(aged_database, 1))
    with aged_database.transaction() as session:
        apply_purge(session, later)
    with aged_database.session() as session:
        assert session.scalar(select(func.count()).where(Participant.anonymised_at.is_(None))) == 0
        assert list(session.scalars(select(Attendance.reason).where(Attendance.reason != ""))) == []


def test_a_failure_half_way_changes_nothing(aged_database: Database) -> None:
    # A real database failure after every participant was changed: the log entry is refused.
    with aged_database.transaction() as session:
        refuse_inserts(session, "privacy_log")
    before = snapshot(aged_database)
    with pytest.raises(ServiceError) as raised, aged_database.transaction() as session:
        apply_purge(session, TODAY)
    assert raised.value.message.startswith("La purge n'a pas pu être faite (")
    assert raised.value.message.endswith(") : rien n'a été modifié.")
    assert snapshot(aged_database) == before


def test_recent_people_are_not_purged(demo_database: Database) -> None:
    with demo_database.session() as session:
        assert plan_purge(session, TODAY).is_empty


def test_old_import_details_are_dropped_and_undo_refused(aged_database: Database) -> None:
    report = import_file(aged_database, LISTS / "capacite.xlsx", group_id=2)
    assert report.batch_id is not None
    batch_id = report.batch_id
    old = dt.datetime.combine(months_before(TODAY, 13), dt.time(9))
    with aged_database.transaction() as session:
        session.execute(
            update(ImportBatch).where(ImportBatch.id == batch_id).values(imported_at=old)
        )
    with aged_database.session() as session:
        plan = plan_purge(session, TODAY)
        assert [b.batch_id for b in plan.batches] == [batch_id]
    with aged_database.transaction() as session:
        apply_purge(session, TODAY)
    with aged_database.session() as session:
        batch = session.get_one(ImportBatch, batch_id)
        assert batch.details_purged_at is not None and batch.file_path == ""
        stored = json.loads(batch.report)
        assert stored["details_purged"] is True and stored["created"] == 8
        assert stored["skipped"] == stored["warnings"] == stored["conflicts"] == []
        values = session.execute(
            select(ImportChange.previous_values, ImportChange.new_values).where(
                ImportChange.batch_id == batch_id
            )
        )
        assert set(values) == {("", "")}
        check = check_undo(session, batch_id)
    assert not check.allowed
    assert "Le détail de cet import a été effacé le " in check.message()
    with pytest.raises(UndoBlockedError), aged_database.transaction() as session:
        undo_batch(session, batch_id)


def test_old_log_lines_go_and_the_purge_is_logged(aged_database: Database) -> None:
    with aged_database.transaction() as session:
        log.record(session, "erase", "Participant n° 99 anonymisé.", {"anonymised": 1}, 99)
        session.execute(
            update(PrivacyLogEntry).values(performed_at=dt.datetime(TODAY.year - 7, 1, 1))
        )
    with aged_database.transaction() as session:
        plan = apply_purge(session, TODAY)
    assert plan.counts()["log_entries"] == 1
    with aged_database.session() as session:
        lines = log.entries(session)
    assert len(lines) == 1
    line = lines[0]
    assert line.action == "purge" and line.action_label == "Purge"
    assert line.performed_by
    assert line.counts["anonymised"] == 11 and line.counts["contacts_erased"] == 10
    assert "MULLER" not in line.summary and "@" not in line.summary


def test_rules_are_stored_and_checked(database: Database) -> None:
    with database.transaction() as session:
        assert get_rules(session) == RetentionRules(6, 3, 12, 6)
        save_rules(session, RetentionRules(10, 2, 6, 5))
    with database.session() as session:
        assert get_rules(session) == RetentionRules(10, 2, 6, 5)
    with pytest.raises(ValidationError) as raised, database.transaction() as session:
        save_rules(session, RetentionRules(0, 3, 12, 200))
    assert raised.value.for_field("retention.documents_years") == [
        "« Feuilles d'émargement, attestations, certificats » : entre 1 et 30 ans."
    ]
    assert raised.value.for_field("retention.log_years")
    with database.session() as session:
        assert get_rules(session) == RetentionRules(10, 2, 6, 5)


def test_shorter_documents_rule_changes_the_plan(aged_database: Database) -> None:
    with aged_database.transaction() as session:
        save_rules(session, RetentionRules(documents_years=1))
        plan = plan_purge(session, TODAY)
    assert {p.action for p in plan.people} == {ANONYMISE}
    assert short(KEPT_UNTIL).startswith("31/12/")


def test_contacts_entered_again_after_an_erasure_are_purged_again(
    aged_database: Database,
) -> None:
    with aged_database.transaction() as session:
        apply_purge(session, TODAY)
    person_id = group_people(aged_database, 1)[0]
    with aged_database.transaction() as session:
        session.get_one(Participant, person_id).phone = "06 00 00 00 01"
    with aged_database.session() as session:
        plan = plan_purge(session, TODAY)
    assert [(p.participant_id, p.action) for p in plan.people] == [(person_id, CONTACTS)]
    with aged_database.transaction() as session:
        apply_purge(session, TODAY)
    with aged_database.session() as session:
        assert session.get_one(Participant, person_id).phone == ""
