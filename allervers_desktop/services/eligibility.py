"""Who may receive an attestation or a certificat de réalisation: the one rule every caller uses.

A certificate says what happened, so it is issued only for a group whose last day is over (by
the session's clock) and only to a participant who attended some of it. The batch, the
Documents menu and the command line all ask ``certificate_eligibility``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.clock import now
from allervers_desktop.db.models import Attendance, Enrollment, HalfDay
from allervers_desktop.formatting import short_date
from allervers_desktop.presence import attended_minutes
from allervers_desktop.services.groups import get_group

# kind -> (« l'attestation » …, the past participle agreeing with it, « pas d'attestation »)
DOCUMENT_WORDS = {
    "attestation": ("l'attestation", "établie", "pas d'attestation"),
    "realisation": ("le certificat de réalisation", "établi", "pas de certificat"),
}


@dataclass
class Eligibility:
    """The refusal for the whole group (None: its last day is over) and, per enrollment id,
    why a participant gets no document; minutes attended of each enrollment asked about."""

    group_refusal: str | None
    refusals: dict[int, str] = field(default_factory=dict)
    minutes: dict[int, int] = field(default_factory=dict)

    def eligible(self, enrollment_id: int) -> bool:
        return self.group_refusal is None and enrollment_id not in self.refusals


def group_end(session: Session, group_id: int) -> dt.datetime | None:
    """When the group's last half-day ends (None: no half-day planned)."""
    group = get_group(session, group_id)
    ends = [dt.datetime.combine(half.day.date, half.end_time) for half in group.half_days]
    return max(ends) if ends else None


def group_refusal(session: Session, kind: str, group_id: int) -> str | None:
    """Why no certificate of ``kind`` can be issued for the group yet, or None."""
    end = group_end(session, group_id)
    if end is None or end <= now(session):
        return None
    document, participle, _ = DOCUMENT_WORDS[kind]
    return (
        f"Le groupe se termine le {short_date(end.date())} : {document} ne peut être "
        f"{participle} qu'après la dernière journée."
    )


def certificate_eligibility(
    session: Session, kind: str, group_id: int, enrollments: Iterable[Enrollment]
) -> Eligibility:
    """Whether each enrollment may get a certificate of ``kind`` (attestation, realisation)."""
    result = Eligibility(group_refusal(session, kind, group_id))
    wanted = {enrollment.id: enrollment for enrollment in enrollments}
    recorded: dict[int, int] = dict.fromkeys(wanted, 0)
    for record, half in session.execute(
        select(Attendance, HalfDay)
        .join(HalfDay, Attendance.half_day_id == HalfDay.id)
        .where(Attendance.enrollment_id.in_(list(wanted)))
    ):
        recorded[record.enrollment_id] += 1
        result.minutes[record.enrollment_id] = result.minutes.get(
            record.enrollment_id, 0
        ) + attended_minutes(
            half.start_time, half.end_time, record.status, record.arrived_at, record.left_at
        )
    none = DOCUMENT_WORDS[kind][2]
    for enrollment_id, enrollment in wanted.items():
        name = enrollment.participant.full_name
        if not recorded[enrollment_id]:
            result.refusals[enrollment_id] = f"{name} : aucune présence saisie, {none}."
        elif not result.minutes.get(enrollment_id):
            result.refusals[enrollment_id] = f"{name} : aucune demi-journée suivie, {none}."
    return result
