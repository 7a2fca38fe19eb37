"""Plain rows for the command line's list command and its JSON output."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    Course,
    Employer,
    Enrollment,
    Group,
    GroupDay,
    Participant,
    Trainer,
)
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.services.groups import ACTIVE_STATUSES

Row = dict[str, Any]


def list_courses(session: Session) -> list[Row]:
    courses = session.scalars(
        select(Course).options(selectinload(Course.provider)).order_by(Course.title)
    )
    return [
        {
            "id": c.id,
            "title": c.title,
            "module": c.module,
            "reference": c.reference,
            "provider": c.provider.name if c.provider else "",
            "duration_days": c.duration_days,
            "duration_hours": c.duration_hours,
            "groups": len(c.groups),
        }
        for c in courses
    ]


def list_groups(session: Session, course_id: int | None = None) -> list[Row]:
    enrolled = (
        select(Enrollment.group_id, func.count().label("n"))
        .where(Enrollment.status.in_(ACTIVE_STATUSES))
        .group_by(Enrollment.group_id)
        .subquery()
    )
    stmt = (
        select(Group, func.coalesce(enrolled.c.n, 0))
        .outerjoin(enrolled, enrolled.c.group_id == Group.id)
        .options(
            selectinload(Group.days).selectinload(GroupDay.half_days),
            selectinload(Group.trainers),
            selectinload(Group.course),
        )
        .order_by(Group.first_date, Group.label)
    )
    if course_id is not None:
        stmt = stmt.where(Group.course_id == course_id)
    return [
        {
            "id": g.id,
            "course_id": g.course_id,
            "course_title": g.course.title,
            "label": g.label,
            "city": g.city,
            "status": g.status,
            "dates": [d.isoformat() for d in g.dates],
            "hours_planned": g.hours_planned,
            "trainers": [t.full_name for t in g.trainers],
            "enrolled": n,
            "capacity": g.capacity,
        }
        for g, n in session.execute(stmt)
    ]


def list_trainers(session: Session) -> list[Row]:
    trainers = session.scalars(
        select(Trainer)
        .options(selectinload(Trainer.groups))
        .order_by(Trainer.last_name, Trainer.first_name)
    )
    return [
        {
            "id": t.id,
            "last_name": t.last_name,
            "first_name": t.first_name,
            "job_title": t.job_title,
            "organisation": t.organisation,
            "email": t.email,
            "phone": t.phone,
            "groups": [g.id for g in t.groups],
        }
        for t in trainers
    ]


def list_participants(session: Session, group_id: int | None = None) -> list[Row]:
    stmt = (
        select(Participant, Employer.name, Employer.city)
        .outerjoin(Employer, Participant.employer_id == Employer.id)
        .order_by(Participant.sort_name, Participant.id)
    )
    status_by_participant: dict[int, str] = {}
    if group_id is not None:
        if session.get(Group, group_id) is None:
            raise NotFoundError("groupe", group_id)
        status_by_participant = {
            participant_id: status
            for participant_id, status in session.execute(
                select(Enrollment.participant_id, Enrollment.status).where(
                    Enrollment.group_id == group_id
                )
            )
        }
        stmt = stmt.where(Participant.id.in_(status_by_participant))
    rows = []
    for p, employer, city in session.execute(stmt):
        row: Row = {
            "id": p.id,
            "civility": p.civility,
            "last_name": p.last_name,
            "first_name": p.first_name,
            "email": p.email,
            "phone": p.phone,
            "job_title": p.job_title,
            "employer": employer or "",
            "employer_city": city or "",
        }
        if group_id is not None:
            row["enrollment_status"] = status_by_participant[p.id]
        rows.append(row)
    return rows
