"""The statistics on the hand-counted sample (see sample.py): every figure by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from allervers_desktop.db.database import Database
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.stats.compute import compute_stats
from allervers_desktop.stats.figures import Breakdown, Stats
from allervers_desktop.stats.filters import StatsFilter
from tests.unit.stats.sample import Sample, build_sample


@pytest.fixture
def sample(database: Database) -> Sample:
    return build_sample(database)


def stats(database: Database, **fields: object) -> Stats:
    with database.session() as session:
        return compute_stats(session, StatsFilter(**fields))  # type: ignore[arg-type]


def lines(breakdown: list[Breakdown]) -> list[tuple[str, int, int, int]]:
    return [(b.label, b.participants, b.enrolled, b.trainee_minutes) for b in breakdown]


def test_every_figure_without_filter(database: Database, sample: Sample) -> None:
    s = stats(database)
    # Groupe 1 terminé (held), Groupe 3 prévu, Groupe 2 annulé.
    assert (s.groups_held, s.groups_planned, s.groups_cancelled) == (1, 1, 1)
    # Seats: Groupe 1's 5 (Groupe 2 cancelled, Groupe 3 without capacity).
    assert (s.seats_offered, s.groups_without_capacity) == (5, 1)
    # Active: AUBRY, BARDOT, CAMUS, ESTIER in G1 + CAMUS, DORE in G3 (G2 cancelled: not counted).
    assert (s.enrollments, s.enrollments_in_capacity_groups, s.waitlisted) == (6, 4, 1)
    assert s.fill_rate == pytest.approx(4 / 5)
    assert s.participants_trained == 3  # AUBRY, BARDOT, CAMUS
    assert s.trainee_minutes == 840 + 340 + 630
    assert s.trainee_hours == pytest.approx(1810 / 60)
    # 4 recorded half-days × 4 active enrollments; presences: 4 + 2 + 3.
    assert (s.expected_presences, s.attended_presences) == (16, 9)
    assert s.attendance_rate == pytest.approx(9 / 16)
    assert s.no_shows == 1  # ESTIER
    assert (s.late_presences, s.partial_presences) == (1, 1)  # BARDOT twice
    assert (s.absences, s.excused_absences) == (4, 1)  # BARDOT, CAMUS, ESTIER ×2; BARDOT

    g1, g2, g3 = s.by_group
    assert (g1.label, g1.enrollments, g1.waitlisted, g1.expected, g1.attended) == (
        "Groupe 1",
        4,
        1,
        16,
        9,
    )
    assert (g1.no_shows, g1.trainee_minutes, g1.fill_rate, g1.held) == (1, 1810, 0.8, True)
    assert (g2.label, g2.status, g2.held, g2.enrollments) == ("Groupe 2", "cancelled", False, 0)
    assert (g3.label, g3.enrollments, g3.expected, g3.fill_rate, g3.held) == (
        "Groupe 3",
        2,
        0,
        None,
        False,
    )
    # Half-days in date order: G1 ×4, G2 am, G3 am and pm.
    assert [
        (h.date.day, h.period, h.expected, h.attended, h.trainee_minutes) for h in s.by_half_day
    ] == [
        (25, "am", 4, 3, 210 + 190 + 210),
        (25, "pm", 4, 3, 210 + 150 + 210),
        (26, "am", 4, 2, 420),
        (26, "pm", 4, 1, 210),
        (10, "am", 0, 0, 0),
        (14, "am", 0, 0, 0),
        (14, "pm", 0, 0, 0),
    ]
    assert [(h.absent, h.excused, h.late, h.partial) for h in s.by_half_day[:4]] == [
        (1, 0, 1, 0),
        (1, 0, 0, 1),
        (1, 0, 0, 0),
        (1, 1, 0, 0),
    ]
    assert [(m.month, m.trainee_minutes, m.attended) for m in s.by_month] == [
        ("2024-09", 1810, 9),
        ("2024-10", 0, 0),
        ("2024-11", 0, 0),
    ]
    assert lines(s.by_employer) == [
        ("=EHPAD Les Tilleuls (Strasbourg)", 2, 2, 840 + 340),
        ("CCAS de Metz (Metz)", 1, 3, 630),
    ]
    assert lines(s.by_city) == [("Strasbourg", 2, 2, 1180), ("Metz", 1, 3, 630)]
    assert lines(s.by_departement) == [("67", 2, 2, 1180), ("57", 1, 3, 630)]
    assert lines(s.by_job_title) == [
        ("Éducatrice", 2, 3, 840 + 630),
        ("Infirmier", 1, 1, 340),
        ("Psychologue", 0, 1, 0),
    ]
    assert lines(s.by_civility) == [("Femmes (Mme)", 2, 4, 1470), ("Hommes (M.)", 1, 1, 340)]


def test_a_period_counts_only_its_half_days(database: Database, sample: Sample) -> None:
    day = dt.date(2024, 9, 26)
    s = stats(database, date_from=day, date_to=day)
    assert [g.label for g in s.by_group] == ["Groupe 1"]
    assert (s.groups_held, s.groups_planned, s.groups_cancelled) == (1, 0, 0)
    assert (s.expected_presences, s.attended_presences) == (8, 3)  # AUBRY ×2, CAMUS
    assert s.trainee_minutes == 420 + 210
    assert s.participants_trained == 2
    assert s.no_shows == 2  # BARDOT (absent, excused) and ESTIER did not come that day
    assert (s.late_presences, s.partial_presences, s.absences, s.excused_absences) == (0, 0, 2, 1)


def test_employer_and_departement_filters(database: Database, sample: Sample) -> None:
    s = stats(database, employer_id=sample.employers["tilleuls"])
    assert (s.enrollments, s.participants_trained, s.trainee_minutes) == (2, 2, 1180)
    assert (s.expected_presences, s.attended_presences, s.no_shows) == (8, 6, 0)
    assert s.fill_rate == pytest.approx(2 / 5)
    assert lines(s.by_departement) == [("67", 2, 2, 1180)]

    metz = stats(database, departement="57")
    assert (metz.enrollments, metz.participants_trained, metz.trainee_minutes) == (4, 1, 630)
    assert (metz.expected_presences, metz.attended_presences, metz.no_shows) == (8, 3, 1)
    assert lines(metz.by_employer) == [("CCAS de Metz (Metz)", 1, 3, 630)]
    assert stats(database, departement="2A").enrollments == 0


def test_course_city_and_status_filters(database: Database, sample: Sample) -> None:
    assert stats(database, course_id=sample.other_course_id).by_group == []
    assert stats(database, course_id=sample.course_id).trainee_minutes == 1810
    metz = stats(database, city="Metz")
    assert [g.label for g in metz.by_group] == ["Groupe 2", "Groupe 3"]
    assert (metz.enrollments, metz.trainee_minutes, metz.groups_cancelled) == (2, 0, 1)
    cancelled = stats(database, group_status="cancelled")
    assert (cancelled.groups_cancelled, cancelled.enrollments, cancelled.seats_offered) == (1, 0, 0)
    assert cancelled.fill_rate is None and cancelled.attendance_rate is None


def test_wrong_filters_are_refused_in_french(database: Database) -> None:
    with pytest.raises(ServiceError, match="La période est vide : le 02/10/2024 est après"):
        stats(database, date_from=dt.date(2024, 10, 2), date_to=dt.date(2024, 10, 1))
    with pytest.raises(ServiceError, match="Statut de groupe inconnu « fini »"):
        stats(database, group_status="fini")


def test_an_empty_database_has_zero_everywhere(database: Database) -> None:
    s = stats(database)
    assert (s.groups_held, s.enrollments, s.trainee_minutes, s.no_shows) == (0, 0, 0, 0)
    assert s.by_employer == [] and s.fill_rate is None
