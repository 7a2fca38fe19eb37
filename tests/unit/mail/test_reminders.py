"""Reminders due: the groups about to start whose participants were not all reminded."""

from __future__ import annotations

import datetime as dt

import pytest

from allervers_desktop.db.database import Database
from allervers_desktop.mail.compose import MailKind, compose
from allervers_desktop.mail.outbox import discard, queue, retry_failed
from allervers_desktop.mail.reminders import due_reminders, reminder_days, set_reminder_days
from allervers_desktop.services.errors import ServiceError
from tests.unit.mail.conftest import MailGroup

FIRST_DAY = dt.date(2024, 9, 25)  # mail_group's first day


def test_due_from_seven_days_before_until_the_first_day(
    database: Database, mail_group: MailGroup
) -> None:
    with database.session() as session:
        assert due_reminders(session, FIRST_DAY - dt.timedelta(days=8)) == []
        due = due_reminders(session, FIRST_DAY - dt.timedelta(days=7))
        assert [(d.group_id, d.participants, d.not_reminded) for d in due] == [
            (mail_group.group_id, 5, 5)
        ]
        assert due[0].due_on == FIRST_DAY - dt.timedelta(days=7)
        assert len(due_reminders(session, FIRST_DAY)) == 1
        assert due_reminders(session, FIRST_DAY + dt.timedelta(days=1)) == []


def test_reminded_people_no_longer_count(database: Database, mail_group: MailGroup) -> None:
    """Three have an address and get the reminder; the two without one stay « not reminded »
    (the coordinator must reach them otherwise)."""
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    with database.transaction() as session:
        ids = queue(session, composition.messages)
    with database.session() as session:
        (due,) = due_reminders(session, FIRST_DAY - dt.timedelta(days=3))
        assert due.not_reminded == 2
    with database.transaction() as session:
        assert discard(session, ids[:1]) == 1  # taken out again: that person is due again
    with database.session() as session:
        assert due_reminders(session, FIRST_DAY - dt.timedelta(days=3))[0].not_reminded == 3


def test_delay_is_a_setting(database: Database, mail_group: MailGroup) -> None:
    with database.transaction() as session:
        assert reminder_days(session) == 7
        set_reminder_days(session, 14)
        with pytest.raises(ServiceError, match="Délai du rappel invalide : 0"):
            set_reminder_days(session, 0)
    with database.session() as session:
        assert len(due_reminders(session, FIRST_DAY - dt.timedelta(days=14))) == 1


def test_discard_keeps_sent_messages_and_retry_takes_ids(
    database: Database, mail_group: MailGroup
) -> None:
    from sqlalchemy import select

    from allervers_desktop.db.models import OutboxMessage, OutboxStatus

    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    with database.transaction() as session:
        ids = queue(session, composition.messages)
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        rows[0].status = OutboxStatus.SENT.value
        rows[1].status = OutboxStatus.FAILED.value
        rows[2].status = OutboxStatus.FAILED.value
    with database.transaction() as session:
        with pytest.raises(ServiceError, match="restent dans le journal"):
            discard(session, ids)
        assert retry_failed(session, [ids[1]]) == 1
    with database.session() as session:
        statuses = [
            r.status for r in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]
    assert statuses == ["sent", "pending", "failed"]


def test_preview_text_fills_the_first_reachable_recipient(
    database: Database, mail_group: MailGroup
) -> None:
    from allervers_desktop.mail.compose import preview_text
    from allervers_desktop.mail.templates import Template

    with database.session() as session:
        person = preview_text(
            session, MailKind.CONVOCATION, mail_group.group_id, Template("{prenom}", "{nom}")
        )
        employer = preview_text(
            session,
            MailKind.EMPLOYER_LIST,
            mail_group.group_id,
            Template("Liste", "{etablissement}\n{participants}"),
        )
        with pytest.raises(ServiceError, match="Champ inconnu"):
            preview_text(session, MailKind.REMINDER, mail_group.group_id, Template("{x}", ""))
    assert (person.recipient, person.subject, person.body) == ("MULLER Hélène", "Hélène", "MULLER")
    assert employer.recipient == "Foyer Saint-Éloi"
    assert employer.body.splitlines()[0] == "Foyer Saint-Éloi"
    assert "WEBER Céline" in employer.body and "MULLER" not in employer.body
