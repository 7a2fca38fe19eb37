"""Plain JSON-ready values of ``Stats`` (the command line's ``--json``; hours to the hundredth)."""

from __future__ import annotations

from typing import Any

from allervers_desktop.budgets.amounts import euros_value
from allervers_desktop.stats.figures import Breakdown, Stats


def hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def breakdown_json(lines: list[Breakdown]) -> list[dict[str, Any]]:
    return [
        {
            "key": line.key,
            "label": line.label,
            "participants": line.participants,
            "enrolled": line.enrolled,
            "trainee_hours": hours(line.trainee_minutes),
        }
        for line in lines
    ]


def cost_json(stats: Stats) -> dict[str, Any]:
    """Euros to the cent; every figure null when no budget is entered for the filter."""
    costs = stats.costs
    if costs is None or not costs.has_budget:
        keys = ("total_cost", "opco_cost", "cofinancer_cost", "cost_per_participant")
        return {**dict.fromkeys(keys), "cost_per_trainee_hour": None, "cost_by_cofinancer": []}
    per_person, per_hour = costs.cost_per_participant, costs.cost_per_trainee_hour
    return {
        "total_cost": euros_value(costs.total_cents),
        "opco_cost": euros_value(costs.opco_cents),
        "cofinancer_cost": euros_value(costs.cofinancer_cents),
        "cost_per_participant": None if per_person is None else euros_value(per_person),
        "cost_per_trainee_hour": None if per_hour is None else euros_value(per_hour),
        "cost_by_cofinancer": [
            {"cofinancer": name, "cost": euros_value(cents)} for name, cents in costs.by_cofinancer
        ],
    }


def stats_json(stats: Stats) -> dict[str, Any]:
    flt = stats.filter
    return {
        "filter": {
            "from": flt.date_from.isoformat() if flt.date_from else None,
            "to": flt.date_to.isoformat() if flt.date_to else None,
            "course_id": flt.course_id,
            "city": flt.city,
            "departement": flt.departement,
            "group_status": flt.group_status,
            "employer_id": flt.employer_id,
        },
        "groups_held": stats.groups_held,
        "groups_planned": stats.groups_planned,
        "groups_cancelled": stats.groups_cancelled,
        "seats_offered": stats.seats_offered,
        "groups_without_capacity": stats.groups_without_capacity,
        "enrollments": stats.enrollments,
        "waitlisted": stats.waitlisted,
        "cancelled_enrollments": stats.cancelled_enrollments,
        "fill_rate": rate(stats.fill_rate),
        "participants_trained": stats.participants_trained,
        "trainee_hours": hours(stats.trainee_minutes),
        "expected_presences": stats.expected_presences,
        "attended_presences": stats.attended_presences,
        "attendance_rate": rate(stats.attendance_rate),
        "no_shows": stats.no_shows,
        "late_presences": stats.late_presences,
        "partial_presences": stats.partial_presences,
        "absences": stats.absences,
        "excused_absences": stats.excused_absences,
        **cost_json(stats),
        "by_employer": breakdown_json(stats.by_employer),
        "by_employer_city": breakdown_json(stats.by_city),
        "by_departement": breakdown_json(stats.by_departement),
        "by_job_title": breakdown_json(stats.by_job_title),
        "by_civility": breakdown_json(stats.by_civility),
        "by_month": [
            {
                "month": m.month,
                "trainee_hours": hours(m.trainee_minutes),
                "presences": m.attended,
            }
            for m in stats.by_month
        ],
        "by_group": [
            {
                "group_id": g.group_id,
                "course_id": g.course_id,
                "course": g.course_title,
                "label": g.label,
                "city": g.city,
                "status": g.status,
                "first_date": g.first_date.isoformat() if g.first_date else None,
                "capacity": g.capacity,
                "held": g.held,
                "enrollments": g.enrollments,
                "waitlisted": g.waitlisted,
                "fill_rate": rate(g.fill_rate),
                "expected_presences": g.expected,
                "attended_presences": g.attended,
                "attendance_rate": rate(g.attendance_rate),
                "no_shows": g.no_shows,
                "trainee_hours": hours(g.trainee_minutes),
            }
            for g in stats.by_group
        ],
        "by_half_day": [
            {
                "half_day_id": h.half_day_id,
                "group_id": h.group_id,
                "date": h.date.isoformat(),
                "period": h.period,
                "recorded": h.recorded,
                "expected_presences": h.expected,
                "attended_presences": h.attended,
                "attendance_rate": rate(h.attendance_rate),
                "late": h.late,
                "partial": h.partial,
                "absent": h.absent,
                "excused": h.excused,
                "trainee_hours": hours(h.trainee_minutes),
            }
            for h in stats.by_half_day
        ],
    }
