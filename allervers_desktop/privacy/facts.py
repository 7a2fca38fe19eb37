"""What the retention rules need to know about each participant: activity and evidence dates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Attendance,
    Enrollment,
    Group,
    GroupDay,
    IssuedDocument,
    Participant,
)
from allervers_desktop.privacy.rules import RetentionRules

# Kinds of evidence, as named in the French messages (plural).
SIGNIN = "feuilles d'émargement"
EVIDENCE_LABELS = {"attestation": "attestations", "realisation": "certificats de réalisation"}
CHUNK = 500


@dataclass
class PersonFacts:
    """One participant as the rules see them."""

    participant_id: int
    name: str
    last_activity: dt.date
    evidence_last_day: dt.date | None = None  # last day of a group with attendance/documents
    evidence: set[str] = field(default_factory=set)
    upcoming: list[str] = field(default_factory=list)  # groups not ended yet (labels)
    contact_erased_at: dt.datetime | None = None
    anonymised_at: dt.datetime | None = None
    has_contacts: bool = True  # an e-mail, a phone or notes are held now

    @property
    def contacts_erased(self) -> bool:
        """Erased and not entered again since."""
        return self.contact_erased_at is not None and not self.has_contacts

    def documents_until(self, rules: RetentionRules) -> dt.date | None:
        if self.evidence_last_day is None:
            return None
        return rules.documents_until(self.evidence_last_day)

    def must_keep(self, rules: RetentionRules, today: dt.date) -> dt.date | None:
        """The date until which the identity must be kept, or None when nothing holds it."""
        until = self.documents_until(rules)
        return until if until is not None and until >= today else None

    def evidence_sentence(self, until: dt.date) -> str:
        """« Les attestations de cette personne doivent être conservées jusqu'au 31/12/2029 »."""
        kinds = [SIGNIN] if SIGNIN in self.evidence else []
        kinds += [label for label in EVIDENCE_LABELS.values() if label in self.evidence]
        text = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " et " + kinds[-1]
        agreed = "conservés" if EVIDENCE_LABELS["realisation"] in kinds else "conservées"
        return (
            f"Les {text} de cette personne doivent être {agreed} jusqu'au "
            f"{until.strftime('%d/%m/%Y')}"
        )


def _group_last_days(session: Session) -> dict[int, dt.date]:
    rows = session.execute(
        select(GroupDay.group_id, func.max(GroupDay.date)).group_by(GroupDay.group_id)
    )
    return {group_id: last for group_id, last in rows}


def person_facts(
    session: Session, today: dt.date, participant_ids: Iterable[int] | None = None
) -> dict[int, PersonFacts]:
    """Facts for the given participants (every participant when None)."""
    query = select(
        Participant.id,
        Participant.last_name,
        Participant.first_name,
        Participant.created_at,
        Participant.contact_erased_at,
        Participant.anonymised_at,
        Participant.email,
        Participant.phone,
        Participant.notes,
    )
    ids = None if participant_ids is None else sorted(set(participant_ids))
    parts: list[list[int] | None] = (
        [None] if ids is None else [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    )
    last_days = _group_last_days(session)
    facts: dict[int, PersonFacts] = {}
    for part in parts:
        people = query if part is None else query.where(Participant.id.in_(part))
        for pid, last, first, created, erased, anonymised, email, phone, notes in session.execute(
            people
        ):
            facts[pid] = PersonFacts(
                pid,
                f"{last.upper()} {first}".strip(),
                created.date(),
                contact_erased_at=erased,
                anonymised_at=anonymised,
                has_contacts=bool(email or phone or notes),
            )
        _add_enrollments(session, facts, part, last_days, today)
    return facts


def _add_enrollments(
    session: Session,
    facts: dict[int, PersonFacts],
    part: list[int] | None,
    last_days: dict[int, dt.date],
    today: dt.date,
) -> None:
    query = select(
        Enrollment.id,
        Enrollment.participant_id,
        Enrollment.group_id,
        Enrollment.enrolled_on,
        Enrollment.status,
        Group.label,
    ).join(Group, Group.id == Enrollment.group_id)
    if part is not None:
        query = query.where(Enrollment.participant_id.in_(part))
    enrollments = list(session.execute(query))
    enrollment_ids = [row[0] for row in enrollments]
    evidence: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(enrollment_ids), CHUNK):
        chunk = enrollment_ids[start : start + CHUNK]
        for (eid,) in session.execute(
            select(Attendance.enrollment_id).where(Attendance.enrollment_id.in_(chunk)).distinct()
        ):
            evidence[eid].add(SIGNIN)
        for eid, kind in session.execute(
            select(IssuedDocument.enrollment_id, IssuedDocument.kind).where(
                IssuedDocument.enrollment_id.in_(chunk)
            )
        ):
            evidence[eid].add(EVIDENCE_LABELS.get(kind, kind))
    for eid, pid, group_id, enrolled_on, status, label in enrollments:
        person = facts.get(pid)
        if person is None:
            continue
        last_day = last_days.get(group_id, enrolled_on)
        person.last_activity = max(person.last_activity, last_day, enrolled_on)
        if last_day >= today and status not in ("cancelled", "transferred"):
            person.upcoming.append(label)
        if evidence.get(eid):
            person.evidence |= evidence[eid]
            if person.evidence_last_day is None or last_day > person.evidence_last_day:
                person.evidence_last_day = last_day
