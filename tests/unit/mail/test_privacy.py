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


def _employer_lists(database: Database, group_id: int) -> list[int]:
    with database.session() as session:
        composition = compose(session, MailKind.EMPLOYER_LIST, group_id)
    with database.transaction() as session:
        return queue(session, composition.messages)


def test_anonymised_person_leaves_no_name_in_employer_messages(
    database: Database, mail_group: MailGroup
) -> None:
    """The list sent to « Relais de l'Ill » named MULLER Hélène: after her erasure the log keeps
    who got it and when, not what it said; the list still waiting is withdrawn; the other
    employer's messages, which never named her, are untouched."""
    from sqlalchemy import select

    from allervers_desktop.db.models import OutboxMessage, OutboxStatus

    relais = mail_group.employers["Relais de l'Ill"]
    sent_ids = _employer_lists(database, mail_group.group_id)
    with database.transaction() as session:
        for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(sent_ids))):
            row.status = OutboxStatus.SENT.value
    waiting_ids = _employer_lists(database, mail_group.group_id)
    with database.transaction() as session:
        erase_participant(session, mail_group.participants["MULLER"])
    with database.session() as session:
        rows = {row.id: row for row in session.scalars(select(OutboxMessage))}
        assert set(rows) == set(sent_ids) | {
            i for i in waiting_ids if rows.get(i) is not None and rows[i].employer_id != relais
        }
        kept_waiting = [i for i in waiting_ids if i in rows]
        assert len(kept_waiting) == 1 and rows[kept_waiting[0]].employer_id != relais
        for message_id in sent_ids:
            row = rows[message_id]
            if row.employer_id == relais:
                assert "MULLER" not in row.body and "Hélène" not in row.body
                assert row.body.startswith("(Contenu effacé le ")
                assert row.content == b"" and row.attachment_names == ""
                assert row.to_addresses == "rh@relais-ill.fr" and row.sent_at is None
            else:
                assert "WEBER Céline" in row.body  # the other employer's list is intact
                assert row.content != b""
