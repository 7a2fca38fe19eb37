"""« Conflits »: a trainer in two places at once, two groups at the same venue at the same time.

A half-day is taught by its own trainers when it has some, by the group's otherwise (see
``services/teaching.py``). Cancelled groups are left out. The half-days are read in three
queries and compared date by date, so only half-days of the same day are ever paired.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Group,
    GroupDay,
    GroupStatus,
    GroupTrainer,
    HalfDay,
    HalfDayTrainer,
    Trainer,
)
from allervers_desktop.text import search_key

TRAINER = "trainer"
VENUE = "venue"


@dataclass(frozen=True)
class _Slot:
    half_day_id: int
    group_id: int
    group_label: str
    date: dt.date
    start: dt.time
    end: dt.time
    venue: str


@dataclass(frozen=True)
class Conflict:
    """Two half-days of two groups that overlap, and what they share."""

    kind: str
    date: dt.date
    group_ids: tuple[int, int]
    half_day_ids: tuple[int, int]
    subject: str  # the trainer's name or the venue
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "group_ids": list(self.group_ids),
            "half_day_ids": list(self.half_day_ids),
            "subject": self.subject,
            "message": self.message,
        }


def conflicts(session: Session, group_id: int | None = None) -> list[Conflict]:
    """Every conflict, or those involving ``group_id``; by date."""
    slots = _slots(session)
    teachers = _teachers(session)
    names = {t.id: t.full_name for t in session.scalars(select(Trainer))}
    by_date: dict[dt.date, list[_Slot]] = defaultdict(list)
    for slot in slots:
        by_date[slot.date].append(slot)
    found: list[Conflict] = []
    for date in sorted(by_date):
        day = sorted(by_date[date], key=lambda s: (s.start, s.group_id))
        for i, first in enumerate(day):
            for second in day[i + 1 :]:
                if second.start >= first.end:
                    break
                if first.group_id == second.group_id:
                    continue
                if group_id is not None and group_id not in (first.group_id, second.group_id):
                    continue
                found += _pair(first, second, teachers, names)
    return found


def group_conflict_warnings(session: Session, group_id: int) -> list[str]:
    """What saving this group's schedule should warn about (the window shows these)."""
    return [conflict.message for conflict in conflicts(session, group_id)]


def _pair(
    first: _Slot, second: _Slot, teachers: dict[int, set[int]], names: dict[int, str]
) -> list[Conflict]:
    a, b = sorted((first, second), key=lambda s: s.group_id)
    when = f"le {a.date.strftime('%d/%m/%Y')} ({_hours(a)} et {_hours(b)})"
    groups = f"« {a.group_label} » et « {b.group_label} »"
    out = [
        Conflict(
            TRAINER,
            a.date,
            (a.group_id, b.group_id),
            (a.half_day_id, b.half_day_id),
            names.get(trainer_id, str(trainer_id)),
            f"{names.get(trainer_id, trainer_id)} intervient dans deux groupes à la fois "
            f"{when} : {groups}.",
        )
        for trainer_id in sorted(teachers[a.half_day_id] & teachers[b.half_day_id])
    ]
    if a.venue and a.venue == b.venue:
        out.append(
            Conflict(
                VENUE,
                a.date,
                (a.group_id, b.group_id),
                (a.half_day_id, b.half_day_id),
                a.venue,
                f"Les groupes {groups} ont lieu au même endroit en même temps {when}.",
            )
        )
    return out


def _hours(slot: _Slot) -> str:
    return f"{slot.start.strftime('%H:%M')}–{slot.end.strftime('%H:%M')}".replace(":", " h ")


def _slots(session: Session) -> list[_Slot]:
    rows = session.execute(
        select(
            HalfDay.id,
            Group.id,
            Group.label,
            GroupDay.date,
            HalfDay.start_time,
            HalfDay.end_time,
            Group.venue_address,
            Group.city,
        )
        .join(GroupDay, HalfDay.group_day_id == GroupDay.id)
        .join(Group, GroupDay.group_id == Group.id)
        .where(Group.status != GroupStatus.CANCELLED.value)
    )
    return [
        _Slot(hid, gid, label, date, start, end, search_key(venue, city) if venue else "")
        for hid, gid, label, date, start, end, venue, city in rows
    ]


def _teachers(session: Session) -> dict[int, set[int]]:
    """Half-day -> trainer ids, its own or its group's."""
    own: dict[int, set[int]] = defaultdict(set)
    for half_day_id, trainer_id in session.execute(
        select(HalfDayTrainer.half_day_id, HalfDayTrainer.trainer_id)
    ):
        own[half_day_id].add(trainer_id)
    by_group: dict[int, set[int]] = defaultdict(set)
    for gid, trainer_id in session.execute(select(GroupTrainer.group_id, GroupTrainer.trainer_id)):
        by_group[gid].add(trainer_id)
    teachers: dict[int, set[int]] = defaultdict(set)
    for half_day_id, gid in session.execute(
        select(HalfDay.id, GroupDay.group_id).join(GroupDay, HalfDay.group_day_id == GroupDay.id)
    ):
        teachers[half_day_id] = own.get(half_day_id) or by_group[gid]
    return teachers
