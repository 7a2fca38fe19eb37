"""Compute ``Stats`` with a few GROUP BY queries; Python only adds up their aggregated rows.

1. the groups of the filter (one row each) and their enrollments counted by status;
2. the half-days of those groups in the period, and their attendance aggregated per
   half-day (presences, minutes attended, late, partial, absences) — the group, month and
   overall figures are sums of these rows;
3. the attendance summed per enrollment (inside the database), then counted per group (the
   enrollments that came: no-shows are the others) and per profile (employer, job title,
   civility: distinct people trained and their minutes); the people enrolled per profile. A
   participant has one profile, so the lines of a distribution add up to the totals; job
   titles, civilities, employers, their cities and départements are sums of profiles.

The attendance is read from covering indexes (migration 0019), never row by row through
joins: counted per half-day, status, arrival and departure before any minute is computed,
and summed per enrollment with each half-day's start and end computed once.

Every query reads only what the filter selects and returns at most one row per group,
half-day or profile (employer × job title × civility), whatever the number of attendance
records; the profiles are bounded by the employers and job titles in use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from allervers_desktop.db.models import (
    Attendance,
    Course,
    Employer,
    Enrollment,
    EnrollmentStatus,
    Group,
    GroupDay,
    GroupStatus,
    HalfDay,
    Participant,
)
from allervers_desktop.presence import ATTENDED_STATUSES, planned_minutes
from allervers_desktop.services.groups import ACTIVE_STATUSES
from allervers_desktop.stats.departements import departement_label, departement_of
from allervers_desktop.stats.figures import (
    Breakdown,
    GroupFigures,
    HalfDayFigures,
    MonthFigures,
    Stats,
)
from allervers_desktop.stats.filters import (
    StatsFilter,
    day_conditions,
    group_conditions,
    person_conditions,
)
from allervers_desktop.stats.sql import attended_minutes_sql, minutes_of

NO_EMPLOYER = "Sans établissement"
NO_VALUE = "Non renseigné"
NONE_KEY = "none"  # the line of the participants without an employer
CIVILITY_LABELS = {"Mme": "Femmes (Mme)", "M.": "Hommes (M.)", "": NO_VALUE}


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def minutes_attended() -> ColumnElement[int]:
    return attended_minutes_sql(
        HalfDay.start_time,
        HalfDay.end_time,
        Attendance.status,
        Attendance.arrived_at,
        Attendance.left_at,
    )


class StatsQuery:
    """The pieces shared by the queries of one computation.

    Conditions on groups are added only when the filter has some: with every filter
    cleared, the attendance is read in one sequential pass (no IN list of all the groups to
    drive the plan through an index, half-day by half-day)."""

    def __init__(self, session: Session, flt: StatsFilter) -> None:
        self.session = session
        self.flt = flt
        self.groups = group_conditions(flt)
        self.days = day_conditions(flt)
        self.people = person_conditions(session, flt)

    def attendance(self, *columns: Any) -> Any:
        """Attendance of active enrollments, on half-days of the period, of groups counted
        (joined to the participants when they are filtered)."""
        stmt = (
            select(*columns)
            .select_from(Attendance)
            .join(Enrollment, Enrollment.id == Attendance.enrollment_id)
            .join(HalfDay, HalfDay.id == Attendance.half_day_id)
            .where(Enrollment.status.in_(ACTIVE_STATUSES))
        )
        if self.days or self.groups:  # the day only when it is filtered on
            stmt = stmt.join(GroupDay, GroupDay.id == HalfDay.group_day_id).where(*self.days)
        if self.groups:
            stmt = stmt.join(Group, Group.id == GroupDay.group_id).where(*self.groups)
        if self.people:
            stmt = stmt.join(Participant, Participant.id == Enrollment.participant_id).where(
                *self.people
            )
        return stmt

    def half_day_ids(self) -> Any:
        """The half-days of the period and of the groups counted, or None when all count."""
        if not (self.days or self.groups):
            return None
        return (
            select(HalfDay.id)
            .join(GroupDay, GroupDay.id == HalfDay.group_day_id)
            .join(Group, Group.id == GroupDay.group_id)
            .where(*self.days, *self.groups)
        )

    def marks(self, *columns: Any, active: bool = True) -> Any:
        """``SELECT columns FROM attendances``, read from a covering index only (no join per
        record): on the half-days counted, of the active enrollments (``active=False``: of the
        others — with no person filter, the records of every enrollment less these are those
        of the active ones, which is cheaper than testing each record's enrollment)."""
        stmt = select(*columns).select_from(Attendance)
        half_days = self.half_day_ids()
        if half_days is not None:
            stmt = stmt.where(Attendance.half_day_id.in_(half_days))
        if self.people:
            enrollments = (
                select(Enrollment.id)
                .join(Participant, Participant.id == Enrollment.participant_id)
                .where(Enrollment.status.in_(ACTIVE_STATUSES), *self.people)
            )
            return stmt.where(Attendance.enrollment_id.in_(enrollments))
        if not active:
            others = select(Enrollment.id).where(Enrollment.status.not_in(ACTIVE_STATUSES))
            stmt = stmt.where(Attendance.enrollment_id.in_(others))
        return stmt

    def enrollments(self, *columns: Any) -> Any:
        """Enrollments of the groups counted that are not cancelled."""
        stmt = (
            select(*columns)
            .select_from(Enrollment)
            .join(Group, Group.id == Enrollment.group_id)
            .where(Group.status != GroupStatus.CANCELLED.value, *self.groups)
        )
        if self.people:
            stmt = stmt.join(Participant, Participant.id == Enrollment.participant_id).where(
                *self.people
            )
        return stmt


def compute_stats(session: Session, flt: StatsFilter | None = None) -> Stats:
    """All the figures for ``flt`` (everything when None); see ``Stats`` for definitions."""
    flt = flt or StatsFilter()
    flt.check()
    query = StatsQuery(session, flt)
    active = _active_by_group(query)
    half_days = _half_days(query, active)
    profiles, came = _profiles(query)
    groups = _groups(query, half_days, active, came)
    spread = _distributions(query, profiles)
    seats = [g for g in groups if g.status != GroupStatus.CANCELLED.value]
    with_capacity = [g for g in seats if g.capacity is not None]
    recorded = [h for h in half_days if h.recorded]
    stats = Stats(
        filter=flt,
        groups_held=sum(g.held for g in groups),
        groups_planned=sum(not g.held for g in seats),
        groups_cancelled=len(groups) - len(seats),
        seats_offered=sum(g.capacity or 0 for g in with_capacity),
        groups_without_capacity=len(seats) - len(with_capacity),
        enrollments=sum(g.enrollments for g in seats),
        enrollments_in_capacity_groups=sum(g.enrollments for g in with_capacity),
        waitlisted=sum(g.waitlisted for g in seats),
        cancelled_enrollments=sum(g.cancelled_enrollments for g in seats),
        participants_trained=sum(line.participants for line in spread.employer),
        trainee_minutes=sum(h.trainee_minutes for h in half_days),
        expected_presences=sum(h.expected for h in recorded),
        attended_presences=sum(h.attended for h in half_days),
        no_shows=sum(g.no_shows for g in groups),
        late_presences=sum(h.late for h in half_days),
        partial_presences=sum(h.partial for h in half_days),
        absences=sum(h.absent for h in half_days),
        excused_absences=sum(h.excused for h in half_days),
        by_group=groups,
        by_half_day=half_days,
        by_month=_months(half_days),
        by_employer=spread.employer,
        by_city=spread.city,
        by_departement=spread.departement,
        by_job_title=spread.job_title,
        by_civility=spread.civility,
    )
    from allervers_desktop.budgets.figures import compute_costs  # it reuses StatsQuery

    return replace(stats, costs=compute_costs(session, stats))


def _active_by_group(query: StatsQuery) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # Read from ix_enrollments_group_status in its order: grouped without a sort.
    group_id = Enrollment.group_id.label("group_id")
    stmt = query.enrollments(group_id, Enrollment.status, func.count()).group_by(
        group_id, Enrollment.status
    )
    for group_id, status, count in query.session.execute(stmt):
        counts[group_id][status] = count
    return counts


def _half_days(query: StatsQuery, active: dict[int, dict[str, int]]) -> list[HalfDayFigures]:
    recorded = exists().where(Attendance.half_day_id == HalfDay.id)
    halves = query.session.execute(
        select(
            HalfDay.id,
            GroupDay.group_id,
            GroupDay.date,
            HalfDay.period,
            HalfDay.start_time,
            HalfDay.end_time,
            recorded,
        )
        .join(GroupDay, GroupDay.id == HalfDay.group_day_id)
        .join(Group, Group.id == GroupDay.group_id)
        .where(*query.groups, *query.days)
        .order_by(GroupDay.date, HalfDay.period, GroupDay.group_id)
    ).all()
    marks = _marks(query)
    figures = []
    for half_id, group_id, date, period, start, end, is_recorded in halves:
        attended, absent, excused, late, partial, minutes = marks.get(half_id, (0,) * 6)
        counts = active.get(group_id, {})
        expected = sum(counts.get(s, 0) for s in ACTIVE_STATUSES) if is_recorded else 0
        figures.append(
            HalfDayFigures(
                half_day_id=half_id,
                group_id=group_id,
                date=date,
                period=period,
                planned_minutes=planned_minutes(start, end),
                recorded=bool(is_recorded),
                expected=expected,
                attended=int(attended or 0),
                absent=int(absent or 0),
                excused=int(excused or 0),
                late=int(late or 0),
                partial=int(partial or 0),
                trainee_minutes=int(minutes or 0),
            )
        )
    return figures


Marks = tuple[int, int, int, int, int, int]  # attended, absent, excused, late, partial, minutes


def _marks(query: StatsQuery) -> dict[int, Marks]:
    """Per half-day: presences, absences, excused, late, partial presences, minutes attended.

    The records are first counted per half-day, status, arrival and departure (one scan of
    ``ix_attendances_half_day_marks``: a few rows per half-day), then the minutes of each of
    those rows are computed once and multiplied by its count."""

    def read(active: bool) -> dict[int, Marks]:
        keys = (
            Attendance.half_day_id,
            Attendance.status,
            Attendance.arrived_at,
            Attendance.left_at,
        )
        counted = (
            query.marks(*keys, func.count().label("n"), active=active).group_by(*keys).subquery()
        )
        status, n = counted.c.status, counted.c.n
        attended = status.in_(ATTENDED_STATUSES)
        minutes = attended_minutes_sql(
            HalfDay.start_time,
            HalfDay.end_time,
            status,
            counted.c.arrived_at,
            counted.c.left_at,
        )
        stmt = (
            select(
                counted.c.half_day_id,
                func.sum(case((attended, n), else_=0)),
                func.sum(case((status == "absent", n), else_=0)),
                func.sum(case((status == "excused", n), else_=0)),
                func.sum(case((status == "late", n), else_=0)),
                func.sum(case((and_(attended, counted.c.left_at.is_not(None)), n), else_=0)),
                func.sum(n * minutes),
            )
            .join(HalfDay, HalfDay.id == counted.c.half_day_id)
            .group_by(counted.c.half_day_id)
        )
        return {
            row[0]: (
                int(row[1] or 0),
                int(row[2] or 0),
                int(row[3] or 0),
                int(row[4] or 0),
                int(row[5] or 0),
                int(row[6] or 0),
            )
            for row in query.session.execute(stmt)
        }

    marks = read(active=True)
    if not query.people:  # every enrollment's records were read: less the inactive ones'
        for half_id, others in read(active=False).items():
            before = marks.get(half_id, (0,) * 6)
            marks[half_id] = tuple(  # type: ignore[assignment]
                mine - theirs for mine, theirs in zip(before, others, strict=True)
            )
    return marks


def _groups(
    query: StatsQuery,
    half_days: list[HalfDayFigures],
    active: dict[int, dict[str, int]],
    came: dict[int, int],
) -> list[GroupFigures]:
    """One row per group; no-shows: active enrollments of a group with a recorded half-day
    in the period, less those with a presence (``came``)."""
    per_group: dict[int, list[HalfDayFigures]] = defaultdict(list)
    for half in half_days:
        per_group[half.group_id].append(half)
    rows = query.session.execute(
        select(
            Group.id,
            Group.course_id,
            Course.title,
            Group.label,
            Group.city,
            Group.status,
            Group.first_date,
            Group.capacity,
        )
        .join(Course, Course.id == Group.course_id)
        .where(*query.groups)
        .order_by(Group.first_date, Course.title, Group.label, Group.id)
    ).all()
    figures = []
    for group_id, course_id, title, label, city, status, first_date, capacity in rows:
        halves = per_group.get(group_id, [])
        counts = active.get(group_id, {})
        cancelled = status == GroupStatus.CANCELLED.value
        started = any(h.recorded for h in halves) and not cancelled
        enrolled = sum(counts.get(s, 0) for s in ACTIVE_STATUSES)
        figures.append(
            GroupFigures(
                group_id=group_id,
                course_id=course_id,
                course_title=title,
                label=label,
                city=city,
                status=status,
                first_date=first_date,
                capacity=capacity,
                held=not cancelled
                and (status == GroupStatus.COMPLETED.value or any(h.recorded for h in halves)),
                enrollments=enrolled,
                waitlisted=counts.get(EnrollmentStatus.WAITLISTED.value, 0),
                cancelled_enrollments=counts.get(EnrollmentStatus.CANCELLED.value, 0),
                expected=sum(h.expected for h in halves),
                attended=sum(h.attended for h in halves),
                no_shows=(enrolled - came.get(group_id, 0)) if started else 0,
                trainee_minutes=sum(h.trainee_minutes for h in halves),
            )
        )
    return figures


def _months(half_days: Iterable[HalfDayFigures]) -> list[MonthFigures]:
    minutes: dict[str, int] = defaultdict(int)
    attended: dict[str, int] = defaultdict(int)
    for half in half_days:
        month = f"{half.date.year:04d}-{half.date.month:02d}"
        minutes[month] += half.trainee_minutes
        attended[month] += half.attended
    return [MonthFigures(month, minutes[month], attended[month]) for month in sorted(minutes)]


Counts = tuple[dict[Any, tuple[int, int]], dict[Any, int]]  # (trained, minutes), enrolled
# The distributions the database adds up: by employer (key: its id), job title, civility.
DIMENSIONS = ("employer", "job_title", "civility")


def _by_dimension(profile: Any, counted: Any) -> Any:
    """``SELECT kind, employer_id, text, COUNT(*), SUM(minutes)`` per dimension, UNION ALL."""
    blank_id, blank_text = cast(null(), Integer), cast(null(), String)
    return [
        select(literal(kind), key_id, key_text, func.count(), counted).group_by(
            key_id if key_text is blank_text else key_text
        )
        for kind, key_id, key_text in (
            ("employer", profile.c.employer_id, blank_text),
            ("job_title", blank_id, profile.c.job_title),
            ("civility", blank_id, profile.c.civility),
        )
    ]


def _per_enrollment(query: StatsQuery) -> Any:
    """CTE: per active enrollment with a presence, its person, group and minutes attended.

    One scan of ``ix_attendances_enrollment_marks`` (enrollment order, so the sum needs no
    sort), each record looking up its half-day's start and end, computed once per half-day
    in a materialised CTE (no text arithmetic per record but for late arrivals and early
    departures); then one look-up of each enrollment summed."""
    times = (
        select(
            HalfDay.id.label("id"),
            minutes_of(HalfDay.start_time).label("start"),
            minutes_of(HalfDay.end_time).label("end"),
        )
        .cte("half_day_times")
        .prefix_with("MATERIALIZED")
    )
    status, arrived, left = Attendance.status, Attendance.arrived_at, Attendance.left_at
    first = case(
        (
            and_(status == "late", arrived.is_not(None), minutes_of(arrived) > times.c.start),
            minutes_of(arrived),
        ),
        else_=times.c.start,
    )
    last = case(
        (and_(left.is_not(None), minutes_of(left) < times.c.end), minutes_of(left)),
        else_=times.c.end,
    )
    summed = (
        query.marks(
            Attendance.enrollment_id.label("enrollment_id"),
            func.sum(case((last > first, last - first), else_=0)).label("minutes"),
        )
        .join(times, times.c.id == Attendance.half_day_id)
        .where(status.in_(ATTENDED_STATUSES))
        .group_by(Attendance.enrollment_id)
        .subquery("summed")
    )
    return (
        select(
            Enrollment.participant_id.label("participant_id"),
            Enrollment.group_id.label("group_id"),
            summed.c.minutes,
        )
        .join(Enrollment, Enrollment.id == summed.c.enrollment_id)
        .where(Enrollment.status.in_(ACTIVE_STATUSES))
        .cte("per_enrollment")
    )


def _profiles(query: StatsQuery) -> tuple[dict[str, Counts], dict[int, int]]:
    """Per dimension (employer, job title, civility), the people trained with their minutes
    and the people enrolled; and per group, the active enrollments with a presence (for the
    no-shows).

    Inside the database: the attendance summed per enrollment, then per person (CTEs), each
    person's profile read once, and one GROUP BY per dimension (UNION ALL). A participant has
    one employer, job title and civility, so the lines of each dimension add up to the total.
    The enrolled: the participants IN the active enrollments, counted the same way."""
    per_enrollment = _per_enrollment(query)
    per_person = (
        select(
            per_enrollment.c.participant_id,
            func.sum(per_enrollment.c.minutes).label("minutes"),
        )
        .group_by(per_enrollment.c.participant_id)
        .cte("per_person")
    )
    trained_profile = (
        select(
            Participant.employer_id,
            Participant.job_title,
            Participant.civility,
            per_person.c.minutes,
        )
        .join(per_person, per_person.c.participant_id == Participant.id)
        .cte("trained_profile")
    )
    came_by_group = select(
        literal("group"),
        per_enrollment.c.group_id,
        cast(null(), String),
        func.count(),
        func.sum(per_enrollment.c.minutes),
    ).group_by(per_enrollment.c.group_id)
    counts: dict[str, Counts] = {kind: ({}, {}) for kind in DIMENSIONS}
    came: dict[int, int] = {}
    statement = union_all(
        came_by_group, *_by_dimension(trained_profile, func.sum(trained_profile.c.minutes))
    )
    for kind, key_id, key_text, count, minutes in query.session.execute(statement):
        if kind == "group":
            came[key_id] = int(count)
        else:
            key = key_id if kind == "employer" else key_text
            counts[kind][0][key] = (int(count), int(minutes or 0))
    enrolled_ids = query.enrollments(Enrollment.participant_id).where(
        Enrollment.status.in_(ACTIVE_STATUSES)
    )
    enrolled_profile = (
        select(Participant.employer_id, Participant.job_title, Participant.civility)
        .where(Participant.id.in_(enrolled_ids), *query.people)
        .cte("enrolled_profile")
    )
    for kind, key_id, key_text, count, _none in query.session.execute(
        union_all(*_by_dimension(enrolled_profile, cast(null(), Integer)))
    ):
        counts[kind][1][key_id if kind == "employer" else key_text] = int(count)
    return counts, came


def _lines(
    trained: dict[Any, tuple[int, int]], enrolled: dict[Any, int], label: Any
) -> list[Breakdown]:
    lines = [
        Breakdown(
            key=NONE_KEY if key is None else str(key),
            label=label(key),
            participants=trained.get(key, (0, 0))[0],
            enrolled=int(enrolled.get(key, 0)),
            trainee_minutes=trained.get(key, (0, 0))[1],
        )
        for key in set(trained) | set(enrolled)
    ]
    return sorted(lines, key=lambda line: (-line.participants, -line.enrolled, line.label))


def _rolled_up(counts: Counts, group_of: Any) -> Counts:
    """The counts of ``counts`` added up by ``group_of(key)``."""
    trained, enrolled = counts
    rolled_trained: dict[Any, tuple[int, int]] = {}
    for key, (people, minutes) in trained.items():
        group = group_of(key)
        before = rolled_trained.get(group, (0, 0))
        rolled_trained[group] = (before[0] + people, before[1] + minutes)
    rolled_enrolled: dict[Any, int] = defaultdict(int)
    for key, people in enrolled.items():
        rolled_enrolled[group_of(key)] += people
    return rolled_trained, dict(rolled_enrolled)


@dataclass(frozen=True)
class Distributions:
    employer: list[Breakdown]
    city: list[Breakdown]
    departement: list[Breakdown]
    job_title: list[Breakdown]
    civility: list[Breakdown]


def _distributions(query: StatsQuery, profiles: dict[str, Counts]) -> Distributions:
    """By employer, employer city, département (sums of employers), job title, civility."""
    by_employer = profiles["employer"]
    ids = [key for key in set(by_employer[0]) | set(by_employer[1]) if key is not None]
    employers: dict[int | None, tuple[str, str, str]] = {None: (NO_EMPLOYER, "", "")}
    for start in range(0, len(ids), 1000):
        for employer_id, name, city, address, finess in query.session.execute(
            select(
                Employer.id, Employer.name, Employer.city, Employer.address, Employer.finess
            ).where(Employer.id.in_(ids[start : start + 1000]))
        ):
            label = f"{name} ({city})" if city else name
            employers[employer_id] = (label, city, departement_of(address, finess))
    cities = _rolled_up(by_employer, lambda key: employers[key][1] if key else None)
    departements = _rolled_up(by_employer, lambda key: employers[key][2] if key else None)
    return Distributions(
        employer=_lines(*by_employer, lambda key: employers[key][0]),
        city=_lines(*cities, lambda key: NO_EMPLOYER if key is None else key or NO_VALUE),
        departement=_lines(
            *departements, lambda key: NO_EMPLOYER if key is None else departement_label(key)
        ),
        job_title=_lines(*profiles["job_title"], lambda key: key or NO_VALUE),
        civility=_lines(*profiles["civility"], lambda key: CIVILITY_LABELS.get(key, key)),
    )
