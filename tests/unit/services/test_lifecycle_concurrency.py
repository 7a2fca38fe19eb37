"""Two programs at once: a merge, a transfer and substitutions wait for each other's locks."""

from __future__ import annotations

from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.participant_merge import merge_participants
from allervers_desktop.services.transfers import substitute, transfer
from tests.unit.db.test_concurrency import race
from tests.unit.services.lifecycle_data import build, enroll


def test_a_transfer_waits_for_a_merge_and_then_finds_the_record_gone(database: Database) -> None:
    data = build(database)
    koenig, muller = data.people["KOENIG"], data.people["MULLER"]
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
        enroll(session, data.group_1, muller)
    second = race(
        database,
        lambda session: merge_participants(session, koenig, muller),
        lambda session: transfer(session, muller, data.group_1, data.group_2),
    )
    assert isinstance(second.error, ServiceError)
    assert second.error.message == f"Aucun participant ne porte le numéro {muller}."
    with database.session() as session:
        rows = session.execute(
            select(Enrollment.participant_id, Enrollment.group_id, Enrollment.status)
        ).all()
    assert rows == [(koenig, data.group_1, "registered")]


def test_two_substitutions_by_one_colleague_give_one_seat(database: Database) -> None:
    data = build(database)
    koenig, muller, schmitt = (data.people[n] for n in ("KOENIG", "MULLER", "SCHMITT"))
    with database.transaction() as session:
        enroll(session, data.group_1, koenig)
        enroll(session, data.group_1, muller)
    second = race(
        database,
        lambda session: substitute(session, data.group_1, koenig, schmitt),
        lambda session: substitute(session, data.group_1, muller, schmitt),
    )
    assert isinstance(second.error, ServiceError)
    assert second.error.message == (
        "SCHMITT Antoine a déjà une inscription dans le groupe « Groupe 1 – Strasbourg »."
    )
    with database.session() as session:
        statuses = dict(session.execute(select(Enrollment.participant_id, Enrollment.status)).all())
    assert statuses == {koenig: "cancelled", muller: "registered", schmitt: "registered"}
