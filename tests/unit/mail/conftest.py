"""Mail tests: a real SMTP server (aiosmtpd) on 127.0.0.1 and a group to write to."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.mail.config import MailSettings, Security, save_mail_settings
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.groups import DayData, GroupData, create_group
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.services.trainers import TrainerData, create_trainer

SENDER = "coordination@opco-sante.fr"


@pytest.fixture(autouse=True)
def gui(qapp: Any) -> Iterator[None]:
    """A QApplication (pytest-qt) exists before the attachments' PDFs are painted."""
    from allervers_desktop.documents.fonts import prepare_fonts

    prepare_fonts()
    yield


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """What the server accepted; ``refuse`` holds addresses answered 550."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    logins: list[str] = field(default_factory=list)
    hold_at: int = 0  # the n-th message (1-based) waits for ``release`` before its answer
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if self.hold_at and len(self.received) + 1 == self.hold_at:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
        parsed = BytesParser(policy=policy.default).parsebytes(content)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [str(r.message["Message-ID"]) for r in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int
    start: Callable[[], None]
    stop: Callable[[], None]

    def settings(self, **changes: Any) -> MailSettings:
        values: dict[str, Any] = {
            "sender": SENDER,
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_security": Security.NONE,
        }
        values.update(changes)
        return MailSettings(**values)


def _server(make: Callable[[Mailbox, int], Controller]) -> Iterator[SmtpServer]:
    mailbox = Mailbox()
    port = free_port()
    running: list[Controller] = []

    def start() -> None:
        controller = make(mailbox, port)
        controller.start()
        running.append(controller)

    def stop() -> None:
        mailbox.release.set()  # a held message must not keep the server from stopping
        while running:
            running.pop().stop()

    start()
    try:
        yield SmtpServer(mailbox, port, start, stop)
    finally:
        stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server, no TLS, no login."""
    yield from _server(lambda mailbox, port: Controller(mailbox, hostname="127.0.0.1", port=port))


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with openssl."""
    cert, key = tmp_path / "server.crt", tmp_path / "server.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


USER, PASSWORD = "coordination", "s3cret-Opco"


def _authenticate(mailbox: Mailbox) -> Callable[..., AuthResult]:
    def authenticator(
        server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        ):
            mailbox.logins.append(USER)
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    return authenticator


@pytest.fixture
def starttls_server(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """STARTTLS required, then a login (LOGIN or PLAIN) checked against USER/PASSWORD."""
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    yield from _server(
        lambda mailbox, port: Controller(
            mailbox,
            hostname="127.0.0.1",
            port=port,
            tls_context=context,
            require_starttls=True,
            authenticator=_authenticate(mailbox),
            auth_required=True,
        )
    )


@pytest.fixture
def ssl_server(certificate: tuple[Path, Path]) -> Iterator[SmtpServer]:
    """TLS from the first byte (« ssl », port 465 style), then a login."""
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    yield from _server(
        lambda mailbox, port: Controller(
            mailbox,
            hostname="127.0.0.1",
            port=port,
            ssl_context=context,
            server_hostname="127.0.0.1",
            authenticator=_authenticate(mailbox),
            auth_require_tls=False,  # aiosmtpd only counts STARTTLS; this one is TLS throughout
        )
    )


@dataclass(frozen=True)
class MailGroup:
    group_id: int
    participants: dict[str, int]  # last name -> id
    employers: dict[str, int]


@pytest.fixture
def mail_group(database: Database) -> MailGroup:
    """« Groupe 1 – Strasbourg » in September 2024 (after the tests' « now »): three people of
    two employers with contacts, one without e-mail and one with an invalid one."""
    with database.transaction() as session:
        save_mail_settings(session, MailSettings(sender=SENDER))
        course = create_course(
            session,
            CourseData(
                title="La pratique de l'Aller Vers",
                opco_name="Opco Santé",
                opco_contact_name="Aurore JOANNES",
                opco_contact_email="aurore.joannes@opco-sante.fr",
            ),
        )
        trainer = create_trainer(session, TrainerData(first_name="Chantal", last_name="CORNIER"))
        group = create_group(
            session,
            GroupData(
                course_id=course.id,
                label="Groupe 1",
                city="Strasbourg",
                venue_address="PRAXIS, 12 rue du Faubourg National, 67000 Strasbourg",
                days=[DayData(dt.date(2024, 9, 25)), DayData(dt.date(2024, 9, 26))],
                trainer_ids=[trainer.id],
            ),
        )
        people = {
            "MULLER": ("Hélène", "Mme", "helene.muller@exemple.fr", "Relais de l'Ill"),
            "SCHNEIDER": ("Loïc", "M.", "loic.schneider@exemple.fr", "Relais de l'Ill"),
            "WEBER": ("Céline", "Mme", "celine.weber@exemple.fr", "Foyer Saint-Éloi"),
            "KLEIN": ("Amélie", "Mme", "", "Foyer Saint-Éloi"),
            "HOFFMANN": ("François", "M.", "", "Sans contact"),
        }
        ids: dict[str, int] = {}
        for last, (first, civility, email, employer) in people.items():
            participant = create_participant(
                session,
                ParticipantData(
                    last_name=last,
                    first_name=first,
                    civility=civility,
                    email=email,
                    employer_name=employer,
                    employer_city="Strasbourg",
                ),
            )
            enroll(session, group.id, participant.id)
            ids[last] = participant.id
        from allervers_desktop.db.models import Participant

        hoffmann = session.get(Participant, ids["HOFFMANN"])
        assert hoffmann is not None
        hoffmann.email = "francois.hoffmann@"  # as it came from a spreadsheet
        employers: dict[str, int] = {}
        for last in ("MULLER", "WEBER", "HOFFMANN"):
            person = session.get(Participant, ids[last])
            assert person is not None and person.employer is not None
            employers[person.employer.name] = person.employer.id
            if person.employer.name == "Relais de l'Ill":
                person.employer.contact_email = "rh@relais-ill.fr"
            elif person.employer.name == "Foyer Saint-Éloi":
                person.employer.contact_email = "direction@foyer-eloi.fr"
        return MailGroup(group.id, ids, employers)


@pytest.fixture
def attested(demo_database: Database) -> Database:
    """The example group 1 after the session: everyone present, attestations issued; the
    employer « Association Le Relais de l'Ill » has a contact, the others not."""
    from allervers_desktop.db.models import Employer
    from allervers_desktop.documents.batch import DocumentRequest, prepare_documents
    from allervers_desktop.documents.model import DocumentKind
    from allervers_desktop.services import attendance
    from allervers_desktop.services.settings import DocumentIdentity, save_identity

    with demo_database.transaction() as session:
        save_mail_settings(session, MailSettings(sender=SENDER))
        save_identity(
            session,
            DocumentIdentity(
                organisation_name="Opco Santé – Délégation Grand Est",
                signatory_name="Aurore JOANNES",
                city="Strasbourg",
            ),
        )
        relais = session.scalars(
            select(Employer).where(Employer.name == "Association Le Relais de l'Ill")
        ).one()
        relais.contact_email = "rh@relais-ill.fr"
        attendance.mark_all(session, 1)
    with demo_database.transaction() as session:
        prepare_documents(
            session,
            DocumentRequest(DocumentKind.ATTESTATION, group_id=1, issued_on=dt.date(2023, 9, 27)),
        )
    return demo_database
