"""Sending to a real SMTP server (aiosmtpd on 127.0.0.1): at most once, French failures."""

from __future__ import annotations

import io
import ssl
import threading
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from allervers_desktop.db.database import Database
from allervers_desktop.mail.compose import MailKind, compose
from allervers_desktop.mail.config import MailSettings, Security
from allervers_desktop.mail.outbox import list_outbox, queue, resend, retry_failed
from allervers_desktop.mail.smtp import SmtpError, send_pending
from tests.unit.mail.conftest import PASSWORD, SENDER, USER, MailGroup, SmtpServer


def queued(database: Database, group_id: int, kind: MailKind = MailKind.CONVOCATION) -> list[int]:
    with database.session() as session:
        composition = compose(session, kind, group_id)
    with database.transaction() as session:
        return queue(session, composition.messages)


def statuses(database: Database) -> list[str]:
    with database.session() as session:
        return [entry.status for entry in list_outbox(session)]


def test_convocations_received_as_composed(
    database: Database, mail_group: MailGroup, smtp_server: SmtpServer
) -> None:
    ids = queued(database, mail_group.group_id)
    report = send_pending(database, smtp_server.settings(), None)
    assert (report.sent, report.failed, report.pending) == (ids, [], 0)
    assert statuses(database) == ["sent"] * 3
    received = {r.recipients[0]: r for r in smtp_server.mailbox.received}
    muller = received["helene.muller@exemple.fr"]
    assert muller.sender == SENDER
    assert muller.recipients == ["helene.muller@exemple.fr", "rh@relais-ill.fr"]
    message = muller.message
    assert message["Subject"] == "Convocation : La pratique de l'Aller Vers (Groupe 1 – Strasbourg)"
    assert message["Cc"] == "rh@relais-ill.fr"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "Vous êtes inscrit(e) à la formation « La pratique de l'Aller Vers »." in (
        body.get_content()
    )
    files = {str(part.get_filename()): part.get_content() for part in message.iter_attachments()}
    reader = PdfReader(io.BytesIO(files["Convocation - MULLER Hélène.pdf"]))
    assert "MULLER" in "".join(page.extract_text() for page in reader.pages)
    invitation = Calendar.from_ical(
        files["Invitation - La pratique de l'Aller Vers - Groupe 1.ics"]
    )
    assert len(invitation.walk("VEVENT")) == 4
    with database.session() as session:
        log = list_outbox(
            session, statuses=["sent"], participant_id=mail_group.participants["MULLER"]
        )
    assert len(log) == 1 and log[0].sent_at is not None and log[0].attempts == 1
    assert log[0].message_id == str(message["Message-ID"])


def test_a_refused_recipient_is_kept_in_french(
    database: Database, mail_group: MailGroup, smtp_server: SmtpServer
) -> None:
    smtp_server.mailbox.refuse.add("loic.schneider@exemple.fr")
    queued(database, mail_group.group_id, MailKind.REMINDER)
    report = send_pending(database, smtp_server.settings(), None)
    assert len(report.sent) == 2
    assert [reason for _, reason in report.failed] == [
        "Destinataire refusé par le serveur : loic.schneider@exemple.fr "
        "(550 5.1.1 Mailbox unavailable)."
    ]
    with database.session() as session:
        failed = list_outbox(session, statuses=["failed"])
    assert [e.to for e in failed] == ["loic.schneider@exemple.fr"]
    assert failed[0].last_error.startswith("Destinataire refusé par le serveur")
    assert sorted(r.recipients[0] for r in smtp_server.mailbox.received) == [
        "celine.weber@exemple.fr",
        "helene.muller@exemple.fr",
    ]


def test_server_stopped_mid_batch_then_retry_sends_each_once(
    database: Database, mail_group: MailGroup, smtp_server: SmtpServer
) -> None:
    queued(database, mail_group.group_id, MailKind.REMINDER)
    queued(database, mail_group.group_id, MailKind.REMINDER)  # six messages

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            smtp_server.stop()

    report = send_pending(database, smtp_server.settings(), None, progress=stop_after_two)
    assert len(report.sent) == 2
    assert len(report.failed) == 1
    assert report.pending == 3
    assert "a été coupée" in report.stopped or "refuse la connexion" in report.stopped
    assert statuses(database) == ["sent", "sent", "failed", "pending", "pending", "pending"]

    # Server down: nothing changes, the messages wait.
    with pytest.raises(SmtpError, match="refuse la connexion"):
        send_pending(database, smtp_server.settings(), None)
    assert statuses(database).count("pending") == 3

    smtp_server.start()
    with database.transaction() as session:
        assert retry_failed(session) == 1
    report = send_pending(database, smtp_server.settings(), None)
    assert len(report.sent) == 4
    assert statuses(database) == ["sent"] * 6
    ids = smtp_server.mailbox.message_ids()
    assert len(ids) == 6 == len(set(ids))


def test_interrupted_message_is_never_resent_by_itself(
    database: Database, mail_group: MailGroup, smtp_server: SmtpServer
) -> None:
    """A crash after the hand-over leaves the message « sending »: skipped until the user
    puts it back."""
    ids = queued(database, mail_group.group_id, MailKind.REMINDER)
    from allervers_desktop.db.models import OutboxMessage

    with database.transaction() as session:
        row = session.get(OutboxMessage, ids[0])
        assert row is not None
        row.status = "sending"  # as a killed process leaves it
    report = send_pending(database, smtp_server.settings(), None)
    assert report.sent == ids[1:]
    with database.session() as session:
        interrupted = list_outbox(session, statuses=["sending"])
    assert [e.id for e in interrupted] == [ids[0]]
    assert interrupted[0].status_label == "envoi interrompu (à vérifier)"
    with database.transaction() as session:
        assert retry_failed(session) == 0
        resend(session, ids[0])
    assert send_pending(database, smtp_server.settings(), None).sent == [ids[0]]
    assert len(smtp_server.mailbox.received) == 3


def test_cancel_leaves_the_rest_pending(
    database: Database, mail_group: MailGroup, smtp_server: SmtpServer
) -> None:
    queued(database, mail_group.group_id, MailKind.REMINDER)
    cancel = threading.Event()

    def cancel_after_one(done: int, total: int) -> None:
        if done == 1:
            cancel.set()

    report = send_pending(
        database, smtp_server.settings(), None, cancel=cancel, progress=cancel_after_one
    )
    # The progress of message 2 is reported before the cancel is checked (the window's
    # progress report is where its « Annuler » arrives): message 2 is not taken.
    assert report.cancelled
    assert len(report.sent) == 1
    assert report.pending == 2
    assert statuses(database) == ["sent", "pending", "pending"]


def test_connection_refused_in_french(database: Database, mail_group: MailGroup) -> None:
    from tests.unit.mail.conftest import free_port

    queued(database, mail_group.group_id, MailKind.REMINDER)
    settings = MailSettings(SENDER, "127.0.0.1", free_port(), Security.NONE)
    with pytest.raises(SmtpError, match=r"Le serveur 127\.0\.0\.1:\d+ refuse la connexion"):
        send_pending(database, settings, None)
    assert statuses(database) == ["pending"] * 3


def _client_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def test_starttls_and_login(
    database: Database,
    mail_group: MailGroup,
    starttls_server: SmtpServer,
    certificate: tuple[Path, Path],
) -> None:
    queued(database, mail_group.group_id, MailKind.REMINDER)
    settings = starttls_server.settings(smtp_security=Security.STARTTLS, smtp_user=USER)
    with pytest.raises(SmtpError, match=f"a refusé l'identifiant « {USER} » ou son mot de passe"):
        send_pending(database, settings, "faux", context=_client_context(certificate))
    assert statuses(database) == ["pending"] * 3
    report = send_pending(database, settings, PASSWORD, context=_client_context(certificate))
    assert len(report.sent) == 3
    assert starttls_server.mailbox.logins == [USER]
    assert len(starttls_server.mailbox.received) == 3


@pytest.mark.logs_errors  # the server logs the handshake the client broke off
def test_an_unknown_certificate_is_refused_in_french(
    database: Database,
    mail_group: MailGroup,
    starttls_server: SmtpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    queued(database, mail_group.group_id, MailKind.REMINDER)
    settings = starttls_server.settings(smtp_security=Security.STARTTLS, smtp_user=USER)
    with pytest.raises(SmtpError, match="certificat du serveur non reconnu"):
        send_pending(database, settings, PASSWORD)  # the system's authorities only
    assert statuses(database) == ["pending"] * 3
    assert starttls_server.mailbox.received == []


def test_process_killed_mid_batch_sends_nothing_twice(
    database: Database, mail_group: MailGroup, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    """A real ``allervers outbox --send`` killed while the server holds the second message:
    the first is sent, the second stays « sending » (it may have arrived: it did), the
    third pending; the next send sends only the third."""
    import os
    import signal
    import subprocess
    import sys

    from allervers_desktop.mail.config import save_mail_settings

    ids = queued(database, mail_group.group_id, MailKind.REMINDER)
    with database.transaction() as session:
        save_mail_settings(session, smtp_server.settings())
    mailbox = smtp_server.mailbox
    mailbox.hold_at = 2
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"))
    env.pop("ALLERVERS_DB", None)
    root = Path(__file__).resolve().parents[3]
    child = subprocess.Popen(
        [sys.executable, "-m", "allervers_desktop", "--db", database.target, "outbox", "--send"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert mailbox.held.wait(timeout=120), "the second message never reached the server"
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    mailbox.release.set()  # the server takes the message whose sender died
    assert statuses(database) == ["sent", "sending", "pending"]
    report = send_pending(database, smtp_server.settings(), None)
    assert report.sent == [ids[2]]
    assert statuses(database) == ["sent", "sending", "sent"]
    received = mailbox.message_ids()
    assert len(received) == len(set(received))
    with database.session() as session:
        by_id = {e.id: e.message_id for e in list_outbox(session)}
    assert by_id[ids[0]] in received and by_id[ids[2]] in received


def test_a_silent_server_times_out_in_french(database: Database, mail_group: MailGroup) -> None:
    """A port that accepts the connection but never greets."""
    import socket

    queued(database, mail_group.group_id, MailKind.REMINDER)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        settings = MailSettings(SENDER, "127.0.0.1", port, Security.NONE)
        with pytest.raises(SmtpError, match=r"ne répond pas \(délai dépassé\)"):
            send_pending(database, settings, None, timeout=0.2)
    assert statuses(database) == ["pending"] * 3


def test_ssl_to_a_plain_server_is_a_tls_failure(
    database: Database, mail_group: MailGroup, smtp_server: SmtpServer
) -> None:
    queued(database, mail_group.group_id, MailKind.REMINDER)
    with pytest.raises(SmtpError, match=r"La connexion chiffrée \(TLS\) avec 127\.0\.0\.1"):
        send_pending(database, smtp_server.settings(smtp_security=Security.SSL), None)
    assert statuses(database) == ["pending"] * 3
    assert smtp_server.mailbox.received == []


def test_ssl_and_login(
    database: Database,
    mail_group: MailGroup,
    ssl_server: SmtpServer,
    certificate: tuple[Path, Path],
) -> None:
    ids = queued(database, mail_group.group_id, MailKind.REMINDER)
    settings = ssl_server.settings(smtp_security=Security.SSL, smtp_user=USER)
    report = send_pending(database, settings, PASSWORD, context=_client_context(certificate))
    assert report.sent == ids
    assert ssl_server.mailbox.logins == [USER]
    assert len(ssl_server.mailbox.received) == 3
