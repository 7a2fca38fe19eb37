"""The statistics on the example data plus generated attendance, against figures computed here
in Python from the ORM objects and presence.py (not by the same SQL).

Edge cases added to the course sheet's example: a waiting list, a cancelled enrollment, a
participant in two groups, late arrivals, early departures, excused and plain absences, and a
cancelled group."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Attendance, Enrollment, Group, GroupDay, HalfDay
from allervers_desktop.presence import attended_minutes
from allervers_desktop.stats.compute import compute_stats
from allervers_desktop.stats.departements import departement_of
from allervers_desktop.stats.filters import StatsFilter

ACTIVE = ("registered", "confirmed")
T = dt.time


def _generate(session: Session) -> None:
    rng = random.Random(12)
    groups = session.scalars(select(Group).order_by(Group.id)).all()
    first, second = groups[0], groups[1]
    enrollments = session.scalars(select(Enrollment).order_by(Enrollment.id)).all()
    mine = [e for e in enrollments if e.group_id == first.id]
    mine[0].status = "waitlisted"
    mine[1].status = "cancelled"
    # Someone of the first group also in the second one.
    twice = mine[2].participant
    if all(e.participant_id != twice.id for e in second.enrollments):
        session.add(Enrollment(group=second, participant=twice, status="confirmed"))
    extra = Group(course=first.course, label="Groupe annulé", city="Nancy", status="cancelled")
    extra.days.append(
        GroupDay(
            date=dt.date(2024, 12, 2),
            half_days=[HalfDay(period="am", start_time=T(9, 0), end_time=T(12, 0))],
        )
    )
    session.add(extra)
    session.flush()
    for group in (first, second):
        for half in group.half_days:
            for enrollment in group.enrollments:
                if enrollment.status not in ACTIVE and rng.random() < 0.5:
                    continue  # nothing recorded for some of the others
                roll = rng.random()
                arrived = left = None
                if roll < 0.6:
                    status = "present"
                elif roll < 0.7:
                    status, arrived = "late", T(half.start_time.hour, 25)
                elif roll < 0.8:
                    status, left = "present", T(half.end_time.hour - 1, 10)
                elif roll < 0.9:
                    status = "absent"
                else:
                    status = "excused"
                session.add(
                    Attendance(
                        enrollment=enrollment,
                        half_day=half,
                        status=status,
                        arrived_at=arrived,
                        left_at=left,
                    )
                )


def _expected(session: Session) -> dict[str, object]:
    """The figures recounted record by record."""
    trained: set[int] = set()
    minutes = 0
    minutes_by_dep: dict[str, int] = defaultdict(int)
    people_by_dep: dict[str, set[int]] = defaultdict(set)
    came: set[int] = set()
    expected = attended = 0
    enrollments = 0
    for group in session.scalars(select(Group)).all():
        if group.status == "cancelled":
            continue
        active = [e for e in group.enrollments if e.status in ACTIVE]
        enrollments += len(active)
        for half in group.half_days:
            records = session.scalars(
                select(Attendance).where(Attendance.half_day_id == half.id)
            ).all()
            if records:
                expected += len(active)
            for record in records:
                enrollment = record.enrollment
                if enrollment.status not in ACTIVE or record.status not in ("present", "late"):
                    continue
                attended += 1
                person = enrollment.participant
                employer = person.employer
                dep = departement_of(employer.address, employer.finess) if employer else "none"
                value = attended_minutes(
                    half.start_time, half.end_time, record.status, record.arrived_at, record.left_at
                )
                minutes += value
                minutes_by_dep[dep] += value
                people_by_dep[dep].add(person.id)
                trained.add(person.id)
                came.add(enrollment.id)
    no_shows = sum(
        1
        for group in session.scalars(select(Group)).all()
        if group.status != "cancelled"
        and any(
            session.scalars(select(Attendance).where(Attendance.half_day_id == h.id)).first()
            for h in group.half_days
        )
        for e in group.enrollments
        if e.status in ACTIVE and e.id not in came
    )
    return {
        "trained": len(trained),
        "minutes": minutes,
        "expected": expected,
        "attended": attended,
        "enrollments": enrollments,
        "no_shows": no_shows,
        "by_dep": {dep: (len(people_by_dep[dep]), minutes_by_dep[dep]) for dep in people_by_dep},
    }


def test_figures_match_a_recount(demo_database: Database) -> None:
    with demo_database.transaction() as session:
        _generate(session)
    with demo_database.session() as session:
        want = _expected(session)
        stats = compute_stats(session, StatsFilter())
    assert want["minutes"] and want["trained"] and want["expected"]  # something to count
    assert stats.participants_trained == want["trained"]
    assert stats.trainee_minutes == want["minutes"]
    assert (stats.expected_presences, stats.attended_presences) == (
        want["expected"],
        want["attended"],
    )
    assert stats.enrollments == want["enrollments"]
    assert stats.no_shows == want["no_shows"]
    assert stats.groups_cancelled == 1
    got = {
        line.key: (
            line.participants,
            line.trainee_minutes,
        )
        for line in stats.by_departement
        if line.participants
    }
    assert got == want["by_dep"]
    assert sum(line.trainee_minutes for line in stats.by_employer) == want["minutes"]
    assert sum(m.trainee_minutes for m in stats.by_month) == want["minutes"]
    assert sum(g.trainee_minutes for g in stats.by_group) == want["minutes"]


@pytest.mark.parametrize("day", [dt.date(2023, 9, 25), dt.date(2023, 10, 17)])
def test_one_day_is_a_part_of_the_whole(demo_database: Database, day: dt.date) -> None:
    with demo_database.transaction() as session:
        _generate(session)
    with demo_database.session() as session:
        whole = compute_stats(session, StatsFilter())
        part = compute_stats(session, StatsFilter(date_from=day, date_to=day))
    expected = sum(h.trainee_minutes for h in whole.by_half_day if h.date == day)
    assert expected > 0 and part.trainee_minutes == expected
    assert [g.label for g in part.by_group] == [
        g.label
        for g in whole.by_group
        if any(h.date == day and h.group_id == g.group_id for h in whole.by_half_day)
    ]
    assert part.attended_presences == sum(h.attended for h in whole.by_half_day if h.date == day)
