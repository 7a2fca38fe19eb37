"""How the dashboard writes its figures: « 1 234 h 30 », « 87 % », « 12 345 » (no Qt)."""

from __future__ import annotations

from allervers_desktop.stats.figures import Stats

THIN_SPACE = "\u202f"  # French thousands separator (narrow no-break space)


def count_fr(value: int) -> str:
    """12345 -> « 12 345 »."""
    return f"{value:,}".replace(",", THIN_SPACE)


def hours_minutes_fr(minutes: int) -> str:
    """74070 minutes -> « 1 234 h 30 »; 840 -> « 14 h »."""
    hours, rest = divmod(max(minutes, 0), 60)
    return f"{count_fr(hours)} h {rest:02d}" if rest else f"{count_fr(hours)} h"


def percent_fr(rate: float | None) -> str:
    """0.8734 -> « 87 % »; None (nothing to divide by) -> « — »."""
    return "—" if rate is None else f"{round(rate * 100)}{THIN_SPACE}%"


FIGURE_LABELS = (
    "Groupes réalisés",
    "Groupes prévus",
    "Groupes annulés",
    "Places offertes",
    "Inscrits",
    "Liste d'attente",
    "Taux de remplissage",
    "Stagiaires formés",
    "Heures-stagiaires",
    "Taux de présence",
    "Jamais venus",
    "Retards",
    "Présences partielles",
    "Absences",
    "Absences excusées",
    "Coût total",
    "Part Opco",
    "Part cofinanceurs",
    "Coût par stagiaire",
    "Coût par heure-stagiaire",
)
NO_BUDGET = "—"  # no cost line counted for these filters


def figure_lines(stats: Stats) -> list[tuple[str, str]]:
    """The figures of the issue as (label, value), in the order of the grid."""
    values = [
        count_fr(stats.groups_held),
        count_fr(stats.groups_planned),
        count_fr(stats.groups_cancelled),
        count_fr(stats.seats_offered),
        count_fr(stats.enrollments),
        count_fr(stats.waitlisted),
        percent_fr(stats.fill_rate),
        count_fr(stats.participants_trained),
        hours_minutes_fr(stats.trainee_minutes),
        percent_fr(stats.attendance_rate),
        count_fr(stats.no_shows),
        count_fr(stats.late_presences),
        count_fr(stats.partial_presences),
        count_fr(stats.absences),
        count_fr(stats.excused_absences),
        *_cost_values(stats),
    ]
    return list(zip(FIGURE_LABELS, values, strict=True))


def _cost_values(stats: Stats) -> list[str]:
    """The budget's five figures in euros (« 12 450,00 € »), « — » without a budget."""
    from allervers_desktop.budgets.amounts import euros

    costs = stats.costs
    if costs is None or not costs.has_budget:
        return [NO_BUDGET] * 5
    per_person, per_hour = costs.cost_per_participant, costs.cost_per_trainee_hour
    return [
        euros(costs.total_cents),
        euros(costs.opco_cents),
        euros(costs.cofinancer_cents),
        euros(per_person) if per_person is not None else NO_BUDGET,
        euros(per_hour) if per_hour is not None else NO_BUDGET,
    ]
