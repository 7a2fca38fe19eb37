"""The outbox: composed messages stored whole, listed, retried; the sent log comes from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from allervers_desktop.clock import session_clock
from allervers_desktop.db.models import OutboxMessage, OutboxStatus
from allervers_desktop.mail.compose import ComposedMessage
from allervers_desktop.services.errors import NotFoundError, ServiceError

STATUS_LABELS = {
    OutboxStatus.PENDING.value: "en attente",
    OutboxStatus.SENDING.value: "envoi interrompu (à vérifier)",
    OutboxStatus.SENT.value: "envoyé",
    OutboxStatus.FAILED.value: "échec",
}


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire (CRLF line ends)."""
    return message.as_bytes(policy=policy.SMTP)


def parse_message(content: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(content)
    assert isinstance(parsed, EmailMessage)
    return parsed


def queue(session: Session, messages: Iterable[ComposedMessage]) -> list[int]:
    """Put the messages in the outbox (inside the caller's transaction: one for the batch)."""
    now = session_clock(session).now()
    rows = []
    for composed in messages:
        message = composed.message
        row = OutboxMessage(
            kind=composed.kind.value,
            group_id=composed.group_id,
            participant_id=composed.participant_id,
            employer_id=composed.employer_id,
            message_id=composed.message_id,
            sender=str(message["From"]),
            to_addresses=str(message["To"]),
            cc_addresses=str(message["Cc"] or ""),
            subject=str(message["Subject"]),
            body=_text_body(message),
            attachment_names="\n".join(a.file_name for a in composed.attachments),
            content=message_bytes(message),
            status=OutboxStatus.PENDING.value,
            attempts=0,
            last_error="",
            queued_at=now,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return [row.id for row in rows]


def _text_body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return str(part.get_content()) if part is not None else ""


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    kind: str
    group_id: int | None
    participant_id: int | None
    employer_id: int | None
    to: str
    cc: str
    subject: str
    attachments: list[str]
    status: str
    attempts: int
    last_error: str
    queued_at: dt.datetime
    sent_at: dt.datetime | None
    message_id: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "group_id": self.group_id,
            "participant_id": self.participant_id,
            "employer_id": self.employer_id,
            "to": self.to,
            "cc": self.cc,
            "subject": self.subject,
            "attachments": self.attachments,
            "status": self.status,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "queued_at": self.queued_at.isoformat(),
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
            "message_id": self.message_id,
        }


def _entry(row: OutboxMessage) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        kind=row.kind,
        group_id=row.group_id,
        participant_id=row.participant_id,
        employer_id=row.employer_id,
        to=row.to_addresses,
        cc=row.cc_addresses,
        subject=row.subject,
        attachments=[name for name in row.attachment_names.split("\n") if name],
        status=row.status,
        attempts=row.attempts,
        last_error=row.last_error,
        queued_at=row.queued_at,
        sent_at=row.sent_at,
        message_id=row.message_id,
    )


def list_outbox(
    session: Session,
    *,
    statuses: Iterable[str] | None = None,
    group_id: int | None = None,
    participant_id: int | None = None,
) -> list[OutboxEntry]:
    """The outbox (or the sent log with ``statuses=["sent"]``), oldest first."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if statuses is not None:
        stmt = stmt.where(OutboxMessage.status.in_(list(statuses)))
    if group_id is not None:
        stmt = stmt.where(OutboxMessage.group_id == group_id)
    if participant_id is not None:
        stmt = stmt.where(OutboxMessage.participant_id == participant_id)
    return [_entry(row) for row in session.scalars(stmt)]


def retry_failed(session: Session, message_ids: Iterable[int] | None = None) -> int:
    """Failed messages (of ``message_ids`` only, when given) back to pending; returns how many
    (interrupted ones are not: they may have been delivered, see ``resend``)."""
    stmt = update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED.value)
    if message_ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(list(message_ids)))
    result = session.execute(stmt.values(status=OutboxStatus.PENDING.value))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def resend(session: Session, message_id: int) -> None:
    """Put one failed or interrupted message back to pending, after the user checked it was
    not received (the same Message-ID lets most mail programs drop a duplicate)."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFoundError("message", message_id)
    if row.status == OutboxStatus.SENT.value:
        raise ServiceError(
            f"Le message n° {message_id} a déjà été envoyé le {row.sent_at:%d/%m/%Y à %H:%M}."
        )
    row.status = OutboxStatus.PENDING.value
    session.flush()


def stored_message(session: Session, message_id: int) -> EmailMessage:
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFoundError("message", message_id)
    return parse_message(row.content)


def discard(session: Session, message_ids: Iterable[int]) -> int:
    """Take unsent messages out of the outbox (pending or failed); sent and interrupted ones
    stay, since they may have been delivered (the log keeps them). Returns how many went."""
    ids = list(message_ids)
    kept = session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status.in_([OutboxStatus.SENT.value, OutboxStatus.SENDING.value]),
        )
    ).all()
    if kept:
        raise ServiceError(
            f"{len(kept)} message(s) sélectionné(s) ont été envoyés ou sont en cours d'envoi : "
            "ils restent dans le journal. Sélectionnez seulement des messages en attente ou "
            "en échec."
        )
    result = session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
