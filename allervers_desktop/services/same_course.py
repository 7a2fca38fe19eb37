"""« Même formation deux fois »: a person already enrolled in another active group of the course."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Enrollment, Group, GroupStatus, Participant
from allervers_desktop.services.groups import ACTIVE_STATUSES


def group_dates(group: Group) -> str:
    """« du 12/03/2027 au 13/03/2027 », « le 12/03/2027 », or « sans date »."""
    dates = group.dates
    if not dates:
        return "sans date"
    first, last = min(dates), max(dates)
    if first == last:
        return f"le {first.strftime('%d/%m/%Y')}"
    return f"du {first.strftime('%d/%m/%Y')} au {last.strftime('%d/%m/%Y')}"


def same_course_warnings(
    session: Session, group_id: int, participant_ids: list[int]
) -> dict[int, list[str]]:
    """For each participant already in another active group of ``group_id``'s course, why."""
    group = session.get(Group, group_id)
    if group is None or not participant_ids:
        return {}
    warnings: dict[int, list[str]] = {}
    ids = sorted(set(participant_ids))
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Participant, Group)
            .join(Enrollment, Enrollment.participant_id == Participant.id)
            .join(Group, Enrollment.group_id == Group.id)
            .where(
                Participant.id.in_(ids[start : start + 500]),
                Group.course_id == group.course_id,
                Group.id != group_id,
                Group.status != GroupStatus.CANCELLED.value,
                Enrollment.status.in_(ACTIVE_STATUSES),
            )
            .order_by(Participant.id, Group.first_date, Group.id)
        )
        for participant, other in rows:
            warnings.setdefault(participant.id, []).append(
                f"{participant.full_name} est déjà inscrit(e) à cette formation dans le groupe "
                f"« {other.label} » ({group_dates(other)})."
            )
    return warnings
