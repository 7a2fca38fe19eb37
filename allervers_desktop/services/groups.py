"""Groups (sessions): schedule by day and half-day, trainers, capacity and deletion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    Attendance,
    Course,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupDay,
    GroupStatus,
    GroupTrainer,
    HalfDay,
    Period,
    SignedSheet,
    Trainer,
)
from allervers_desktop.formatting import hours_fr, short_date
from allervers_desktop.services.deletion import DeletionImpact, certificates_blocker, plural
from allervers_desktop.services.errors import DeletionBlockedError, Errors, NotFoundError
from allervers_desktop.services.validation import clean, require

PARKED_DATE = dt.date(1900, 1, 1)  # where moved days wait, inside the transaction
DEFAULT_AM = (dt.time(9, 0), dt.time(12, 30))
DEFAULT_PM = (dt.time(13, 30), dt.time(17, 0))
ACTIVE_STATUSES = (
    EnrollmentStatus.REGISTERED.value,
    EnrollmentStatus.CONFIRMED.value,
)
# No longer in the group: cancelled, or moved to another one (kept for the history only).
LEFT_STATUSES = (
    EnrollmentStatus.CANCELLED.value,
    EnrollmentStatus.TRANSFERRED.value,
)


@dataclass
class DayData:
    """One day of a group: its date and the times of each half-day (None: no session)."""

    date: dt.date
    am: tuple[dt.time, dt.time] | None = DEFAULT_AM
    pm: tuple[dt.time, dt.time] | None = DEFAULT_PM
    # The day's date before this change, when it is an existing day moved to ``date``: its
    # half-days, their attendance and trainers go with it (``update_group``).
    moved_from: dt.date | None = None

    @property
    def moved(self) -> bool:
        return self.moved_from is not None and self.moved_from != self.date


@dataclass
class GroupData:
    course_id: int
    label: str
    city: str = ""
    venue_address: str = ""
    status: str = GroupStatus.PLANNED.value
    capacity: int | None = None
    notes: str = ""
    days: list[DayData] = field(default_factory=list)
    trainer_ids: list[int] = field(default_factory=list)

    @classmethod
    def from_group(cls, group: Group) -> GroupData:
        days = []
        for day in group.days:
            halves = {half.period: (half.start_time, half.end_time) for half in day.half_days}
            days.append(DayData(day.date, halves.get("am"), halves.get("pm")))
        return cls(
            course_id=group.course_id,
            label=group.label,
            city=group.city,
            venue_address=group.venue_address,
            status=group.status,
            capacity=group.capacity,
            notes=group.notes,
            days=days,
            trainer_ids=[trainer.id for trainer in group.trainers],
        )


def get_group(session: Session, group_id: int) -> Group:
    group = session.scalar(
        select(Group)
        .where(Group.id == group_id)
        .options(
            selectinload(Group.days).selectinload(GroupDay.half_days),
            selectinload(Group.trainers),
            selectinload(Group.course),
        )
    )
    if group is None:
        raise NotFoundError("groupe", group_id)
    return group


def enrolled_count(session: Session, group_id: int) -> int:
    """Participants holding a place (registered or confirmed)."""
    return (
        session.scalar(
            select(func.count()).where(
                Enrollment.group_id == group_id, Enrollment.status.in_(ACTIVE_STATUSES)
            )
        )
        or 0
    )


def fill_label(enrolled: int, capacity: int | None) -> str:
    """« 12 / 15 », or « 12 » when the group has no capacity."""
    return f"{enrolled} / {capacity}" if capacity else str(enrolled)


def _validate(session: Session, data: GroupData, group_id: int | None) -> GroupData:
    errors = Errors()
    cleaned = GroupData(
        course_id=data.course_id,
        label=clean(data.label),
        city=clean(data.city),
        venue_address=data.venue_address.strip(),
        status=data.status,
        capacity=data.capacity or None,
        notes=data.notes.strip(),
        days=sorted(data.days, key=lambda day: day.date),
        trainer_ids=list(dict.fromkeys(data.trainer_ids)),
    )
    require(errors, "label", cleaned.label, "Libellé du groupe")
    if session.get(Course, data.course_id) is None:
        errors.add("course_id", "Choisissez la formation de ce groupe.")
    if cleaned.status not in {status.value for status in GroupStatus}:
        errors.add("status", "Le statut du groupe n'est pas reconnu.")
    if data.capacity is not None and data.capacity < 0:
        errors.add("capacity", "La capacité doit être un nombre positif.")
    if cleaned.label:
        clash = session.scalar(
            select(Group.id).where(
                Group.course_id == data.course_id,
                func.lower(Group.label) == cleaned.label.lower(),
                Group.id != group_id,
            )
        )
        if clash is not None:
            errors.add("label", f"Cette formation a déjà un « {cleaned.label} ».")
    seen: set[dt.date] = set()
    for day in cleaned.days:
        when = short_date(day.date)
        if day.date in seen:
            errors.add("days", f"La date du {when} figure deux fois.")
        seen.add(day.date)
        if day.am is None and day.pm is None:
            errors.add("days", f"Le {when} n'a ni matin ni après-midi.")
        for label, times in (("matin", day.am), ("après-midi", day.pm)):
            if times is not None and times[1] <= times[0]:
                errors.add(
                    "days", f"Le {when} ({label}) : l'heure de fin doit suivre l'heure de début."
                )
        if day.am is not None and day.pm is not None and day.pm[0] < day.am[1]:
            errors.add("days", f"Le {when} : l'après-midi commence avant la fin du matin.")
    found = set(session.scalars(select(Trainer.id).where(Trainer.id.in_(cleaned.trainer_ids))))
    for trainer_id in cleaned.trainer_ids:
        if trainer_id not in found:
            errors.add("trainer_ids", f"L'intervenant n° {trainer_id} n'existe pas.")
    errors.raise_if_any()
    return cleaned


def _removed_half_days(group: Group, days: list[DayData]) -> dict[dt.date, list[HalfDay]]:
    """The half-days the new schedule drops, by date."""
    wanted = {day.date: day for day in days}
    removed: dict[dt.date, list[HalfDay]] = {}
    for old_day in group.days:
        data = wanted.get(old_day.date)
        for half in old_day.half_days:
            kept = data is not None and (data.am if half.period == Period.AM.value else data.pm)
            if not kept:
                removed.setdefault(old_day.date, []).append(half)
    return removed


def _moving_days(group: Group, days: list[DayData]) -> list[tuple[GroupDay, DayData]]:
    """The existing days the new schedule moves to another date, with their new data."""
    by_date = {day.date: day for day in group.days}
    return [
        (by_date[data.moved_from], data)
        for data in days
        if data.moved and data.moved_from in by_date
    ]


def describe_day_moves(session: Session, group_id: int, days: list[DayData]) -> list[str]:
    """What moving days takes along, for the user to confirm: « Le lun. 25/09 a 18 présences
    enregistrées : elles suivront la journée au mer. 27/09. »"""
    group = get_group(session, group_id)
    lines = []
    for day, data in _moving_days(group, days):
        ids = [half.id for half in day.half_days]
        count = session.scalar(select(func.count()).where(Attendance.half_day_id.in_(ids))) or 0
        if count:
            lines.append(
                f"Le {short_date(day.date)} a "
                f"{plural(count, 'présence enregistrée', 'présences enregistrées')} : "
                f"{'elle suivra' if count == 1 else 'elles suivront'} la journée au "
                f"{short_date(data.date)}."
            )
    return lines


def _move_days(session: Session, group: Group, days: list[DayData]) -> None:
    """Give the moved days their new dates in place (so everything attached follows them).
    A signed sheet is a scan of a dated paper: a day that has one is not moved."""
    moving = _moving_days(group, days)
    errors = Errors()
    staying = {day.date for day in group.days} - {day.date for day, _data in moving}
    for day, data in moving:
        if data.date in staying:
            errors.add(
                "days",
                f"Le {short_date(data.date)} est encore au planning : enregistrez d'abord son "
                f"retrait, puis déplacez le {short_date(day.date)} à cette date.",
            )
        if session.scalar(select(func.count()).where(SignedSheet.group_day_id == day.id)):
            errors.add(
                "days",
                f"Le {short_date(day.date)} a une feuille d'émargement signée jointe : "
                f"il ne peut pas être déplacé au {short_date(data.date)}.",
            )
    errors.raise_if_any()
    # Two steps, so that days may swap dates without meeting the (group, date) constraint.
    for offset, (day, _data) in enumerate(moving):
        day.date = PARKED_DATE + dt.timedelta(days=offset)
    session.flush()
    for day, data in moving:
        day.date = data.date
    session.flush()


def _check_removals(session: Session, group: Group, days: list[DayData]) -> None:
    """Refuse, before anything is changed, to drop half-days that hold attendance."""
    errors = Errors()
    kept = {day.date for day in days}
    for old_day in group.days:
        sheets = session.scalar(select(func.count()).where(SignedSheet.group_day_id == old_day.id))
        if old_day.date not in kept and sheets:
            errors.add(
                "days",
                f"Le {short_date(old_day.date)} a une feuille d'émargement signée jointe : "
                "il ne peut pas être retiré du planning.",
            )
    for when, halves in sorted(_removed_half_days(group, days).items()):
        ids = [half.id for half in halves]
        count = session.scalar(select(func.count()).where(Attendance.half_day_id.in_(ids))) or 0
        if count:
            errors.add(
                "days",
                f"Le {short_date(when)} a déjà "
                f"{plural(count, 'présence enregistrée', 'présences enregistrées')} : "
                "il ne peut pas être retiré du planning.",
            )
    errors.raise_if_any()


def _apply_days(session: Session, group: Group, days: list[DayData]) -> None:
    """Update the schedule in place so that attendance on kept half-days survives."""
    by_date = {day.date: day for day in group.days}
    wanted = {day.date for day in days}
    for old_date, old_day in list(by_date.items()):
        if old_date not in wanted:
            group.days.remove(old_day)
            session.delete(old_day)
    session.flush()
    for data in days:
        day = by_date.get(data.date)
        if day is None:
            day = GroupDay(date=data.date)
            group.days.append(day)
        halves = {half.period: half for half in day.half_days}
        for period, times in ((Period.AM.value, data.am), (Period.PM.value, data.pm)):
            half = halves.get(period)
            if times is None:
                if half is not None:
                    day.half_days.remove(half)
                    session.delete(half)
                continue
            if half is None:
                day.half_days.append(HalfDay(period=period, start_time=times[0], end_time=times[1]))
            else:
                half.start_time, half.end_time = times
    group.days.sort(key=lambda day: day.date)


def _apply(session: Session, group: Group, data: GroupData) -> None:
    group.course_id = data.course_id
    group.course = session.get_one(Course, data.course_id)
    group.label = data.label
    group.city = data.city
    group.venue_address = data.venue_address
    group.status = data.status
    group.capacity = data.capacity
    group.notes = data.notes
    _apply_days(session, group, data.days)
    session.execute(delete(GroupTrainer).where(GroupTrainer.group_id == group.id))
    for position, trainer_id in enumerate(data.trainer_ids):
        session.add(GroupTrainer(group_id=group.id, trainer_id=trainer_id, position=position))
    group.refresh_search_text()


def create_group(session: Session, data: GroupData) -> Group:
    cleaned = _validate(session, data, None)
    group = Group(course_id=cleaned.course_id, label=cleaned.label)
    session.add(group)
    session.flush()
    _apply(session, group, cleaned)
    session.flush()
    session.expire(group, ["trainers"])
    return group


def update_group(session: Session, group_id: int, data: GroupData) -> Group:
    group = get_group(session, group_id)
    cleaned = _validate(session, data, group_id)
    _move_days(session, group, cleaned.days)
    _check_removals(session, group, cleaned.days)
    _apply(session, group, cleaned)
    session.flush()
    session.expire(group, ["trainers"])
    return group


def describe_group_deletion(session: Session, group_id: int) -> DeletionImpact:
    group = get_group(session, group_id)
    impact = DeletionImpact(subject=f"le groupe « {group.label} » ({group.city})")
    blocker = certificates_blocker(
        session, session.scalars(select(Enrollment.id).where(Enrollment.group_id == group_id))
    )
    if blocker:
        impact.blockers.append(blocker.replace("l'inscription", "les inscriptions"))
    enrollments = session.scalar(select(func.count()).where(Enrollment.group_id == group_id)) or 0
    attendances = (
        session.scalar(
            select(func.count())
            .select_from(Attendance)
            .join(Enrollment)
            .where(Enrollment.group_id == group_id)
        )
        or 0
    )
    if enrollments:
        line = f"Ce groupe a {plural(enrollments, 'inscrit')}"
        if attendances:
            line += f" et {plural(attendances, 'présence enregistrée', 'présences enregistrées')}"
        impact.consequences.append(line + " : ils seront supprimés avec le groupe.")
    if group.days:
        impact.consequences.append(
            f"Son planning ({plural(len(group.days), 'journée')}) sera supprimé."
        )
    sheets = (
        session.scalar(
            select(func.count())
            .select_from(SignedSheet)
            .join(GroupDay, SignedSheet.group_day_id == GroupDay.id)
            .where(GroupDay.group_id == group_id)
        )
        or 0
    )
    if sheets:
        impact.consequences.append(
            f"{plural(sheets, 'feuille signée jointe', 'feuilles signées jointes')} "
            f"{'sera supprimée' if sheets == 1 else 'seront supprimées'} avec le planning."
        )
    if group.trainers:
        impact.consequences.append(
            f"{plural(len(group.trainers), 'intervenant')} n'y seront plus affectés."
            if len(group.trainers) > 1
            else "1 intervenant n'y sera plus affecté."
        )
    return impact


def delete_group(session: Session, group_id: int) -> None:
    """Delete a group and, explicitly, its attendance, enrollments and assignments."""
    impact = describe_group_deletion(session, group_id)
    if not impact.allowed:
        raise DeletionBlockedError(impact.message())
    group = get_group(session, group_id)
    enrollment_ids = select(Enrollment.id).where(Enrollment.group_id == group_id)
    session.execute(delete(Attendance).where(Attendance.enrollment_id.in_(enrollment_ids)))
    session.execute(delete(Enrollment).where(Enrollment.group_id == group_id))
    session.execute(delete(GroupTrainer).where(GroupTrainer.group_id == group_id))
    # The rows are gone: forget the loaded collections, or the ORM would delete them again.
    session.expire(group, ["trainers", "enrollments"])
    session.delete(group)
    session.flush()


def course_hours(session: Session) -> dict[int, float]:
    """Each course's duration in hours (what a group's schedule is compared with)."""
    return {cid: hours for cid, hours in session.execute(select(Course.id, Course.duration_hours))}


def duration_difference(group: Group) -> str:
    """« Le planning prévoit 10 h 30, la formation 14 h. »; empty when they agree."""
    planned, expected = group.hours_planned, group.course.duration_hours
    if not group.days or abs(planned - expected) <= 0.01:
        return ""
    return f"Le planning prévoit {hours_fr(planned)}, la formation {hours_fr(expected)}."


def course_choices(session: Session) -> list[tuple[int, str]]:
    """(id, « title — module ») for the course picker."""
    rows = session.execute(select(Course.id, Course.title, Course.module).order_by(Course.title))
    return [(cid, f"{title} — {module}" if module else title) for cid, title, module in rows]
