"""PDF of the « Bilan pour le cofinanceur »: key figures, then each breakdown as a bar chart
(vector rectangles, not an image) with its table beside it, tables paginated.

Distributions show the ten largest lines and « Autres » for the rest (the workbook has them
all). Painted through ``documents/render.py`` with the Opco's identity in the letterhead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allervers_desktop.budgets.amounts import euros
from allervers_desktop.documents.canvas import Canvas
from allervers_desktop.documents.parts import (
    BODY_BOLD,
    CELL,
    CONTENT_WIDTH,
    FOOTER_TOP,
    MARGIN,
    SMALL,
    field_rows,
    footer,
    letterhead,
    table,
    title_block,
)
from allervers_desktop.formatting import GROUP_STATUS_LABELS, duration_fr, short_date
from allervers_desktop.services.settings import DocumentIdentity
from allervers_desktop.stats.figures import Breakdown, Stats

TITLE = "Bilan pour le cofinanceur"
TOP = 10
ROW_HEIGHT = 6.2
BAR_HEIGHT = 4.2
LIMIT = FOOTER_TOP - 3
BAR_COLOR = "#4f7cac"
OTHERS = "Autres"


def percent(value: float | None) -> str:
    from allervers_desktop.formatting import decimal_fr

    if value is None:
        return "—"
    return f"{decimal_fr(int(value * 1000 + 0.5) / 10)} %"


def top_lines(lines: list[Breakdown], count: int = TOP) -> list[Breakdown]:
    """The first ``count`` lines, and one « Autres » line adding up the rest."""
    if len(lines) <= count + 1:
        return lines
    rest = lines[count:]
    others = Breakdown(
        key="",
        label=f"{OTHERS} ({len(rest)})",
        participants=sum(line.participants for line in rest),
        enrolled=sum(line.enrolled for line in rest),
        trainee_minutes=sum(line.trainee_minutes for line in rest),
    )
    return [*lines[:count], others]


def key_figures(stats: Stats) -> list[list[str]]:
    return [
        [
            "Groupes réalisés / prévus / annulés",
            f"{stats.groups_held} / {stats.groups_planned} / {stats.groups_cancelled}",
        ],
        ["Places offertes", str(stats.seats_offered)],
        ["Inscrits (liste d'attente)", f"{stats.enrollments} ({stats.waitlisted})"],
        ["Taux de remplissage", percent(stats.fill_rate)],
        ["Stagiaires formés", str(stats.participants_trained)],
        ["Heures-stagiaires", duration_fr(stats.trainee_minutes)],
        ["Taux d'assiduité", percent(stats.attendance_rate)],
        ["Jamais venus", str(stats.no_shows)],
        ["Retards / départs anticipés", f"{stats.late_presences} / {stats.partial_presences}"],
        ["Absences à justifier / excusées", f"{stats.absences} / {stats.excused_absences}"],
        *cost_figures(stats),
    ]


def cost_figures(stats: Stats) -> list[list[str]]:
    """The budget lines of the key figures (none when no budget is entered)."""
    costs = stats.costs
    if costs is None or not costs.has_budget:
        return []

    def amount(cents: float | None) -> str:
        return "—" if cents is None else euros(cents)

    return [
        ["Coût total", euros(costs.total_cents)],
        [
            "Part Opco / part cofinanceur(s)",
            f"{euros(costs.opco_cents)} / {euros(costs.cofinancer_cents)}",
        ],
        *[[f"dont {name}", euros(cents)] for name, cents in costs.by_cofinancer],
        ["Coût par stagiaire formé", amount(costs.cost_per_participant)],
        ["Coût par heure-stagiaire", amount(costs.cost_per_trainee_hour)],
    ]


@dataclass
class _Pages:
    """A y cursor that turns the page (footer, « suite » heading) when a block won't fit."""

    canvas: Canvas
    footer_text: str
    y: float = 0.0
    page: int = 0

    def new_page(self) -> None:
        if self.page:
            footer(self.canvas, self.footer_text, f"Page {self.page}")
        self.canvas.start_page()
        self.page += 1
        self.y = 20.0

    def need(self, height: float) -> None:
        if self.y + height > LIMIT:
            self.new_page()

    def finish(self) -> None:
        footer(self.canvas, self.footer_text, f"Page {self.page}")


def bar_chart(canvas: Canvas, y: float, items: list[tuple[str, float, str]]) -> float:
    """Horizontal bars: label, bar proportional to the value, value as text; return y."""
    label_width, value_width = 62.0, 22.0
    bar_space = CONTENT_WIDTH - label_width - value_width
    largest = max((value for _label, value, _text in items), default=0) or 1
    for label, value, shown in items:
        canvas.text(MARGIN, y + 0.3, label_width - 2, label, CELL, "r", max_lines=1)
        width = bar_space * value / largest
        if width > 0:
            canvas.fill(MARGIN + label_width, y, max(width, 0.4), BAR_HEIGHT, BAR_COLOR)
        canvas.text(MARGIN + label_width + width + 1.5, y + 0.3, value_width, shown, CELL)
        y += BAR_HEIGHT + 1.6
    return y


def _table(
    pages: _Pages, headers: list[str], widths: list[float], rows: list[list[str]], aligns: str
) -> None:
    while rows:
        pages.need(3 * ROW_HEIGHT)
        fitting = int((LIMIT - pages.y) // ROW_HEIGHT) - 1
        chunk, rows = rows[:fitting], rows[fitting:]
        pages.y = table(pages.canvas, pages.y, headers, widths, chunk, aligns, ROW_HEIGHT)
        if rows:
            pages.new_page()
    pages.y += 6


def _heading(pages: _Pages, text: str, height: float) -> None:
    pages.need(height + 10)
    pages.y += pages.canvas.text(MARGIN, pages.y, CONTENT_WIDTH, text, BODY_BOLD) + 3


def _breakdown(pages: _Pages, title: str, first: str, lines: list[Breakdown]) -> None:
    shown = top_lines(lines)
    if not shown:
        return
    _heading(pages, title, len(shown) * (BAR_HEIGHT + 1.6) + 4 * ROW_HEIGHT)
    pages.y = (
        bar_chart(
            pages.canvas,
            pages.y,
            [(line.label, line.participants, str(line.participants)) for line in shown],
        )
        + 3
    )
    rows = [
        [line.label, str(line.participants), str(line.enrolled), duration_fr(line.trainee_minutes)]
        for line in shown
    ]
    _table(
        pages,
        [first, "Stagiaires formés", "Inscrits", "Heures-stagiaires"],
        [86.0, 28.0, 28.0, 28.0],
        rows,
        "lrrr",
    )


def paint_cofinancer(
    canvas: Canvas, stats: Stats, identity: DocumentIdentity, info: list[tuple[str, str]]
) -> None:
    pages = _Pages(canvas, TITLE)
    pages.new_page()
    y = letterhead(canvas, identity, "Opco")
    y = title_block(canvas, y - 2, TITLE, info[0][1] if info else "")
    pages.y = field_rows(canvas, y, info) + 4
    _table(pages, ["Indicateur", "Valeur"], [110.0, 60.0], key_figures(stats), "lr")
    months = [m for m in stats.by_month if m.trainee_minutes]
    if months:
        _heading(pages, "Heures-stagiaires par mois", len(months) * (BAR_HEIGHT + 1.6))
        pages.y = (
            bar_chart(
                canvas,
                pages.y,
                [(m.month, m.trainee_minutes, duration_fr(m.trainee_minutes)) for m in months],
            )
            + 6
        )
    sections: list[tuple[str, str, Callable[[Stats], list[Breakdown]]]] = [
        ("Stagiaires formés par département", "Département", lambda s: s.by_departement),
        ("Stagiaires formés par établissement", "Établissement", lambda s: s.by_employer),
        ("Stagiaires formés par fonction", "Fonction", lambda s: s.by_job_title),
        ("Stagiaires formés par civilité", "Civilité", lambda s: s.by_civility),
    ]
    for title, first, lines in sections:
        _breakdown(pages, title, first, lines(stats))
    if stats.by_group:
        _heading(pages, "Remplissage et assiduité par groupe", 3 * ROW_HEIGHT)
        rows = [
            [
                f"{g.label} — {g.course_title}",
                g.city,
                short_date(g.first_date),
                GROUP_STATUS_LABELS.get(g.status, g.status),
                f"{g.enrollments}" + (f"/{g.capacity}" if g.capacity else ""),
                percent(g.attendance_rate),
                duration_fr(g.trainee_minutes),
            ]
            for g in stats.by_group
        ]
        _table(
            pages,
            ["Groupe", "Ville", "Début", "Statut", "Inscrits", "Assiduité", "Heures"],
            [52.0, 26.0, 19.0, 18.0, 17.0, 18.0, 20.0],
            rows,
            "lllllrr",
        )
    _costs(pages, stats)
    canvas.text(MARGIN, min(pages.y, LIMIT - 8), CONTENT_WIDTH, DEFINITIONS, SMALL)
    pages.finish()


def _costs(pages: _Pages, stats: Stats) -> None:
    costs = stats.costs
    if costs is None or not costs.by_group:
        return
    _heading(pages, "Coûts par groupe", 3 * ROW_HEIGHT)
    rows = [
        [
            f"{g.label} — {g.course_title}",
            euros(g.total_cents),
            euros(g.opco_cents),
            euros(g.cofinancer_cents),
            str(g.participants_trained),
            "—" if g.cost_per_participant is None else euros(g.cost_per_participant),
        ]
        for g in costs.by_group
    ]
    _table(
        pages,
        ["Groupe", "Coût total", "Opco", "Cofinanceur(s)", "Formés", "Par stagiaire"],
        [58.0, 24.0, 24.0, 24.0, 16.0, 24.0],
        rows,
        "lrrrrr",
    )


DEFINITIONS = (
    "Stagiaires formés : personnes présentes au moins une demi-journée. Heures-stagiaires : "
    "heures de présence réalisées (comme sur les attestations). Assiduité : présences / "
    "inscrits attendus sur les demi-journées saisies. Remplissage : inscrits / places offertes. "
    "Coûts : ceux d'une formation sont répartis entre ses groupes réalisés selon leurs "
    "heures-stagiaires."
)
