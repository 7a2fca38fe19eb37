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
