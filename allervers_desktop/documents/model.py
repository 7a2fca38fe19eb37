"""Plain data printed on documents: no Qt, no database; safe to hand to a worker thread."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from allervers_desktop.formatting import (
    ACTION_NATURE_LABELS,
    gendered,
    short_date,
)
from allervers_desktop.services.attendance import CellState, HalfDayColumn
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.providers import ProviderData
from allervers_desktop.services.settings import DocumentIdentity

CIVILITY_WORDS = {"Mme": "Madame", "M.": "Monsieur"}


class DocumentError(ServiceError):
    """A document cannot be produced; ``message`` says why, in French."""


class DocumentKind(enum.StrEnum):
    """The printed documents; the value is the command-line name."""

    SIGNIN = "signin"
    ATTESTATION = "attestation"
    REALISATION = "realisation"
    CONVOCATION = "convocation"
    COURSE_SHEET = "course-sheet"

    @property
    def label(self) -> str:
        """« Feuille d'émargement »…, for menus and titles."""
        return KIND_LABELS[self]

    @property
    def file_prefix(self) -> str:
        """Start of the file name of one participant's document."""
        return FILE_PREFIXES[self]

    @property
    def is_certificate(self) -> bool:
        """Numbered and recorded in the certificate log."""
        return self in (DocumentKind.ATTESTATION, DocumentKind.REALISATION)

    @property
    def issuer(self) -> Issuer:
        """Whose document it is: see ``ISSUERS``."""
        return ISSUERS[self]

    @property
    def per_participant(self) -> bool:
        return self in (
            DocumentKind.ATTESTATION,
            DocumentKind.REALISATION,
            DocumentKind.CONVOCATION,
        )


class Issuer(enum.StrEnum):
    """Who issues a document: its letterhead, its signatory, its « Fait à »."""

    PROVIDER = "provider"  # the training provider (organisme de formation, dispensateur)
    OPCO = "opco"  # the Opco, with the identity of « Paramètres », for the provider
    BOTH = "both"  # the Opco's sheet naming the provider (sign-in sheet)


# The one place that says whose document each kind is. The certificat de réalisation is
# « établi par le dispensateur de l'action » (arrêté du 21 décembre 2018) and the attestation de
# fin de formation is delivered by the provider (Code du travail, L6353-1): both carry the
# provider's identity, NDA and SIRET and its legal representative's signature; the Opco only
# appears as the financer. The convocation is sent by the Opco, which organises the session for
# the provider; the sign-in sheet is kept by both. The course sheet is the Opco's catalogue page.
ISSUERS = {
    "signin": Issuer.BOTH,
    "attestation": Issuer.PROVIDER,
    "realisation": Issuer.PROVIDER,
    "convocation": Issuer.OPCO,
    "course-sheet": Issuer.OPCO,
}

KIND_LABELS = {
    DocumentKind.SIGNIN: "Feuille d'émargement",
    DocumentKind.ATTESTATION: "Attestation de présence",
    DocumentKind.REALISATION: "Certificat de réalisation",
    DocumentKind.CONVOCATION: "Convocation",
    DocumentKind.COURSE_SHEET: "Fiche technique",
}
FILE_PREFIXES = {
    DocumentKind.SIGNIN: "Feuille d'émargement",
    DocumentKind.ATTESTATION: "Attestation",
    DocumentKind.REALISATION: "Certificat de réalisation",
    DocumentKind.CONVOCATION: "Convocation",
    DocumentKind.COURSE_SHEET: "Fiche technique",
}


@dataclass(frozen=True)
class TrainerInfo:
    name: str  # « Chantal CORNIER »
    job_title: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class CourseInfo:
    """What documents print about a course."""

    course_id: int
    title: str
    module: str = ""
    reference: str = ""
    sectors: str = ""
    audience: str = ""
    duration_days: float = 0
    duration_hours: float = 0
    provider_name: str = ""
    provider_address: str = ""
    funding_scheme: str = ""
    region: str = ""
    opco_name: str = ""
    opco_contact_name: str = ""
    opco_contact_email: str = ""
    partners: tuple[str, ...] = ()
    context: str = ""
    prerequisites: str = ""
    action_nature: str = "training"
    assesses_learning: bool = False  # « évaluation des acquis »: a result per participant
    what_to_bring: str = ""
    provider: ProviderData = field(default_factory=ProviderData)
    objectives: tuple[str, ...] = ()
    programme: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (day title, items)

    @property
    def action_nature_label(self) -> str:
        return ACTION_NATURE_LABELS.get(self.action_nature, self.action_nature)

    @property
    def funding_line(self) -> str:
        """« Opco Santé – Fonds mutualisé de Branche – Cofinancement : DGCS »."""
        parts = [part for part in (self.opco_name, self.funding_scheme) if part]
        if self.partners:
            parts.append("Cofinancement : " + ", ".join(self.partners))
        return " – ".join(parts)


@dataclass(frozen=True)
class GroupInfo:
    """A group with its schedule and trainers."""

    group_id: int
    label: str
    city: str
    venue_address: str
    course: CourseInfo
    half_days: tuple[HalfDayColumn, ...]
    trainers: tuple[TrainerInfo, ...] = ()
    # (half_day_id, who taught it); a half-day not listed is taught by ``trainers``
    half_day_trainers: tuple[tuple[int, tuple[TrainerInfo, ...]], ...] = ()

    def trainers_of(self, half_day_id: int) -> tuple[TrainerInfo, ...]:
        for key, trainers in self.half_day_trainers:
            if key == half_day_id:
                return trainers
        return self.trainers

    @property
    def dates(self) -> list[dt.date]:
        return sorted({half.date for half in self.half_days})

    @property
    def hours_planned(self) -> float:
        return sum(half.hours for half in self.half_days)

    @property
    def title(self) -> str:
        """« Groupe 1 – Strasbourg »."""
        return f"{self.label} – {self.city}" if self.city else self.label

    def half_days_of(self, day: dt.date) -> list[HalfDayColumn]:
        return [half for half in self.half_days if half.date == day]

    @property
    def place(self) -> str:
        """City and address on one line."""
        address = " ".join(self.venue_address.split())
        if self.city and self.city.lower() not in address.lower():
            return f"{self.city} – {address}" if address else self.city
        return address or self.city


@dataclass(frozen=True)
class ParticipantInfo:
    participant_id: int
    enrollment_id: int
    civility: str
    first_name: str
    last_name: str
    job_title: str = ""
    employer: str = ""
    employer_city: str = ""
    assessment_result: str = ""  # acquired, partial, not_acquired; empty when not assessed

    def agree(self, masculine: str, feminine: str, neutral: str = "") -> str:
        """The word agreeing with the participant's civility (« salariée », « salarié(e) »)."""
        return gendered(self.civility, masculine, feminine, neutral)

    @property
    def full_name(self) -> str:
        """« MULLER Hélène », as on lists and file names."""
        return f"{self.last_name.upper()} {self.first_name}".strip()

    @property
    def formal_name(self) -> str:
        """« Madame Hélène MULLER »."""
        words = [CIVILITY_WORDS.get(self.civility, ""), self.first_name, self.last_name.upper()]
        return " ".join(word for word in words if word)

    @property
    def employer_label(self) -> str:
        if self.employer and self.employer_city:
            return f"{self.employer} ({self.employer_city})"
        return self.employer


@dataclass(frozen=True)
class SigninSheet:
    """Feuille d'émargement of a group: one sheet per day."""

    identity: DocumentIdentity
    group: GroupInfo
    participants: tuple[ParticipantInfo, ...]
    blank_rows: int = 0
    days: tuple[dt.date, ...] = ()  # the days to print; all the group's when empty

    @property
    def printed_days(self) -> list[dt.date]:
        return list(self.days) or self.group.dates


@dataclass(frozen=True)
class AttendedHalfDay:
    half_day: HalfDayColumn
    state: CellState

    @property
    def hours(self) -> float:
        """Hours attended of this half-day (from the real presence times)."""
        return self.half_day.attended_hours(self.state)


@dataclass(frozen=True)
class Certificate:
    """Attestation de fin de formation or certificat de réalisation of one participant,
    issued by the course's training provider (``issuer``)."""

    kind: DocumentKind
    number: str
    identity: DocumentIdentity
    group: GroupInfo
    participant: ParticipantInfo
    half_days: tuple[AttendedHalfDay, ...]
    issued_on: dt.date
    document_id: int = 0  # IssuedDocument.id
    replaces_number: str = ""  # a corrected version: « Annule et remplace le n° … »

    @property
    def hours_attended(self) -> float:
        return sum(item.half_day.attended_minutes(item.state) for item in self.half_days) / 60

    @property
    def half_days_attended(self) -> int:
        return sum(1 for item in self.half_days if item.state.counts)

    @property
    def replaces_lines(self) -> tuple[str, ...]:
        """« Annule et remplace le n° ATT-2023-0006 » on a corrected version, under its number."""
        return (f"Annule et remplace le n° {self.replaces_number}",) if self.replaces_number else ()

    @property
    def provider(self) -> ProviderData:
        return self.group.course.provider

    @property
    def provider_name(self) -> str:
        """The dispensateur: never the Opco's name when the course names no provider."""
        return self.provider.name

    @property
    def issuer(self) -> DocumentIdentity:
        """Who issues this document (``ISSUERS``): the provider, or « Paramètres »."""
        if self.kind.issuer is Issuer.PROVIDER:
            return self.provider.identity
        return self.identity

    @property
    def issue_city(self) -> str:
        return self.issuer.city or self.group.city

    @property
    def period_label(self) -> str:
        dates = self.group.dates
        if not dates:
            return ""
        if len(dates) == 1:
            return f"le {short_date(dates[0])}"
        return f"du {short_date(dates[0])} au {short_date(dates[-1])}"


@dataclass(frozen=True)
class Convocation:
    identity: DocumentIdentity
    group: GroupInfo
    participant: ParticipantInfo
    issued_on: dt.date


@dataclass(frozen=True)
class GroupSchedule:
    """A group as the course sheet lists it under « Lieux & dates »."""

    label: str
    city: str
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class CourseSheet:
    """Fiche technique of a course, with its groups and trainers."""

    identity: DocumentIdentity
    course: CourseInfo
    groups: tuple[GroupSchedule, ...] = ()
    trainers: tuple[TrainerInfo, ...] = ()


@dataclass
class Report:
    """What a preparation noticed: people left out and things to check, in French."""

    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [*self.skipped, *self.warnings]
