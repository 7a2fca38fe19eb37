"""Once a certificate was issued for an enrollment, nothing deletes that enrollment."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, IssuedDocument
from allervers_desktop.services.enrollments import describe_unenrollment, unenroll
from allervers_desktop.services.errors import DeletionBlockedError
from allervers_desktop.services.groups import delete_group, describe_group_deletion
from allervers_desktop.services.participants import (
    delete_participant,
    describe_participant_deletion,
)


def issue(database: Database) -> Enrollment:
    with database.transaction() as session:
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.group_id == 1).order_by(Enrollment.id)
        ).first()
        assert enrollment is not None
        session.add(
            IssuedDocument(
                kind="attestation",
                number="ATT-2023-0001",
                year=2023,
                sequence=1,
                issued_on=dt.date(2023, 9, 27),
                enrollment_id=enrollment.id,
            )
        )
        return enrollment


def test_unenrolling_is_refused(demo_database: Database) -> None:
    enrollment = issue(demo_database)
    with demo_database.session() as session:
        impact = describe_unenrollment(session, enrollment.id)
    assert not impact.allowed
    assert impact.message() == (
        "Une attestation a été délivrée (ATT-2023-0001) : le journal des attestations doit "
        "rester complet. Passez plutôt l'inscription au statut « Annulé »."
    )
    with pytest.raises(DeletionBlockedError), demo_database.transaction() as session:
        unenroll(session, enrollment.id)


def test_deleting_the_participant_or_the_group_is_refused(demo_database: Database) -> None:
    enrollment = issue(demo_database)
    with demo_database.session() as session:
        assert not describe_participant_deletion(session, enrollment.participant_id).allowed
        group_impact = describe_group_deletion(session, 1)
        assert not group_impact.allowed
        assert "Passez plutôt les inscriptions au statut « Annulé »." in group_impact.message()
    with pytest.raises(DeletionBlockedError), demo_database.transaction() as session:
        delete_participant(session, enrollment.participant_id)
    with pytest.raises(DeletionBlockedError), demo_database.transaction() as session:
        delete_group(session, 1)
    with demo_database.session() as session:
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 21
        assert session.scalar(select(func.count()).select_from(IssuedDocument)) == 1
