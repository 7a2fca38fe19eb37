"""Send the outbox over SMTP (smtplib), each message at most once.

The rule, per message, in this order:

1. its own transaction turns it from ``pending`` to ``sending`` (attempts + 1) and commits;
   a message another instance already took (no longer ``pending``) is left alone;
2. the message stored at queue time is handed to the server, bytes unchanged;
3. only the server's 250 answer to the end of the message makes it ``sent`` (with
   ``sent_at``), in a second transaction; any refusal or lost connection before that answer
   makes it ``failed`` with the server's answer in French (the server has not taken it:
   retrying is safe, and the Message-ID stays the same).

A crash (process killed, power cut) between 1 and 3 leaves that one message ``sending``:
it may or may not have been delivered, so it is never sent again by itself; the outbox shows
it « envoi interrompu (à vérifier) » and ``outbox.resend`` puts it back when the user has
checked. The others are untouched (``pending``): nothing lost, nothing sent twice.
A lost connection stops the batch (the rest stays pending); cancelling (``cancel`` set)
stops before the next message, never in the middle of one."""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select, update

from allervers_desktop.clock import session_clock
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import OutboxMessage, OutboxStatus
from allervers_desktop.mail.config import MailSettings, Security
from allervers_desktop.services.errors import ServiceError

Progress = Callable[[int, int], None]  # (done, total)


class SmtpError(ServiceError):
    """The server could not be used at all (nothing was sent)."""


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    pending: int = 0  # left pending (stopped, cancelled)
    cancelled: bool = False
    stopped: str = ""  # why the batch stopped early (French), empty when it did not


def _answer(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}".strip()


def explain(exc: BaseException, settings: MailSettings) -> str:
    """A French sentence for a failure of smtplib or of the connection."""
    where = f"{settings.smtp_host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"Le serveur {where} a refusé l'identifiant « {settings.smtp_user} » ou son mot de "
            f"passe (réponse : {_answer(exc.smtp_code, exc.smtp_error)})."
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address} ({_answer(code, text)})" for address, (code, text) in exc.recipients.items()
        )
        return f"Destinataire refusé par le serveur : {refused}."
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (
            f"Le serveur refuse l'adresse d'expéditeur {exc.sender} "
            f"(réponse : {_answer(exc.smtp_code, exc.smtp_error)})."
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (
            f"Le serveur {where} ne propose pas ce mode ({exc}) : choisissez une autre sécurité "
            "(starttls, ssl ou none) ou un autre port."
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if isinstance(exc.__context__, TimeoutError):  # smtplib turns a timeout into this
            return f"Le serveur {where} ne répond pas (délai dépassé)."
        return f"La connexion avec le serveur {where} a été coupée pendant l'envoi."
    if isinstance(exc, smtplib.SMTPResponseException):
        return (
            f"Message refusé par le serveur (réponse : {_answer(exc.smtp_code, exc.smtp_error)})."
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (
            f"La connexion chiffrée avec {where} a échoué : certificat du serveur non reconnu "
            f"({exc.verify_message})."
        )
    if isinstance(exc, ssl.SSLError):
        return (
            f"La connexion chiffrée (TLS) avec {where} a échoué : vérifiez la sécurité choisie "
            "(ssl pour le port 465, starttls pour le port 587)."
        )
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"Le serveur {where} refuse la connexion (serveur arrêté, ou adresse ou port erroné)."
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"Le serveur {where} ne répond pas (délai dépassé)."
    if isinstance(exc, socket.gaierror):
        return f"Serveur inconnu : « {settings.smtp_host} » (vérifiez son nom et le réseau)."
    if isinstance(exc, OSError):
        return f"La connexion au serveur {where} a échoué : {exc.strerror or exc}."
    return f"L'envoi a échoué : {exc}."


def connect(
    settings: MailSettings,
    password: str | None,
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = 30,
) -> smtplib.SMTP:
    """An open, authenticated connection; ``SmtpError`` (French) when it cannot be had."""
    settings.require_server()
    context = context or ssl.create_default_context()
    client: smtplib.SMTP | None = None
    try:
        if settings.smtp_security is Security.SSL:
            client = smtplib.SMTP_SSL(
                settings.smtp_host, settings.port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.port, timeout=timeout)
        client.ehlo()
        if settings.smtp_security is Security.STARTTLS:
            client.starttls(context=context)
            client.ehlo()
        if settings.smtp_user:
            client.login(settings.smtp_user, password or "")
    except (smtplib.SMTPException, OSError) as exc:
        if client is not None:
            _close(client)
        raise SmtpError(explain(exc, settings)) from exc
    return client


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _take(database: Database, message_id: int) -> OutboxMessage | None:
    """Step 1: pending -> sending, committed; None when another sender took it."""
    with database.transaction() as session:
        taken = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
            .values(status=OutboxStatus.SENDING.value, attempts=OutboxMessage.attempts + 1)
        )
        if not taken.rowcount:  # type: ignore[attr-defined]
            return None
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        session.expunge(row)
        return row


def _finish(database: Database, message_id: int, status: OutboxStatus, error: str) -> None:
    with database.transaction() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        row.status = status.value
        row.last_error = error
        if status is OutboxStatus.SENT:
            row.sent_at = session_clock(session).now()


def pending_ids(database: Database, ids: list[int] | None = None) -> list[int]:
    with database.session() as session:
        stmt = select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.PENDING.value)
        if ids is not None:
            stmt = stmt.where(OutboxMessage.id.in_(ids))
        return list(session.scalars(stmt.order_by(OutboxMessage.id)))


def send_pending(
    database: Database,
    settings: MailSettings,
    password: str | None,
    *,
    ids: list[int] | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
    context: ssl.SSLContext | None = None,
    timeout: float = 30,
) -> SendReport:
    """Send the pending messages (those of ``ids`` only, when given), by the rule above."""
    todo = pending_ids(database, ids)
    report = SendReport()
    if not todo:
        return report
    client = connect(settings, password, context=context, timeout=timeout)
    try:
        for done, message_id in enumerate(todo):
            if progress is not None:  # first: the window's progress report may set ``cancel``
                progress(done, len(todo))
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                report.pending = len(todo) - done
                break
            row = _take(database, message_id)
            if row is None:
                continue
            recipients = [
                address.strip()
                for address in f"{row.to_addresses},{row.cc_addresses}".split(",")
                if address.strip()
            ]
            try:
                refused = client.sendmail(row.sender, recipients, row.content)
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
                _stop(database, report, message_id, explain(exc, settings), len(todo) - done - 1)
                break
            except smtplib.SMTPException as exc:  # refused by the server: go on
                reason = explain(exc, settings)
                _finish(database, message_id, OutboxStatus.FAILED, reason)
                report.failed.append((message_id, reason))
                _reset(client)
                continue
            except OSError as exc:  # the connection broke (smtplib's errors are OSErrors too)
                _stop(database, report, message_id, explain(exc, settings), len(todo) - done - 1)
                break
            note = ""
            if refused:
                note = explain(smtplib.SMTPRecipientsRefused(refused), settings)
            _finish(database, message_id, OutboxStatus.SENT, note)
            report.sent.append(message_id)
        else:
            if progress is not None:
                progress(len(todo), len(todo))
    finally:
        _close(client)
    return report


def _stop(database: Database, report: SendReport, message_id: int, reason: str, left: int) -> None:
    _finish(database, message_id, OutboxStatus.FAILED, reason)
    report.failed.append((message_id, reason))
    report.pending = left
    report.stopped = reason


def _reset(client: smtplib.SMTP) -> None:
    """After a refused message, the session goes on with the next one."""
    with contextlib.suppress(smtplib.SMTPException, OSError):
        client.rset()


def send_test_message(
    settings: MailSettings,
    password: str | None,
    to: str = "",
    *,
    context: ssl.SSLContext | None = None,
    timeout: float = 30,
) -> str:
    """« Envoyer un message de test » to ``to`` (the sender's own address by default),
    straight to the server, not through the outbox; returns the address written to."""
    from email.message import EmailMessage

    sender = settings.require_sender()
    recipient = to or sender
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = "Message de test d'Allervers"
    message.set_content(
        "Bonjour,\n\nCe message confirme que l'envoi de courriels depuis Allervers "
        f"fonctionne avec le serveur {settings.smtp_host}:{settings.port}.\n"
    )
    client = connect(settings, password, context=context, timeout=timeout)
    try:
        client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise SmtpError(explain(exc, settings)) from exc
    finally:
        _close(client)
    return recipient
