"""The calendar across groups: every half-day in a date range, with who teaches it, filtered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Course,
    Group,
    GroupDay,
    GroupTrainer,
    HalfDay,
    HalfDayTrainer,
    Trainer,
)

# Longest range read at once (a month view shows six weeks): the work stays bounded.
MAX_DAYS = 62


@dataclass(frozen=True)
class CalendarFilter:
    """None: everything. ``trainer_id`` keeps the half-days that trainer teaches."""

    course_id: int | None = None
    city: str | None = None
    trainer_id: int | None = None


@dataclass(frozen=True)
class CalendarEntry:
    """One half-day of one group, as the calendar shows it."""

    half_day_id: int
    group_id: int
    date: dt.date
    period: str
    start: dt.time
    end: dt.time
    course_id: int
    course: str  # « La pratique de l'Aller Vers les publics — Module 1 »
    group: str
    city: str
    status: str
    trainers: tuple[str, ...]

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True)
class CalendarChoices:
    """What the filters offer: (id, label) pairs and the cities in use."""

    courses: list[tuple[int, str]]
    cities: list[str]
    trainers: list[tuple[int, str]]


def _course_label(title: str, module: str) -> str:
    return f"{title} — {module}" if module else title


def calendar_entries(
    session: Session, first: dt.date, last: dt.date, where: CalendarFilter | None = None
) -> list[CalendarEntry]:
    """The half-days from ``first`` to ``last`` (at most ``MAX_DAYS`` days), by date and time.

    A half-day is taught by the trainers chosen for it, or else by all its group's trainers
    (as on the documents)."""
    where = where or CalendarFilter()
    if last < first:
        return []
    last = min(last, first + dt.timedelta(days=MAX_DAYS - 1))
    query = (
        select(
            HalfDay.id,
            Group.id,
            GroupDay.date,
            HalfDay.period,
            HalfDay.start_time,
            HalfDay.end_time,
            Course.id,
            Course.title,
            Course.module,
            Group.label,
            Group.city,
            Group.status,
        )
        .join(GroupDay, HalfDay.group_day_id == GroupDay.id)
        .join(Group, GroupDay.group_id == Group.id)
        .join(Course, Group.course_id == Course.id)
        .where(GroupDay.date >= first, GroupDay.date <= last)
        .order_by(GroupDay.date, HalfDay.start_time, Course.title, Group.label, HalfDay.id)
    )
    if where.course_id is not None:
        query = query.where(Group.course_id == where.course_id)
    if where.city:
        query = query.where(Group.city == where.city)
    rows = session.execute(query).all()
    half_ids = [row[0] for row in rows]
    group_ids = sorted({row[1] for row in rows})
    own: dict[int, list[int]] = {}
    for half_id, trainer_id in session.execute(
        select(HalfDayTrainer.half_day_id, HalfDayTrainer.trainer_id)
        .where(HalfDayTrainer.half_day_id.in_(half_ids))
        .order_by(HalfDayTrainer.half_day_id, HalfDayTrainer.position)
    ):
        own.setdefault(half_id, []).append(trainer_id)
    of_group: dict[int, list[int]] = {}
    for group_id, trainer_id in session.execute(
        select(GroupTrainer.group_id, GroupTrainer.trainer_id)
        .where(GroupTrainer.group_id.in_(group_ids))
        .order_by(GroupTrainer.group_id, GroupTrainer.position)
    ):
        of_group.setdefault(group_id, []).append(trainer_id)
    wanted = {t for ids in (*own.values(), *of_group.values()) for t in ids}
    names = {
        trainer.id: trainer.full_name
        for trainer in session.scalars(select(Trainer).where(Trainer.id.in_(wanted)))
    }
    entries = []
    for half_id, group_id, date, period, start, end, course_id, title, module, *rest in rows:
        label, city, status = rest
        teaching = own.get(half_id) or of_group.get(group_id, [])
        if where.trainer_id is not None and where.trainer_id not in teaching:
            continue
        entries.append(
            CalendarEntry(
                half_id,
                group_id,
                date,
                period,
                start,
                end,
                course_id,
                _course_label(title, module),
                label,
                city,
                status,
                tuple(names[t] for t in teaching if t in names),
            )
        )
    return entries


def calendar_choices(session: Session) -> CalendarChoices:
    """The courses, cities and trainers the calendar's filters list, in French order."""
    courses = [
        (course_id, _course_label(title, module))
        for course_id, title, module in session.execute(
            select(Course.id, Course.title, Course.module).order_by(Course.title, Course.module)
        )
    ]
    cities = [
        city
        for city in session.scalars(
            select(Group.city).where(Group.city != "").distinct().order_by(Group.city)
        )
    ]
    trainers = [
        (trainer.id, trainer.full_name)
        for trainer in session.scalars(select(Trainer).order_by(Trainer.last_name, Trainer.id))
    ]
    return CalendarChoices(courses, cities, trainers)
