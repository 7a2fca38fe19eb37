"""Who changed what: stamps, version counters and the Historique of a record."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from allervers_desktop.clock import FixedClock
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import ChangeLogEntry, Participant
from allervers_desktop.services.history import last_change, record_history
from allervers_desktop.services.participants import (
    ParticipantData,
    create_participant,
    delete_participant,
    get_participant,
    update_participant,
)
from allervers_desktop.services.versions import StaleRecordError, lock_unchanged
from tests.conftest import TEST_NOW


def test_each_change_is_stamped_and_kept(database: Database) -> None:
    database.clock = FixedClock(TEST_NOW)
    with database.transaction() as session:
        person = create_participant(session, ParticipantData("Durand", "Léa", email="l@d.fr"))
        person_id = person.id
    with database.transaction() as session:
        data = ParticipantData.from_participant(get_participant(session, person_id))
        data.phone = "06 12 34 56 78"
        data.email = ""
        update_participant(session, person_id, data)
    with database.session() as session:
        person = get_participant(session, person_id)
        assert person.modified_by == database.user != ""
        assert person.modified_at == TEST_NOW
        assert person.version == 2
        assert last_change(person) == f"Modifié par {database.user} le 03/06/2024 à 10:00"
        history = record_history(session, Participant, person_id)
    assert history.older == 0
    update, create = history.changes
    assert (create.action, create.by, create.fields) == ("Création", database.user, ())
    assert update.action == "Modification"
    assert [(f.label, f.before, f.after) for f in update.fields] == [
        ("E-mail", "l@d.fr", "—"),
        ("Téléphone", "—", "06 12 34 56 78"),
    ]


def test_a_save_with_nothing_changed_writes_no_history(database: Database) -> None:
    with database.transaction() as session:
        person_id = create_participant(session, ParticipantData("Durand")).id
    with database.transaction() as session:
        data = ParticipantData.from_participant(get_participant(session, person_id))
        update_participant(session, person_id, data)
    with database.session() as session:
        actions = session.scalars(
            select(ChangeLogEntry.action).where(ChangeLogEntry.record_id == person_id)
        ).all()
    assert actions == ["create"]


def test_a_deletion_is_kept_in_the_history(database: Database) -> None:
    with database.transaction() as session:
        person_id = create_participant(session, ParticipantData("Durand")).id
    with database.transaction() as session:
        delete_participant(session, person_id)
    with database.session() as session:
        history = record_history(session, Participant, person_id)
    assert [change.action for change in history.changes] == ["Suppression", "Création"]


def test_a_save_from_an_older_version_is_refused(database: Database) -> None:
    with database.transaction() as session:
        person_id = create_participant(session, ParticipantData("Durand")).id
    with database.transaction() as session:  # a colleague's save
        data = ParticipantData.from_participant(get_participant(session, person_id))
        data.first_name = "Léa"
        update_participant(session, person_id, data)
    with pytest.raises(StaleRecordError) as refused, database.transaction() as session:
        lock_unchanged(session, Participant, person_id, 1, "participant")
        update_participant(session, person_id, ParticipantData("Écrasé"))
    assert refused.value.message.startswith(
        f"Modifié entre-temps sur un autre poste par {database.user} le "
    )
    with database.session() as session:
        person = session.get(Participant, person_id)
        assert person is not None
        assert (person.last_name, person.first_name, person.version) == ("Durand", "Léa", 2)
