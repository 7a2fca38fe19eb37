"""The figures of the statistics, each defined as auditors read it (plain data, no database).

Words used below:

- an *active enrollment* is « inscrit » or « confirmé » (not « liste d'attente », not
  « annulé »);
- a *presence* is an attendance record « présent » or « en retard » of an active enrollment;
- a half-day is *recorded* once any attendance was entered for it (for anyone);
- *minutes attended* are those of ``presence.attended_minutes``: from the start (or the late
  arrival) to the end (or the early departure), never more than the half-day lasts — the hours
  of the attestations and certificates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allervers_desktop.budgets.cost_figures import CostFigures
from allervers_desktop.stats.filters import StatsFilter


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Breakdown:
    """One line of a distribution (by employer, city, département, job title, civility).

    ``participants``: distinct people with at least one presence (trained); ``enrolled``:
    distinct people with an active enrollment in a group that is not cancelled;
    ``trainee_minutes``: their minutes attended. ``key`` identifies the line for a filter
    (an employer's id, a département code, the job title as stored; « none »: no employer)."""

    key: str
    label: str
    participants: int
    enrolled: int
    trainee_minutes: int

    @property
    def trainee_hours(self) -> float:
        return self.trainee_minutes / 60


@dataclass(frozen=True)
class HalfDayFigures:
    """Attendance of one half-day. ``expected``: the group's active enrollments (0 while the
    half-day is not recorded); ``attended``: presences; ``late``: « en retard »; ``partial``:
    presences with a departure before the end; ``absent`` / ``excused``: « absent » /
    « excusé » records of active enrollments."""

    half_day_id: int
    group_id: int
    date: dt.date
    period: str
    planned_minutes: int
    recorded: bool
    expected: int
    attended: int
    absent: int
    excused: int
    late: int
    partial: int
    trainee_minutes: int

    @property
    def attendance_rate(self) -> float | None:
        return ratio(self.attended, self.expected)


@dataclass(frozen=True)
class GroupFigures:
    """One group: ``enrollments`` (active), ``waitlisted``, ``cancelled_enrollments``;
    ``expected`` and ``attended`` summed over its recorded half-days; ``no_shows`` as in
    ``Stats``; ``trainee_minutes`` attended by its participants."""

    group_id: int
    course_id: int
    course_title: str
    label: str
    city: str
    status: str
    first_date: dt.date | None
    capacity: int | None
    held: bool
    enrollments: int
    waitlisted: int
    cancelled_enrollments: int
    expected: int
    attended: int
    no_shows: int
    trainee_minutes: int

    @property
    def fill_rate(self) -> float | None:
        """Active enrollments / capacity (None without a capacity)."""
        return ratio(self.enrollments, self.capacity or 0)

    @property
    def attendance_rate(self) -> float | None:
        return ratio(self.attended, self.expected)


@dataclass(frozen=True)
class MonthFigures:
    """Trainee-hours of the half-days dated in one month (« 2024-09 »)."""

    month: str
    trainee_minutes: int
    attended: int

    @property
    def trainee_hours(self) -> float:
        return self.trainee_minutes / 60


@dataclass(frozen=True)
class Stats:
    """The figures for one ``StatsFilter``.

    Groups (those matching the filter):
    - ``groups_cancelled``: status « annulé »;
    - ``groups_held``: not cancelled, and « terminé » or with at least one recorded half-day in
      the period;
    - ``groups_planned``: the other groups (not cancelled, not held yet).

    Seats and enrollments (groups not cancelled only):
    - ``seats_offered``: sum of the capacities of the groups that have one
      (``groups_without_capacity`` counts the others);
    - ``enrollments``: active enrollments; ``waitlisted``: « liste d'attente »;
      ``cancelled_enrollments``: « annulé »;
    - ``fill_rate``: active enrollments of the groups with a capacity / ``seats_offered``.

    Attendance (half-days of the period, active enrollments):
    - ``participants_trained``: distinct people with at least one presence;
    - ``trainee_minutes`` (heures-stagiaires × 60): minutes attended, summed over presences;
    - ``expected_presences``: over recorded half-days, the active enrollments of the group;
      ``attended_presences``: presences; ``attendance_rate`` = attended / expected;
    - ``no_shows``: active enrollments of a group with a recorded half-day in the period but
      no presence on any half-day of the period (never came);
    - ``late_presences``: « en retard »; ``partial_presences``: presences with a departure
      before the end of the half-day; ``absences``: « absent » (to be justified);
      ``excused_absences``: « excusé ».

    Costs: ``costs``, see ``budgets/figures.py`` for how a course's cost is spread.
    """

    filter: StatsFilter
    groups_held: int
    groups_planned: int
    groups_cancelled: int
    seats_offered: int
    groups_without_capacity: int
    enrollments: int
    enrollments_in_capacity_groups: int
    waitlisted: int
    cancelled_enrollments: int
    participants_trained: int
    trainee_minutes: int
    expected_presences: int
    attended_presences: int
    no_shows: int
    late_presences: int
    partial_presences: int
    absences: int
    excused_absences: int
    by_group: list[GroupFigures] = field(default_factory=list)
    by_half_day: list[HalfDayFigures] = field(default_factory=list)
    by_month: list[MonthFigures] = field(default_factory=list)
    by_employer: list[Breakdown] = field(default_factory=list)
    by_city: list[Breakdown] = field(default_factory=list)
    by_departement: list[Breakdown] = field(default_factory=list)
    by_job_title: list[Breakdown] = field(default_factory=list)
    by_civility: list[Breakdown] = field(default_factory=list)
    # Budgets (``budgets/figures.py``); None only for figures built without them.
    costs: CostFigures | None = None

    @property
    def trainee_hours(self) -> float:
        return self.trainee_minutes / 60

    @property
    def fill_rate(self) -> float | None:
        return ratio(self.enrollments_in_capacity_groups, self.seats_offered)

    @property
    def attendance_rate(self) -> float | None:
        return ratio(self.attended_presences, self.expected_presences)
