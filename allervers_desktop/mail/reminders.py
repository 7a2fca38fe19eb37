"""Reminders due (J-7 by default): groups about to start whose participants have not all been
sent a reminder yet.

A group is due from ``first day - delay`` until its first day, while it is planned or
confirmed. A participant counts as reminded once a reminder of that group addressed to her is
in the outbox, whatever its state (queued, sent, failed: the outbox shows the failures); only
the active enrollments count (registered or confirmed: not the waiting list, not those who
left)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, Enrollment, Group, GroupStatus, OutboxMessage
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import ACTIVE_STATUSES
from allervers_desktop.services.settings import get_setting, set_setting

REMINDER_DAYS_KEY = "mail.reminder_days"
DEFAULT_REMINDER_DAYS = 7
MAX_REMINDER_DAYS = 60
REMINDER_KIND = "reminder"


def reminder_days(session: Session) -> int:
    """How many days before the first day the reminder goes (« J-7 »)."""
    stored = get_setting(session, REMINDER_DAYS_KEY)
    return int(stored) if stored.isdigit() else DEFAULT_REMINDER_DAYS


def set_reminder_days(session: Session, days: int) -> None:
    if not 1 <= days <= MAX_REMINDER_DAYS:
        raise ServiceError(
            f"Délai du rappel invalide : {days} jour(s) (de 1 à {MAX_REMINDER_DAYS})."
        )
    set_setting(session, REMINDER_DAYS_KEY, str(days))


@dataclass(frozen=True)
class DueReminder:
    group_id: int
    course_title: str
    group_label: str
    city: str
    first_date: dt.date
    due_on: dt.date  # first day minus the delay
    participants: int  # active enrollments
    not_reminded: int

    def to_json(self) -> dict[str, object]:
        return {
            "group_id": self.group_id,
            "course": self.course_title,
            "group": self.group_label,
            "city": self.city,
            "first_date": self.first_date.isoformat(),
            "due_on": self.due_on.isoformat(),
            "participants": self.participants,
            "not_reminded": self.not_reminded,
        }


def due_reminders(session: Session, today: dt.date, days: int | None = None) -> list[DueReminder]:
    """The groups whose reminder is due on ``today`` and not sent to everyone, soonest first."""
    delay = reminder_days(session) if days is None else days
    reminded = exists().where(
        OutboxMessage.kind == REMINDER_KIND,
        OutboxMessage.group_id == Enrollment.group_id,
        OutboxMessage.participant_id == Enrollment.participant_id,
    )
    not_reminded = func.sum(case((reminded, 0), else_=1))
    rows = session.execute(
        select(
            Group.id,
            Course.title,
            Group.label,
            Group.city,
            Group.first_date,
            func.count(Enrollment.id),
            not_reminded,
        )
        .join(Course, Group.course_id == Course.id)
        .join(
            Enrollment,
            and_(Enrollment.group_id == Group.id, Enrollment.status.in_(ACTIVE_STATUSES)),
        )
        .where(
            Group.status.in_([GroupStatus.PLANNED.value, GroupStatus.CONFIRMED.value]),
            Group.first_date >= today,
            Group.first_date <= today + dt.timedelta(days=delay),
        )
        .group_by(Group.id, Course.title, Group.label, Group.city, Group.first_date)
        .having(not_reminded > 0)
        .order_by(Group.first_date, Group.id)
    )
    return [
        DueReminder(
            group_id=group_id,
            course_title=title,
            group_label=label,
            city=city,
            first_date=first,
            due_on=first - dt.timedelta(days=delay),
            participants=int(total),
            not_reminded=int(waiting),
        )
        for group_id, title, label, city, first, total, waiting in rows
    ]
