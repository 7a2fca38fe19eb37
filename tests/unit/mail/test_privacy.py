"""Erasing a person's data removes their messages from the outbox and the sent log."""

from __future__ import annotations

from allervers_desktop.db.database import Database
from allervers_desktop.mail.compose import MailKind, compose
from allervers_desktop.mail.outbox import list_outbox, queue
from allervers_desktop.privacy.erasure import erase_participant
from tests.unit.mail.conftest import MailGroup


def test_erasure_forgets_the_persons_messages(database: Database, mail_group: MailGroup) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    with database.transaction() as session:
        queue(session, composition.messages)
    muller = mail_group.participants["MULLER"]
    with database.transaction() as session:
        erase_participant(session, muller)
    with database.session() as session:
        left = list_outbox(session)
    assert len(left) == 2
    assert muller not in {entry.participant_id for entry in left}
    assert "helene.muller@exemple.fr" not in {entry.to for entry in left}


def test_merged_employer_keeps_its_messages(database: Database, mail_group: MailGroup) -> None:
    from allervers_desktop.services.employer_directory import merge_employers

    with database.session() as session:
        composition = compose(session, MailKind.EMPLOYER_LIST, mail_group.group_id)
    with database.transaction() as session:
        queue(session, composition.messages)
    relais, foyer = (
        mail_group.employers["Relais de l'Ill"],
        mail_group.employers["Foyer Saint-Éloi"],
    )
    with database.transaction() as session:
        merge_employers(session, relais, foyer)
    with database.session() as session:
        assert [e.employer_id for e in list_outbox(session)] == [relais, relais]
