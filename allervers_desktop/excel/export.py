"""Excel exports: a group's roster, a course workbook, the participants directory."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    Attendance,
    Course,
    Employer,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupDay,
    Participant,
)
from allervers_desktop.excel.progress import Progress, collector_paused
from allervers_desktop.excel.xlsx_writing import (
    HOURS_FORMAT,
    ExportValue,
    SheetSpec,
    write_workbook,
)
from allervers_desktop.formatting import (
    ENROLLMENT_STATUS_LABELS,
    GROUP_STATUS_LABELS,
    PERIOD_LABELS,
    attendance_label,
    day_month,
    short_date,
)
from allervers_desktop.phones import display_phone
from allervers_desktop.presence import attended_minutes, planned_minutes
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.services.groups import LEFT_STATUSES, get_group

ROSTER_HEADERS = [
    "Civilité",
    "NOM",
    "Prénom",
    "Fonction",
    "Établissement",
    "Ville",
    "E-mail",
    "Téléphone",
    "Statut",
]
DIRECTORY_HEADERS = [*ROSTER_HEADERS[:8], "Formations suivies", "Ajouté le"]
SUMMARY_HEADERS = [
    "Groupe",
    "Ville",
    "Début",
    "Fin",
    "Statut",
    "Capacité",
    "Inscrits",
    "Liste d'attente",
    "Heures prévues",
    "Intervenants",
]
HOURS_HEADER = "Heures réalisées"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sheets: list[str]
    rows: int

    def describe(self) -> str:
        feuilles = "feuille" if len(self.sheets) == 1 else "feuilles"
        lignes = "ligne" if self.rows <= 1 else "lignes"
        return (
            f"Fichier « {self.path} » écrit : {len(self.sheets)} {feuilles}, {self.rows} {lignes}."
        )


def duration(minutes: int) -> dt.timedelta:
    """Hours as an Excel duration (shown with HOURS_FORMAT)."""
    return dt.timedelta(minutes=minutes)


def _person_cells(participant: Participant) -> list[ExportValue]:
    employer = participant.employer
    return [
        participant.civility,
        participant.last_name.upper(),
        participant.first_name,
        participant.job_title,
        employer.name if employer else "",
        employer.city if employer else "",
        participant.email or "",
        display_phone(participant.phone),
    ]


def roster_spec(session: Session, group_id: int) -> SheetSpec:
    """The roster of one group: title block, one row per participant, attendance if any."""
    group = get_group(session, group_id)
    course = group.course
    enrollments = session.scalars(
        select(Enrollment)
        .join(Participant, Participant.id == Enrollment.participant_id)
        .where(
            Enrollment.group_id == group_id,
            Enrollment.status.not_in(LEFT_STATUSES),
        )
        .options(selectinload(Enrollment.participant).selectinload(Participant.employer))
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    halves = [half for day in group.days for half in sorted(day.half_days, key=lambda h: h.period)]
    marks: dict[tuple[int, int], Attendance] = {}
    ids = [enrollment.id for enrollment in enrollments]
    for start in range(0, len(ids), 500):
        query = select(Attendance).where(Attendance.enrollment_id.in_(ids[start : start + 500]))
        for record in session.scalars(query):
            marks[(record.enrollment_id, record.half_day_id)] = record
    headers = list(ROSTER_HEADERS)
    with_attendance = bool(marks)
    if with_attendance:
        headers += [f"{day_month(h.day.date)} {PERIOD_LABELS[h.period]}" for h in halves]
        headers.append(HOURS_HEADER)
    rows: list[list[ExportValue]] = []
    for enrollment in enrollments:
        row = _person_cells(enrollment.participant)
        row.append(ENROLLMENT_STATUS_LABELS.get(enrollment.status, enrollment.status))
        if with_attendance:
            minutes = 0
            for half in halves:
                mark = marks.get((enrollment.id, half.id))
                if mark is None:
                    row.append("")
                    continue
                row.append(attendance_label(mark.status, mark.arrived_at, mark.left_at))
                minutes += attended_minutes(
                    half.start_time, half.end_time, mark.status, mark.arrived_at, mark.left_at
                )
            row.append(duration(minutes))
        rows.append(row)
    formats = {len(headers) - 1: HOURS_FORMAT} if with_attendance else {}
    title_lines: list[tuple[str, list[ExportValue]]] = [
        ("Formation", [course.title]),
        ("Module", [course.module]),
        ("Groupe", [group.label]),
        ("Lieu", [group.city + (f" — {group.venue_address}" if group.venue_address else "")]),
        ("Dates", list(group.dates)),
        ("Intervenants", [", ".join(trainer.full_name for trainer in group.trainers)]),
    ]
    return SheetSpec(
        title=f"{group.label} {group.city}".strip(),
        heading=f"Liste des participants — {group.label}"
        + (f" ({group.city})" if group.city else ""),
        headers=headers,
        rows=rows,
        title_lines=title_lines,
        formats=formats,
        landscape=True,
    )


def summary_spec(session: Session, course: Course) -> SheetSpec:
    """One row per group of the course."""
    groups = session.scalars(
        select(Group)
        .where(Group.course_id == course.id)
        .options(
            selectinload(Group.days).selectinload(GroupDay.half_days),
            selectinload(Group.trainers),
        )
        .order_by(Group.first_date, Group.label)
    ).all()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    query = select(Enrollment.group_id, Enrollment.status).where(
        Enrollment.group_id.in_([group.id for group in groups])
    )
    for group_id, status in session.execute(query):
        counts[group_id][status] += 1
    rows: list[list[ExportValue]] = []
    for group in groups:
        dates = group.dates
        active = sum(
            counts[group.id][status]
            for status in (EnrollmentStatus.REGISTERED.value, EnrollmentStatus.CONFIRMED.value)
        )
        rows.append(
            [
                group.label,
                group.city,
                min(dates) if dates else None,
                max(dates) if dates else None,
                GROUP_STATUS_LABELS.get(group.status, group.status),
                group.capacity,
                active,
                counts[group.id][EnrollmentStatus.WAITLISTED.value],
                duration(sum(planned_minutes(h.start_time, h.end_time) for h in group.half_days)),
                ", ".join(trainer.full_name for trainer in group.trainers),
            ]
        )
    return SheetSpec(
        title="Synthèse",
        heading=f"Synthèse — {course.title}",
        headers=list(SUMMARY_HEADERS),
        rows=rows,
        title_lines=[
            ("Formation", [course.title]),
            ("Module", [course.module]),
            ("Référence", [course.reference or ""]),
            ("Organisme", [course.provider.name if course.provider else ""]),
        ],
        formats={8: HOURS_FORMAT},
        landscape=True,
    )



def _day(value: dt.date | str | None, parsed: dict[str, dt.date]) -> dt.date | None:
    """SQL ``date()`` as a date, whichever database computed it."""
    if value is None or isinstance(value, dt.date):
        return value
    if not value:
        return None
    return parsed.get(value) or parsed.setdefault(value, dt.date.fromisoformat(value))

def directory_spec(session: Session) -> SheetSpec:
    """Every participant, with the groups they attend."""
    labels: dict[int, str] = {}
    for group_id, label, city, first_date in session.execute(
        select(Group.id, Group.label, Group.city, Group.first_date)
    ):
        where = f" – {city}" if city else ""
        when = f" ({short_date(first_date)})" if first_date else ""
        labels[group_id] = f"{label}{where}{when}"
    enrolled: dict[int, list[str]] = defaultdict(list)
    query = (
        select(Enrollment.participant_id, Enrollment.group_id)
        .join(Group, Group.id == Enrollment.group_id)
        .where(Enrollment.status.not_in(LEFT_STATUSES))
        .order_by(Group.first_date, Group.label)
    )
    for participant_id, group_id in session.execute(query):
        enrolled[participant_id].append(labels[group_id])
    dates: dict[str, dt.date] = {}
    people = session.execute(
        select(
            Participant.id,
            Participant.civility,
            Participant.last_name,
            Participant.first_name,
            Participant.job_title,
            Employer.name,
            Employer.city,
            Participant.email,
            Participant.phone,
            # A date on PostgreSQL, « YYYY-MM-DD » on SQLite (parsed once per distinct day).
            func.date(Participant.created_at),
        )
        .outerjoin(Employer, Employer.id == Participant.employer_id)
        .order_by(Participant.sort_name, Participant.id)
    )
    rows: list[list[ExportValue]] = [
        [
            civility,
            last.upper(),
            first,
            job,
            employer or "",
            city or "",
            email or "",
            display_phone(phone),
            "\n".join(enrolled[pid]) if pid in enrolled else "",
            _day(created, dates),
        ]
        for pid, civility, last, first, job, employer, city, email, phone, created in people
    ]
    today = dt.date.today()
    return SheetSpec(
        title="Participants",
        heading="Annuaire des participants",
        headers=list(DIRECTORY_HEADERS),
        rows=rows,
        title_lines=[("Extrait le", [today]), ("Nombre", [len(rows)])],
        landscape=True,
    )


def _write(
    specs: list[SheetSpec],
    target: str | Path,
    progress: Progress | None,
    replace_read_only: bool = False,
) -> ExportResult:
    path = Path(target)
    titles = write_workbook(specs, path, progress, replace_read_only=replace_read_only)
    return ExportResult(path, titles, sum(len(spec.rows) for spec in specs))


def export_group_roster(
    session: Session,
    group_id: int,
    target: str | Path,
    progress: Progress | None = None,
    *,
    replace_read_only: bool = False,
) -> ExportResult:
    """Roster of one group in ``target`` (.xlsx), replaced atomically."""
    return _write([roster_spec(session, group_id)], target, progress, replace_read_only)


def export_course_workbook(
    session: Session,
    course_id: int,
    target: str | Path,
    progress: Progress | None = None,
    *,
    replace_read_only: bool = False,
) -> ExportResult:
    """A summary sheet and one roster sheet per group of the course."""
    course = session.get(Course, course_id)
    if course is None:
        raise NotFoundError("formation", course_id)
    specs = [summary_spec(session, course)]
    group_ids = session.scalars(
        select(Group.id).where(Group.course_id == course_id).order_by(Group.first_date, Group.label)
    ).all()
    specs += [roster_spec(session, group_id) for group_id in group_ids]
    return _write(specs, target, progress, replace_read_only)


def export_participants(
    session: Session,
    target: str | Path,
    progress: Progress | None = None,
    *,
    replace_read_only: bool = False,
) -> ExportResult:
    """The whole participants directory."""
    with collector_paused():
        spec = directory_spec(session)
    return _write([spec], target, progress, replace_read_only)
