"""Évaluation des acquis: the result of each participant of a course that assesses learning."""

from __future__ import annotations

from sqlalchemy.orm import Session

from allervers_desktop.db.models import AssessmentResult, Enrollment, EnrollmentStatus
from allervers_desktop.formatting import ASSESSMENT_LABELS
from allervers_desktop.services.attendance import find_enrollment
from allervers_desktop.services.enrollments import get_enrollment
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import LEFT_STATUSES

RESULTS = tuple(result.value for result in AssessmentResult)


class AssessmentError(ServiceError):
    """The result cannot be recorded (unknown value, course without assessment…)."""


def set_assessment(session: Session, enrollment_id: int, result: str | None) -> Enrollment:
    """Record « acquired », « partial » or « not_acquired » (None clears it)."""
    enrollment = get_enrollment(session, enrollment_id)
    if result is not None and result not in RESULTS:
        raise AssessmentError(
            f"Résultat inconnu : « {result} » (acquired, partial ou not_acquired)."
        )
    course = enrollment.group.course
    if result is not None and not course.assesses_learning:
        raise AssessmentError(
            f"La formation « {course.title} » ne prévoit pas d'évaluation des acquis : cochez "
            "« Évaluation des acquis » dans sa fiche pour saisir un résultat."
        )
    if result is not None and enrollment.status in LEFT_STATUSES:
        word = "annulée" if enrollment.status == EnrollmentStatus.CANCELLED.value else "transférée"
        raise AssessmentError(
            f"L'inscription de {enrollment.participant.full_name} est {word} : "
            "pas d'évaluation des acquis."
        )
    enrollment.assessment_result = result
    session.flush()
    return enrollment


def set_assessment_of(
    session: Session, group_id: int, participant_id: int, result: str | None
) -> Enrollment:
    """The same, for a participant of a group (command line)."""
    return set_assessment(session, find_enrollment(session, group_id, participant_id).id, result)


def assessment_label(result: str | None) -> str:
    """« Objectifs acquis »…, or « — » when not entered."""
    return ASSESSMENT_LABELS.get(result or "", "—")
