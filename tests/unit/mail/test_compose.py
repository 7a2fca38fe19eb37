"""Composition and queuing: real values, attachments read back, refusals before anything."""

from __future__ import annotations

import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import OutboxMessage, Setting
from allervers_desktop.mail.compose import ComposedMessage, MailKind, compose
from allervers_desktop.mail.outbox import list_outbox, queue, stored_message
from allervers_desktop.mail.templates import Template
from allervers_desktop.services.errors import ServiceError
from tests.unit.mail.conftest import SENDER, MailGroup


def attachments(composed: ComposedMessage) -> dict[str, bytes]:
    return {
        str(part.get_filename()): part.get_content() for part in composed.message.iter_attachments()
    }


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_convocations_with_real_values_and_attachments(
    database: Database, mail_group: MailGroup
) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.CONVOCATION, mail_group.group_id)
    assert composition.not_reached == [
        "HOFFMANN François : adresse électronique invalide (« francois.hoffmann@ »)",
        "KLEIN Amélie : pas d'adresse électronique",
    ]
    by_to = {str(m.message["To"]): m for m in composition.messages}
    assert sorted(by_to) == [
        "celine.weber@exemple.fr",
        "helene.muller@exemple.fr",
        "loic.schneider@exemple.fr",
    ]
    muller = by_to["helene.muller@exemple.fr"]
    message = muller.message
    assert message["From"] == SENDER
    assert message["Cc"] == "rh@relais-ill.fr"
    assert message["Subject"] == "Convocation : La pratique de l'Aller Vers (Groupe 1 – Strasbourg)"
    assert str(message["Message-ID"]).endswith("@opco-sante.fr>")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert text.startswith("Bonjour Hélène MULLER,\n")
    assert "Dates : mercredi 25 septembre 2024 et jeudi 26 septembre 2024\n" in text
    assert "Horaires : 9 h 00 – 12 h 30 et 13 h 30 – 17 h 00\n" in text
    assert "Lieu : PRAXIS, 12 rue du Faubourg National, 67000 Strasbourg\n" in text
    assert "Aurore JOANNES (aurore.joannes@opco-sante.fr)" in text
    files = attachments(muller)
    assert sorted(files) == [
        "Convocation - MULLER Hélène.pdf",
        "Fiche technique - La pratique de l'Aller Vers.pdf",
        "Invitation - La pratique de l'Aller Vers - Groupe 1.ics",
    ]
    assert "MULLER" in pdf_text(files["Convocation - MULLER Hélène.pdf"])
    assert "Aller Vers" in pdf_text(files["Fiche technique - La pratique de l'Aller Vers.pdf"])
    events = Calendar.from_ical(
        files["Invitation - La pratique de l'Aller Vers - Groupe 1.ics"]
    ).walk("VEVENT")
    assert len(events) == 4
    assert {str(e.decoded("DTSTART").tzinfo) for e in events} == {"Europe/Paris"}
    # Each message has its own Message-ID.
    assert len({m.message_id for m in composition.messages}) == 3


def test_employer_lists_one_per_employer(database: Database, mail_group: MailGroup) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.EMPLOYER_LIST, mail_group.group_id)
    assert composition.not_reached == ["Sans contact : pas d'adresse de contact"]
    by_to = {str(m.message["To"]): m.message for m in composition.messages}
    assert sorted(by_to) == ["direction@foyer-eloi.fr", "rh@relais-ill.fr"]
    body = by_to["direction@foyer-eloi.fr"].get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Voici les personnes de Foyer Saint-Éloi inscrites" in text
    assert "- KLEIN Amélie\n- WEBER Céline\n" in text  # the one without e-mail is listed too


def test_reminders_carry_the_invitation(database: Database, mail_group: MailGroup) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    assert len(composition.messages) == 3
    names = attachments(composition.messages[0])
    assert list(names) == ["Invitation - La pratique de l'Aller Vers - Groupe 1.ics"]
    assert str(composition.messages[0].message["Subject"]).startswith("Rappel : formation")


def test_certificates_refused_when_none_issued(database: Database, mail_group: MailGroup) -> None:
    with (
        database.session() as session,
        pytest.raises(ServiceError, match="Aucune attestation ni aucun certificat n'a été émis"),
    ):
        compose(session, MailKind.CERTIFICATES, mail_group.group_id)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (Template("", "Bonjour"), "L'objet du message est vide"),
        (Template("Formation {formation}", "Bonjour {age}"), "Champ inconnu {age}"),
    ],
)
def test_template_errors_refuse_the_whole_batch(
    database: Database, mail_group: MailGroup, template: Template, message: str
) -> None:
    with database.session() as session, pytest.raises(ServiceError, match=message):
        compose(session, MailKind.FREE, mail_group.group_id, template)


def test_a_stored_template_with_an_unknown_field_refuses(
    database: Database, mail_group: MailGroup
) -> None:
    with database.transaction() as session:
        session.add(Setting(key="mail.template.convocation.body", value="Bonjour {inconnu}"))
    with database.session() as session, pytest.raises(ServiceError, match="Champ inconnu"):
        compose(session, MailKind.CONVOCATION, mail_group.group_id)


def test_a_missing_value_names_the_recipient(database: Database, mail_group: MailGroup) -> None:
    template = Template("{formation}", "Bonjour {civilite} {nom},\n{participants}")
    with (
        database.session() as session,
        pytest.raises(ServiceError, match=r"Message pour MULLER Hélène : valeur manquante .*"),
    ):
        compose(session, MailKind.FREE, mail_group.group_id, template)


def test_queue_stores_what_was_composed(database: Database, mail_group: MailGroup) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.CONVOCATION, mail_group.group_id)
    with database.transaction() as session:
        ids = queue(session, composition.messages)
    with database.session() as session:
        entries = list_outbox(session, group_id=mail_group.group_id)
        assert [e.id for e in entries] == ids
        assert {e.status for e in entries} == {"pending"}
        first = composition.messages[0]
        stored = stored_message(session, ids[0])
        assert stored["Message-ID"] == first.message_id == entries[0].message_id
        assert sorted(str(part.get_filename()) for part in stored.iter_attachments()) == sorted(
            attachments(first)
        )
        assert entries[0].participant_id == first.participant_id
        assert entries[0].attachments == [a.file_name for a in first.attachments]


def test_queue_is_one_transaction(database: Database, mail_group: MailGroup) -> None:
    with database.session() as session:
        composition = compose(session, MailKind.REMINDER, mail_group.group_id)
    duplicate = composition.messages[0]
    with pytest.raises(IntegrityError), database.transaction() as session:
        queue(session, [*composition.messages, duplicate])  # same Message-ID twice
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_certificates_to_employers_only_issued_ones(attested: Database) -> None:
    from allervers_desktop.db.models import IssuedDocument

    with attested.session() as session:
        composition = compose(session, MailKind.CERTIFICATES, 1)
        numbers = {
            document.enrollment.participant.full_name: document.number
            for document in session.scalars(select(IssuedDocument))
        }
    assert [str(m.message["To"]) for m in composition.messages] == ["rh@relais-ill.fr"]
    assert "Foyer Saint-Éloi : pas d'adresse de contact" in composition.not_reached
    files = attachments(composition.messages[0])
    assert sorted(files) == [
        "Attestation - KLEIN Amélie.pdf",
        "Attestation - MULLER Hélène.pdf",
        "Attestation - SCHMITT Inès.pdf",
        "Attestation - SCHNEIDER Loïc.pdf",
    ]
    assert numbers["MULLER Hélène"] in pdf_text(files["Attestation - MULLER Hélène.pdf"])
    body = composition.messages[0].message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "- MULLER Hélène (Éducatrice spécialisée)" in body.get_content()
