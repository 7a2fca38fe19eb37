"""Cost figures of the statistics: total, Opco and co-financer shares, cost per person trained.

Rules (as auditors read them):

1. The groups counted are those of the ``StatsFilter`` (``Stats.by_group``). A group's own
   cost lines count in full, whatever its status (a cancelled group's venue fee was paid).
2. A course's cost lines count when at least one of its groups in the filter was *held*
   (not cancelled, and « terminé » or with a recorded half-day in the period). They are spread
   over those held groups in proportion to their trainee-hours in the period (the minutes
   attended of ``Stats``); when none of them has any, in equal parts. Each share is in cents,
   rounded by the largest remainder so that the shares add up to the course's cost exactly.
   A course cost with no held group in the filter is not counted: it is shown apart
   (``unspread_cents``).
3. With a participant filter (employer, département), each group's cost is taken in
   proportion to the trainee-hours of the participants selected over those of all its
   participants (nothing when they attended nothing).
4. ``participants_trained`` and ``trainee_minutes`` are those of ``Stats`` (distinct people
   with a presence; minutes attended): cost per participant = total / participants trained,
   cost per trainee-hour = total / (trainee minutes / 60); None when either is missing.

The sums of the cost lines are made in SQL (one row per group or course and per kind ×
funder × co-financer); Python only spreads these few sums.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.budgets.cost_figures import CostFigures, GroupCost
from allervers_desktop.db.models import Attendance, CostLine, Enrollment, Funder, Group
from allervers_desktop.presence import ATTENDED_STATUSES
from allervers_desktop.stats.compute import StatsQuery, minutes_attended
from allervers_desktop.stats.figures import GroupFigures, Stats
from allervers_desktop.stats.filters import group_conditions

Bucket = tuple[str, str, str]  # kind, funder, co-financer's name


def spread(amount: int, weights: list[int]) -> list[int]:
    """``amount`` in parts proportional to ``weights`` (equal parts when they are all 0),
    rounded by the largest remainder so that they add up to ``amount``."""
    if not weights:
        return []
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [amount * weight // whole for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % whole), i))
    for index in remainders[: amount - sum(parts)]:
        parts[index] += 1
    return parts


def _scaled(amount: int, part: int, whole: int) -> int:
    """amount × part / whole, rounded half up (0 when whole is 0)."""
    return (2 * amount * part + whole) // (2 * whole) if whole else 0


def compute_costs(session: Session, stats: Stats) -> CostFigures:
    """The cost figures for the filter of ``stats`` (see the module docstring)."""
    query = StatsQuery(session, stats.filter)
    groups = {g.group_id: g for g in stats.by_group}
    own, courses = _sums(session, stats)
    if not own and not courses:  # no budget: no further reading of the attendance
        return CostFigures(False, 0, 0, 0, stats.participants_trained, stats.trainee_minutes)
    # Trainee-minutes of all the participants of each group (the spread's weights).
    everyone = _minutes_of_everyone(session, stats) if query.people else None

    def weight(group: GroupFigures) -> int:
        return everyone.get(group.group_id, 0) if everyone is not None else group.trainee_minutes

    buckets: dict[int, dict[Bucket, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for (group_id, kind, funder, name), cents in own.items():
        buckets[group_id][kind, funder, name][0] += cents
    unspread = 0
    for (course_id, kind, funder, name), cents in courses.items():
        held = [g for g in stats.by_group if g.course_id == course_id and g.held]
        if not held:
            unspread += cents
            continue
        for group, part in zip(held, spread(cents, [weight(g) for g in held]), strict=True):
            buckets[group.group_id][kind, funder, name][1] += part
    if everyone is not None:  # rule 3: the share of the participants selected
        for group_id, per_bucket in buckets.items():
            mine, all_of_them = groups[group_id].trainee_minutes, everyone.get(group_id, 0)
            for amounts in per_bucket.values():
                amounts[0] = _scaled(amounts[0], mine, all_of_them)
                amounts[1] = _scaled(amounts[1], mine, all_of_them)
    trained = _trained_by_group(query)
    by_group: list[GroupCost] = []
    by_cofinancer: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    for group in stats.by_group:
        lines = buckets.get(group.group_id)
        if not lines:
            continue
        opco = cofinancer = 0
        for (kind, funder, name), (mine_, share) in lines.items():
            by_kind[kind] += mine_ + share
            if funder == Funder.OPCO.value:
                opco += mine_ + share
            else:
                cofinancer += mine_ + share
                by_cofinancer[name] += mine_ + share
        by_group.append(
            GroupCost(
                group_id=group.group_id,
                course_id=group.course_id,
                course_title=group.course_title,
                label=group.label,
                city=group.city,
                held=group.held,
                own_cents=sum(a[0] for a in lines.values()),
                course_share_cents=sum(a[1] for a in lines.values()),
                opco_cents=opco,
                cofinancer_cents=cofinancer,
                participants_trained=trained.get(group.group_id, 0),
                trainee_minutes=group.trainee_minutes,
            )
        )
    return CostFigures(
        has_budget=bool(own) or bool(courses),
        total_cents=sum(g.total_cents for g in by_group),
        opco_cents=sum(g.opco_cents for g in by_group),
        cofinancer_cents=sum(g.cofinancer_cents for g in by_group),
        participants_trained=stats.participants_trained,
        trainee_minutes=stats.trainee_minutes,
        unspread_cents=unspread,
        by_cofinancer=sorted(by_cofinancer.items()),
        by_kind=sorted(by_kind.items(), key=lambda item: -item[1]),
        by_group=by_group,
    )


Sums = dict[tuple[int, str, str, str], int]


def _sums(session: Session, stats: Stats) -> tuple[Sums, Sums]:
    """The cost lines summed per group (of the filter) and per course (of those groups), by
    kind × funder × co-financer."""
    conditions = group_conditions(stats.filter)
    columns = (CostLine.kind, CostLine.funder, CostLine.cofinancer)
    own_stmt = (
        select(CostLine.group_id, *columns, func.sum(CostLine.amount_cents))
        .join(Group, Group.id == CostLine.group_id)
        .where(*conditions)
        .group_by(CostLine.group_id, *columns)
    )
    course_ids = select(Group.course_id).where(*conditions)
    course_stmt = (
        select(CostLine.course_id, *columns, func.sum(CostLine.amount_cents))
        .where(CostLine.course_id.in_(course_ids))
        .group_by(CostLine.course_id, *columns)
    )
    return _keyed(session.execute(own_stmt)), _keyed(session.execute(course_stmt))


def _keyed(rows: Any) -> Sums:
    return {
        (int(owner), kind, funder, name): int(cents) for owner, kind, funder, name, cents in rows
    }


def _minutes_of_everyone(session: Session, stats: Stats) -> dict[int, int]:
    """Minutes attended per group by all its participants (the filter without its
    participant conditions), summed in SQL."""
    flt = replace(stats.filter, employer_id=None, departement=None)
    query = StatsQuery(session, flt)
    stmt = query.attendance(Enrollment.group_id, func.sum(minutes_attended())).group_by(
        Enrollment.group_id
    )
    return {group_id: int(minutes or 0) for group_id, minutes in session.execute(stmt)}


def _trained_by_group(query: StatsQuery) -> dict[int, int]:
    """Per group, distinct people with a presence (the definition of ``Stats``)."""
    stmt = (
        query.attendance(Enrollment.group_id, func.count(func.distinct(Enrollment.participant_id)))
        .where(Attendance.status.in_(ATTENDED_STATUSES))
        .group_by(Enrollment.group_id)
    )
    return {group_id: int(count) for group_id, count in query.session.execute(stmt)}
