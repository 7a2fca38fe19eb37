"""« Bilan pour le cofinanceur »: a summary sheet and one sheet per breakdown, with charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from allervers_desktop.budgets.amounts import euros_value
from allervers_desktop.db.models import Course
from allervers_desktop.excel.xlsx_writing import ExportValue, SheetSpec
from allervers_desktop.formatting import GROUP_STATUS_LABELS, short_date
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.stats.charts import ChartedSheet, ChartSpec, write_charted_workbook
from allervers_desktop.stats.figures import Breakdown, Stats
from allervers_desktop.stats.filters import StatsFilter

DECIMAL = "0.00"
EUROS = '#,##0.00" €"'
PERCENT = "0.0 %"
BREAKDOWN_HEADERS = ["", "Stagiaires formés", "Inscrits", "Heures-stagiaires"]


def period_label(flt: StatsFilter) -> str:
    if flt.date_from and flt.date_to:
        return f"du {short_date(flt.date_from)} au {short_date(flt.date_to)}"
    if flt.date_from:
        return f"à partir du {short_date(flt.date_from)}"
    if flt.date_to:
        return f"jusqu'au {short_date(flt.date_to)}"
    return "toutes les dates"


def title_lines(session: Session, flt: StatsFilter) -> list[tuple[str, list[ExportValue]]]:
    """What the figures cover, printed above every table."""
    lines: list[tuple[str, list[ExportValue]]] = [("Période", [period_label(flt)])]
    if flt.course_id is not None:
        course = session.get(Course, flt.course_id)
        if course is None:
            raise NotFoundError("formation", flt.course_id)
        lines.append(("Formation", [f"{course.title} {course.module}".strip()]))
    if flt.city:
        lines.append(("Lieu", [flt.city]))
    if flt.departement is not None:
        lines.append(("Département", [flt.departement or "non renseigné"]))
    if flt.group_status:
        lines.append(("Groupes", [GROUP_STATUS_LABELS.get(flt.group_status, flt.group_status)]))
    lines.append(("Édité le", [dt.date.today()]))
    return lines


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def _euros(cents: float | None) -> float | None:
    return None if cents is None else euros_value(cents)


def cost_summary_rows(stats: Stats) -> list[list[ExportValue]]:
    """The cost lines of « Synthèse », in euros (none when no budget is entered)."""
    costs = stats.costs
    if costs is None or not costs.has_budget:
        return []
    named: list[list[ExportValue]] = [
        [f"dont {name}", _euros(cents), None, "euros"] for name, cents in costs.by_cofinancer
    ]
    return [
        ["Coût total", _euros(costs.total_cents), None, "euros"],
        ["Part Opco", _euros(costs.opco_cents), None, "euros"],
        ["Part cofinanceur(s)", _euros(costs.cofinancer_cents), None, "euros"],
        *named,
        ["Coût par stagiaire formé", _euros(costs.cost_per_participant), None, "euros"],
        ["Coût par heure-stagiaire", _euros(costs.cost_per_trainee_hour), None, "euros"],
    ]


COST_HEADERS = [
    "Formation",
    "Groupe",
    "Ville",
    "Coûts du groupe",
    "Part des coûts de la formation",
    "Coût total",
    "Part Opco",
    "Part cofinanceur(s)",
    "Stagiaires formés",
    "Heures-stagiaires",
    "Coût par stagiaire",
    "Coût par heure-stagiaire",
]


def costs_sheet(stats: Stats, info: list[tuple[str, list[ExportValue]]]) -> ChartedSheet | None:
    """« Coûts »: one line per group with a cost (euros), and a bar chart of the totals."""
    costs = stats.costs
    if costs is None or not costs.has_budget:
        return None
    spec = SheetSpec(
        title="Coûts",
        heading="Coûts par groupe (coûts de la formation répartis selon les heures-stagiaires)",
        headers=COST_HEADERS,
        rows=[
            [
                g.course_title,
                g.label,
                g.city,
                _euros(g.own_cents),
                _euros(g.course_share_cents),
                _euros(g.total_cents),
                _euros(g.opco_cents),
                _euros(g.cofinancer_cents),
                g.participants_trained,
                _hours(g.trainee_minutes),
                _euros(g.cost_per_participant),
                _euros(g.cost_per_trainee_hour),
            ]
            for g in costs.by_group
        ],
        title_lines=info,
        formats={
            3: EUROS,
            4: EUROS,
            5: EUROS,
            6: EUROS,
            7: EUROS,
            9: DECIMAL,
            10: EUROS,
            11: EUROS,
        },
    )
    chart = ChartSpec(
        kind="bar",
        title="Coût par groupe : part Opco et part cofinanceur(s)",
        category_column=1,
        value_columns=[6, 7],
        y_title="Euros",
        max_rows=None,
    )
    return ChartedSheet(spec, [chart])


def summary_spec(stats: Stats, lines: list[tuple[str, list[ExportValue]]]) -> SheetSpec:
    """Counts in « Valeur », rates (0–1, shown as percentages) in « Taux »."""
    table: list[list[ExportValue]] = [
        ["Groupes réalisés", stats.groups_held, None, "groupes"],
        ["Groupes prévus", stats.groups_planned, None, "groupes"],
        ["Groupes annulés", stats.groups_cancelled, None, "groupes"],
        ["Places offertes", stats.seats_offered, None, "places"],
        ["Inscrits", stats.enrollments, None, "inscriptions"],
        ["Liste d'attente", stats.waitlisted, None, "inscriptions"],
        ["Taux de remplissage", None, stats.fill_rate, ""],
        ["Stagiaires formés", stats.participants_trained, None, "personnes"],
        ["Heures-stagiaires", _hours(stats.trainee_minutes), None, "heures"],
        ["Taux d'assiduité", None, stats.attendance_rate, ""],
        ["Jamais venus", stats.no_shows, None, "inscriptions"],
        ["Retards", stats.late_presences, None, "demi-journées"],
        ["Départs anticipés", stats.partial_presences, None, "demi-journées"],
        ["Absences à justifier", stats.absences, None, "demi-journées"],
        ["Absences excusées", stats.excused_absences, None, "demi-journées"],
        *cost_summary_rows(stats),
    ]
    return SheetSpec(
        title="Synthèse",
        heading="Bilan pour le cofinanceur",
        headers=["Indicateur", "Valeur", "Taux", "Unité"],
        rows=table,
        title_lines=lines,
        formats={2: PERCENT},
        landscape=False,
    )


def _breakdown_sheet(
    title: str,
    heading: str,
    first: str,
    lines: list[Breakdown],
    info: list[tuple[str, list[ExportValue]]],
) -> ChartedSheet:
    spec = SheetSpec(
        title=title,
        heading=heading,
        headers=[first, *BREAKDOWN_HEADERS[1:]],
        rows=[
            [line.label, line.participants, line.enrolled, _hours(line.trainee_minutes)]
            for line in lines
        ],
        title_lines=info,
        formats={3: DECIMAL},
        landscape=False,
    )
    chart = ChartSpec(
        kind="bar",
        title=f"Stagiaires formés — {heading.lower()}",
        category_column=0,
        value_columns=[1],
        y_title="Stagiaires",
    )
    return ChartedSheet(spec, [chart])


def cofinancer_sheets(session: Session, stats: Stats) -> list[ChartedSheet]:
    info = title_lines(session, stats.filter)
    groups = SheetSpec(
        title="Par groupe",
        heading="Remplissage et assiduité par groupe",
        headers=[
            "Formation",
            "Groupe",
            "Ville",
            "Début",
            "Statut",
            "Capacité",
            "Inscrits",
            "Liste d'attente",
            "Taux de remplissage",
            "Présences attendues",
            "Présences",
            "Taux d'assiduité",
            "Jamais venus",
            "Heures-stagiaires",
        ],
        rows=[
            [
                g.course_title,
                g.label,
                g.city,
                g.first_date,
                GROUP_STATUS_LABELS.get(g.status, g.status),
                g.capacity,
                g.enrollments,
                g.waitlisted,
                g.fill_rate,
                g.expected,
                g.attended,
                g.attendance_rate,
                g.no_shows,
                _hours(g.trainee_minutes),
            ]
            for g in stats.by_group
        ],
        title_lines=info,
        formats={8: PERCENT, 11: PERCENT, 13: DECIMAL},
    )
    months = SheetSpec(
        title="Par mois",
        heading="Heures-stagiaires par mois",
        headers=["Mois", "Heures-stagiaires", "Présences"],
        rows=[[m.month, _hours(m.trainee_minutes), m.attended] for m in stats.by_month],
        title_lines=info,
        formats={1: DECIMAL},
        landscape=False,
    )
    cost_sheet = costs_sheet(stats, info)
    return [
        ChartedSheet(summary_spec(stats, info)),
        *([cost_sheet] if cost_sheet else []),
        ChartedSheet(
            groups,
            [
                ChartSpec(
                    kind="bar",
                    title="Remplissage et assiduité par groupe",
                    category_column=1,
                    value_columns=[8, 11],
                    max_rows=None,
                )
            ],
        ),
        ChartedSheet(
            months,
            [
                ChartSpec(
                    kind="line",
                    title="Heures-stagiaires par mois",
                    category_column=0,
                    value_columns=[1],
                    y_title="Heures",
                    max_rows=None,
                )
            ],
        ),
        _breakdown_sheet(
            "Par établissement", "Par établissement", "Établissement", stats.by_employer, info
        ),
        _breakdown_sheet("Par ville", "Par ville de l'établissement", "Ville", stats.by_city, info),
        _breakdown_sheet(
            "Par département", "Par département", "Département", stats.by_departement, info
        ),
        _breakdown_sheet("Par fonction", "Par fonction", "Fonction", stats.by_job_title, info),
        _breakdown_sheet("Par civilité", "Par civilité", "Civilité", stats.by_civility, info),
    ]


def write_cofinancer_workbook(
    session: Session, stats: Stats, target: Path, *, replace_read_only: bool = False
) -> list[str]:
    return write_charted_workbook(
        cofinancer_sheets(session, stats), target, replace_read_only=replace_read_only
    )
