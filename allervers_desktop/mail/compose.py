"""Build the e-mails of a group from the templates, with their attachments, before queuing.

    compose(session, MailKind.CONVOCATION, group_id) -> Composition(messages, not_reached)

1. the template is loaded and checked first: an unknown placeholder or an empty subject
   refuses the whole batch (``ServiceError``) before anything is built;
2. the recipients are gathered: one participant (convocation, reminder, free message; a copy
   to the employer's contact for a convocation) or one employer (list, certificates);
   a person or employer without a valid address is listed in ``not_reached``, not skipped;
3. each message is rendered with the real values (a placeholder used without a value
   refuses, naming the recipient) and gets its attachments, named for what they are:
   « Convocation - MULLER Hélène.pdf », « Fiche technique - … .pdf », « Invitation - … .ics »;
4. the Message-ID is made here, so the outbox keeps it from the first moment."""

from __future__ import annotations

import enum
import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.calendar_export import PARIS, build_calendar, calendar_bytes
from allervers_desktop.clock import session_clock
from allervers_desktop.db.models import (
    DocumentState,
    Employer,
    Enrollment,
    IssuedDocument,
)
from allervers_desktop.documents.canvas import Canvas
from allervers_desktop.documents.gather import (
    convocations,
    course_sheet,
    group_enrollments,
    group_info,
)
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.files.names import safe_file_name
from allervers_desktop.mail.config import is_valid_address, load_mail_settings
from allervers_desktop.mail.templates import Template, TemplateKind, check_template, load_template
from allervers_desktop.mail.templates import render as render_template
from allervers_desktop.mail.values import group_values, people_list, person_values
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import ACTIVE_STATUSES


class MailKind(enum.StrEnum):
    CONVOCATION = "convocation"
    EMPLOYER_LIST = "employer_list"
    REMINDER = "reminder"
    CERTIFICATES = "certificates"
    FREE = "free"


PER_EMPLOYER = {MailKind.EMPLOYER_LIST, MailKind.CERTIFICATES}


@dataclass(frozen=True)
class Attachment:
    file_name: str
    media_type: str  # « application/pdf »
    content: bytes


@dataclass
class ComposedMessage:
    kind: MailKind
    group_id: int
    message: EmailMessage
    participant_id: int | None = None
    employer_id: int | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Composition:
    messages: list[ComposedMessage]
    not_reached: list[str]  # « MULLER Hélène : pas d'adresse électronique »


def _pdf(paint: Callable[[Canvas], None], title: str, stem: str) -> Attachment:
    from allervers_desktop.documents.render import render_pdf_bytes

    data, _pages = render_pdf_bytes(paint, title)
    return Attachment(safe_file_name(stem, ".pdf"), "application/pdf", data)


class _Builder:
    """Shared state of one composition: sender, time, the group and its attachments."""

    def __init__(self, session: Session, kind: MailKind, group_id: int) -> None:
        self.session = session
        self.kind = kind
        self.group_id = group_id
        self.sender = load_mail_settings(session).require_sender()
        self.domain = self.sender.rsplit("@", 1)[1]
        self.now = session_clock(session).now()
        self.group = group_info(session, group_id)
        self.values = group_values(self.group)

    @functools.cached_property
    def invitation(self) -> Attachment:
        calendar = build_calendar(self.session, group_id=self.group_id)
        stem = f"Invitation - {self.group.course.title} - {self.group.label}"
        return Attachment(safe_file_name(stem, ".ics"), "text/calendar", calendar_bytes(calendar))

    @functools.cached_property
    def course_sheet(self) -> Attachment:
        from allervers_desktop.documents.course_sheet import paint_course_sheet

        sheet = course_sheet(self.session, self.group.course.course_id)
        return _pdf(
            functools.partial(paint_course_sheet, sheet=sheet),
            f"Fiche technique – {sheet.course.title}",
            f"Fiche technique - {sheet.course.title}",
        )

    def message(
        self,
        template: Template,
        values: dict[str, str],
        recipient: str,
        to: list[str],
        cc: list[str],
        attachments: list[Attachment],
    ) -> EmailMessage:
        filled = render_template(template, {**self.values, **values}, recipient)
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(to)
        if cc:
            message["Cc"] = ", ".join(cc)
        message["Subject"] = filled.subject
        message["Date"] = format_datetime(self.now.replace(tzinfo=PARIS))
        # Short enough never to be folded: mail programs compare it as one string.
        message["Message-ID"] = f"<{secrets.token_hex(12)}.allervers@{self.domain}>"
        message.set_content(filled.body)
        for attachment in attachments:
            main, sub = attachment.media_type.split("/")
            message.add_attachment(
                attachment.content, maintype=main, subtype=sub, filename=attachment.file_name
            )
        return message


def _template(session: Session, kind: MailKind, template: Template | None) -> Template:
    chosen = template if template is not None else load_template(session, TemplateKind(kind))
    check_template(chosen)
    return chosen


def _recipients_of(builder: _Builder) -> list[Enrollment]:
    """The group's active enrollments; refused when there is none."""
    enrollments = group_enrollments(builder.session, builder.group_id, ACTIVE_STATUSES)
    if not enrollments:
        raise ServiceError(f"Le groupe « {builder.group.title} » n'a aucun participant inscrit.")
    return enrollments


def compose(
    session: Session, kind: MailKind, group_id: int, template: Template | None = None
) -> Composition:
    """The messages of ``kind`` for the group (``template`` overrides the stored one: the
    free message's text). Raises ``ServiceError`` before building anything it refuses."""
    chosen = _template(session, kind, template)
    builder = _Builder(session, kind, group_id)
    enrollments = _recipients_of(builder)
    if kind in PER_EMPLOYER:
        return _per_employer(builder, chosen, enrollments)
    return _per_participant(builder, chosen, enrollments)


def _per_participant(
    builder: _Builder, template: Template, enrollments: list[Enrollment]
) -> Composition:
    letters = {}
    if builder.kind is MailKind.CONVOCATION:
        from allervers_desktop.documents.convocation import paint_convocation

        letters = {
            letter.participant.participant_id: letter
            for letter in convocations(builder.session, builder.group_id)
        }
    result = Composition([], [])
    for enrollment in enrollments:
        person = enrollment.participant
        if not is_valid_address(person.email):
            reason = (
                "adresse électronique invalide" if person.email else "pas d'adresse électronique"
            )
            shown = f" (« {person.email} »)" if person.email else ""
            result.not_reached.append(f"{person.full_name} : {reason}{shown}")
            continue
        assert person.email is not None
        cc: list[str] = []
        attachments: list[Attachment] = []
        if builder.kind is MailKind.CONVOCATION:
            employer = person.employer
            if employer is not None and employer.contact_email:
                if is_valid_address(employer.contact_email):
                    cc.append(employer.contact_email.strip())
                else:
                    result.not_reached.append(
                        f"{employer.name} (copie de {person.full_name}) : adresse de contact "
                        f"invalide (« {employer.contact_email} »)"
                    )
            letter = letters[person.id]
            attachments.append(
                _pdf(
                    functools.partial(paint_convocation, convocation=letter),
                    f"Convocation – {person.full_name}",
                    f"Convocation - {person.full_name}",
                )
            )
            attachments.append(builder.course_sheet)
        if builder.kind in (MailKind.CONVOCATION, MailKind.REMINDER):
            attachments.append(builder.invitation)
        message = builder.message(
            template,
            person_values(person),
            person.full_name,
            [person.email.strip()],
            cc,
            attachments,
        )
        result.messages.append(
            ComposedMessage(
                builder.kind,
                builder.group_id,
                message,
                participant_id=person.id,
                employer_id=person.employer_id,
                attachments=attachments,
            )
        )
    return result


def _certificates_of(builder: _Builder, enrollments: list[Enrollment]) -> list[Attachment]:
    from allervers_desktop.documents.attestation import paint_attestation
    from allervers_desktop.documents.issuing import load_certificate
    from allervers_desktop.documents.realisation import paint_realisation

    documents = builder.session.scalars(
        select(IssuedDocument)
        .where(
            IssuedDocument.enrollment_id.in_([e.id for e in enrollments]),
            IssuedDocument.state == DocumentState.VALID.value,
        )
        .order_by(IssuedDocument.kind, IssuedDocument.number)
    )
    attachments = []
    for document in documents:
        certificate = load_certificate(builder.session, document)
        if certificate is None:
            continue
        if certificate.kind is DocumentKind.ATTESTATION:
            paint: Callable[[Canvas], None] = functools.partial(
                paint_attestation, certificate=certificate
            )
        else:
            paint = functools.partial(paint_realisation, certificate=certificate)
        prefix = certificate.kind.file_prefix
        name = certificate.participant.full_name
        attachments.append(_pdf(paint, f"{prefix} {certificate.number}", f"{prefix} - {name}"))
    return attachments


def _per_employer(
    builder: _Builder, template: Template, enrollments: list[Enrollment]
) -> Composition:
    result = Composition([], [])
    by_employer: dict[int, list[Enrollment]] = {}
    for enrollment in enrollments:
        person = enrollment.participant
        if person.employer_id is None:
            result.not_reached.append(f"{person.full_name} : aucun établissement indiqué")
            continue
        by_employer.setdefault(person.employer_id, []).append(enrollment)
    employers = builder.session.scalars(
        select(Employer)
        .where(Employer.id.in_(by_employer))
        .options(selectinload(Employer.participants))
        .order_by(Employer.name, Employer.id)
    )
    any_certificate = False
    for employer in employers:
        staff = by_employer[employer.id]
        if not is_valid_address(employer.contact_email):
            reason = (
                "adresse de contact invalide"
                if employer.contact_email
                else ("pas d'adresse de contact")
            )
            shown = f" (« {employer.contact_email} »)" if employer.contact_email else ""
            result.not_reached.append(f"{employer.name} : {reason}{shown}")
            continue
        attachments: list[Attachment] = []
        if builder.kind is MailKind.CERTIFICATES:
            attachments = _certificates_of(builder, staff)
            if not attachments:
                result.not_reached.append(
                    f"{employer.name} : aucune attestation ni aucun certificat émis"
                )
                continue
            any_certificate = True
        values = {"etablissement": employer.name, "participants": people_list(staff)}
        message = builder.message(
            template, values, employer.name, [employer.contact_email.strip()], [], attachments
        )
        result.messages.append(
            ComposedMessage(
                builder.kind,
                builder.group_id,
                message,
                employer_id=employer.id,
                attachments=attachments,
            )
        )
    if builder.kind is MailKind.CERTIFICATES and not any_certificate and not result.messages:
        issued = builder.session.scalar(
            select(IssuedDocument.id).where(
                IssuedDocument.enrollment_id.in_([e.id for e in enrollments]),
                IssuedDocument.state == DocumentState.VALID.value,
            )
        )
        if issued is None:
            raise ServiceError(
                f"Aucune attestation ni aucun certificat n'a été émis pour « "
                f"{builder.group.title} » : émettez-les d'abord (Documents), puis envoyez-les."
            )
    return result


@dataclass(frozen=True)
class TextPreview:
    recipient: str  # « MULLER Hélène », « EHPAD Les Tilleuls »
    subject: str
    body: str


def preview_text(
    session: Session, kind: MailKind, group_id: int, template: Template
) -> TextPreview:
    """The template filled with the real values of the group's first recipient, without
    building attachments (the template editor's preview). Raises like ``compose``."""
    check_template(template)
    builder = _Builder(session, kind, group_id)
    enrollments = _recipients_of(builder)
    if kind in PER_EMPLOYER:
        employers = [e.participant.employer for e in enrollments if e.participant.employer]
        if not employers:
            raise ServiceError(
                f"Aucun participant de « {builder.group.title} » n'a d'établissement indiqué."
            )
        # The first one the message would reach, as the preview of what goes out.
        employer = next((e for e in employers if is_valid_address(e.contact_email)), employers[0])
        staff = [e for e in enrollments if e.participant.employer_id == employer.id]
        values = {"etablissement": employer.name, "participants": people_list(staff)}
        recipient = employer.name
    else:
        people = [e.participant for e in enrollments]
        first = next((p for p in people if is_valid_address(p.email)), people[0])
        values = person_values(first)
        recipient = first.full_name
    filled = render_template(template, {**builder.values, **values}, recipient)
    return TextPreview(recipient, filled.subject, filled.body)
