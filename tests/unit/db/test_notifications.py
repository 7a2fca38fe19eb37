"""NOTIFY after each committed write on a server, LISTEN in each window: real connections."""

from __future__ import annotations

import queue

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Participant
from allervers_desktop.db.notifications import ChangeListener
from allervers_desktop.db.server import open_server
from allervers_desktop.services.participants import ParticipantData, create_participant
from tests.conftest import ON_SERVER

pytestmark = pytest.mark.skipif(not ON_SERVER, reason="LISTEN/NOTIFY: a server's")


def test_a_commit_is_announced_and_a_rollback_is_not(database: Database) -> None:
    received: queue.Queue[set[str]] = queue.Queue()
    listener = ChangeListener(database.engine, received.put)
    listener.start()
    try:
        assert listener.listening.wait(10)
        other = open_server(database.url)
        try:
            with pytest.raises(RuntimeError), other.transaction() as session:
                create_participant(session, ParticipantData("Annulé"))
                raise RuntimeError("abandon")
            with other.transaction() as session:
                create_participant(session, ParticipantData("Durand"))
        finally:
            other.close()
        tables = received.get(timeout=10)
        assert {"participants", "change_log"} <= tables
        assert received.empty()  # the rolled-back transaction said nothing
        with database.session() as session:
            names = session.scalars(select(Participant.last_name)).all()
        assert names == ["Durand"]
    finally:
        listener.stop(wait=True)
    assert not listener.is_alive()
