"""« Récapitulatif par établissement »: per employer, each employee's half-days, hours, absences.

One row per active enrollment (« inscrit » or « confirmé ») in a group of the filter that is
not cancelled: half-days planned in the period, half-days attended (présent or en retard),
minutes attended (as on the attestations), absences to justify (« absent ») and excused
absences (« excusé »). Counted by one GROUP BY per enrollment over the attendance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Attendance,
    Course,
    Employer,
    Enrollment,
    Group,
    GroupDay,
    GroupStatus,
    HalfDay,
    Participant,
)
from allervers_desktop.excel.xlsx_writing import HOURS_FORMAT, SheetSpec
from allervers_desktop.presence import ATTENDED_STATUSES
from allervers_desktop.services.groups import ACTIVE_STATUSES
from allervers_desktop.stats.compute import NO_EMPLOYER, StatsQuery, minutes_attended
from allervers_desktop.stats.filters import StatsFilter


@dataclass(frozen=True)
class EmployeeLine:
    """One employee in one group."""

    employer_id: int | None
    employer: str
    employer_city: str
    civility: str
    last_name: str
    first_name: str
    job_title: str
    course: str
    group: str
    group_city: str
    first_date: dt.date | None
    half_days_planned: int
    half_days_attended: int
    minutes_attended: int
    absences: int
    excused: int


@dataclass(frozen=True)
class EmployerRecap:
    employer_id: int | None
    name: str
    city: str
    lines: list[EmployeeLine]

    @property
    def minutes_attended(self) -> int:
        return sum(line.minutes_attended for line in self.lines)

    @property
    def absences(self) -> int:
        return sum(line.absences for line in self.lines)


def employer_recaps(session: Session, flt: StatsFilter | None = None) -> list[EmployerRecap]:
    """Employers in name order (« Sans établissement » last), employees by name."""
    flt = flt or StatsFilter()
    flt.check()
    query = StatsQuery(session, flt)
    status = Attendance.status
    marks = (
        query.attendance(
            Attendance.enrollment_id.label("enrollment_id"),
            func.sum(case((status.in_(ATTENDED_STATUSES), 1), else_=0)).label("attended"),
            func.sum(minutes_attended()).label("minutes"),
            func.sum(case((status == "absent", 1), else_=0)).label("absent"),
            func.sum(case((status == "excused", 1), else_=0)).label("excused"),
        )
        .group_by(Attendance.enrollment_id)
        .subquery()
    )
    planned = (
        select(GroupDay.group_id.label("group_id"), func.count(HalfDay.id).label("halves"))
        .join(HalfDay, HalfDay.group_day_id == GroupDay.id)
        .where(*query.days)
        .group_by(GroupDay.group_id)
        .subquery()
    )
    stmt = (
        select(
            Participant.employer_id,
            Employer.name,
            Employer.city,
            Participant.civility,
            Participant.last_name,
            Participant.first_name,
            Participant.job_title,
            Course.title,
            Group.label,
            Group.city,
            Group.first_date,
            func.coalesce(planned.c.halves, 0),
            func.coalesce(marks.c.attended, 0),
            func.coalesce(marks.c.minutes, 0),
            func.coalesce(marks.c.absent, 0),
            func.coalesce(marks.c.excused, 0),
        )
        .select_from(Enrollment)
        .join(Participant, Participant.id == Enrollment.participant_id)
        .outerjoin(Employer, Employer.id == Participant.employer_id)
        .join(Group, Group.id == Enrollment.group_id)
        .join(Course, Course.id == Group.course_id)
        .outerjoin(planned, planned.c.group_id == Group.id)
        .outerjoin(marks, marks.c.enrollment_id == Enrollment.id)
        .where(
            Enrollment.status.in_(ACTIVE_STATUSES),
            *query.groups,
            Group.status != GroupStatus.CANCELLED.value,
            *query.people,
        )
        .order_by(
            Employer.name.is_(None),
            Employer.name,
            Employer.city,
            Participant.employer_id,
            Participant.sort_name,
            Group.first_date,
            Group.id,
        )
    )
    lines = [
        EmployeeLine(
            employer_id=row[0],
            employer=row[1] or NO_EMPLOYER,
            employer_city=row[2] or "",
            civility=row[3],
            last_name=row[4],
            first_name=row[5],
            job_title=row[6],
            course=row[7],
            group=row[8],
            group_city=row[9],
            first_date=row[10],
            half_days_planned=int(row[11]),
            half_days_attended=int(row[12]),
            minutes_attended=int(row[13]),
            absences=int(row[14]),
            excused=int(row[15]),
        )
        for row in session.execute(stmt)
    ]
    return [
        EmployerRecap(key, items[0].employer, items[0].employer_city, items)
        for key, grouped in groupby(lines, key=lambda line: line.employer_id)
        for items in [list(grouped)]
    ]


RECAP_HEADERS = [
    "Établissement",
    "Ville",
    "Civilité",
    "NOM",
    "Prénom",
    "Fonction",
    "Formation",
    "Groupe",
    "Début",
    "Demi-journées prévues",
    "Demi-journées présentes",
    "Heures réalisées",
    "Absences à justifier",
    "Absences excusées",
]
SUMMARY_HEADERS = [
    "Établissement",
    "Ville",
    "Inscriptions",
    "Demi-journées présentes",
    "Heures réalisées",
    "Absences à justifier",
]


def recap_specs(recaps: list[EmployerRecap], info: list[tuple[str, list[Any]]]) -> list[SheetSpec]:
    """The detail sheet (one row per employee and group) and the per-employer summary."""
    detail = SheetSpec(
        title="Récapitulatif",
        heading="Récapitulatif par établissement",
        headers=RECAP_HEADERS,
        rows=[
            [
                line.employer,
                line.employer_city,
                line.civility,
                line.last_name.upper(),
                line.first_name,
                line.job_title,
                line.course,
                line.group,
                line.first_date,
                line.half_days_planned,
                line.half_days_attended,
                dt.timedelta(minutes=line.minutes_attended),
                line.absences,
                line.excused,
            ]
            for recap in recaps
            for line in recap.lines
        ],
        title_lines=info,
        formats={11: HOURS_FORMAT},
    )
    summary = SheetSpec(
        title="Par établissement",
        heading="Synthèse par établissement",
        headers=SUMMARY_HEADERS,
        rows=[
            [
                recap.name,
                recap.city,
                len(recap.lines),
                sum(line.half_days_attended for line in recap.lines),
                dt.timedelta(minutes=recap.minutes_attended),
                recap.absences,
            ]
            for recap in recaps
        ],
        title_lines=info,
        formats={4: HOURS_FORMAT},
        landscape=False,
    )
    return [detail, summary]


def write_employers_workbook(
    session: Session, flt: StatsFilter, target: Path, *, replace_read_only: bool = False
) -> list[str]:
    from allervers_desktop.stats.charts import ChartedSheet, write_charted_workbook
    from allervers_desktop.stats.cofinancer import title_lines

    info = title_lines(session, flt)
    specs = recap_specs(employer_recaps(session, flt), info)
    return write_charted_workbook(
        [ChartedSheet(spec) for spec in specs], target, replace_read_only=replace_read_only
    )
