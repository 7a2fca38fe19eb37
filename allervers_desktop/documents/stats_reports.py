"""PDF reports of the statistics: the « Récapitulatif par établissement » painted here (one
section per employer, tables paginated); the co-financer report in ``cofinancer_report.py``.

Painted through the documents' rendering path (``documents/render.py``: A4, fonts embedded,
the file written atomically and checked), with the Opco's identity (« Paramètres ») in the
letterhead. Each employer starts on a new page, so that its pages can be sent on their own.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from allervers_desktop.documents.canvas import Canvas
from allervers_desktop.documents.parts import (
    BODY_BOLD,
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
from allervers_desktop.formatting import duration_fr, short_date
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.settings import DocumentIdentity, get_identity
from allervers_desktop.stats.cofinancer import period_label
from allervers_desktop.stats.employers import EmployeeLine, EmployerRecap, employer_recaps
from allervers_desktop.stats.filters import StatsFilter

TITLE = "Récapitulatif de présence"
# Half-days planned and attended, hours, absences to justify (« absent ») and excused.
HEADERS = [
    "Participant",
    "Fonction",
    "Groupe",
    "Début",
    "Prév.",
    "Suiv.",
    "Heures",
    "Abs.",
    "Exc.",
]
WIDTHS = [36.0, 24.0, 30.0, 21.0, 11.0, 11.0, 15.0, 11.0, 11.0]  # 170 mm
LEGEND = (
    "Prév., suiv. : demi-journées prévues et suivies dans la période ; heures réalisées, "
    "comme sur les attestations ; abs. : absences à justifier ; exc. : absences excusées."
)
ALIGNS = "llllrrrrr"
ROW_HEIGHT = 6.2
LIMIT = FOOTER_TOP - 3
FALLBACK_NAME = "Opco"


def _cells(line: EmployeeLine) -> list[str]:
    return [
        f"{line.last_name.upper()} {line.first_name}".strip(),
        line.job_title,
        f"{line.group} ({line.group_city})" if line.group_city else line.group,
        short_date(line.first_date),
        str(line.half_days_planned),
        str(line.half_days_attended),
        duration_fr(line.minutes_attended),
        str(line.absences),
        str(line.excused),
    ]


def _total(recap: EmployerRecap) -> list[str]:
    lines = recap.lines
    return [
        f"Total ({len(lines)} inscription{'s' if len(lines) > 1 else ''})",
        "",
        "",
        "",
        str(sum(line.half_days_planned for line in lines)),
        str(sum(line.half_days_attended for line in lines)),
        duration_fr(recap.minutes_attended),
        str(recap.absences),
        str(sum(line.excused for line in lines)),
    ]


def paint_recaps(
    canvas: Canvas, recaps: list[EmployerRecap], identity: DocumentIdentity, period: str
) -> None:
    for recap in recaps:
        name = f"{recap.name} ({recap.city})" if recap.city else recap.name
        footer_text = f"{TITLE} — {name}"
        canvas.start_page()
        page = 1
        y = letterhead(canvas, identity, FALLBACK_NAME)
        y = title_block(canvas, y - 2, TITLE, name)
        y = field_rows(canvas, y, [("Période", period), ("Établissement", name)]) + 4
        rows = [_cells(line) for line in recap.lines] + [_total(recap)]
        while rows:
            fitting = int((LIMIT - y) // ROW_HEIGHT) - 1  # one row is the header
            chunk, rows = rows[:fitting], rows[fitting:]
            y = table(canvas, y, HEADERS, WIDTHS, chunk, ALIGNS, row_height=ROW_HEIGHT)
            if rows:
                footer(canvas, footer_text, f"Page {page}")
                canvas.start_page()
                page += 1
                y = 20 + canvas.text(MARGIN, 20, CONTENT_WIDTH, f"{name} (suite)", BODY_BOLD) + 6
        if y + 10 > LIMIT:
            footer(canvas, footer_text, f"Page {page}")
            canvas.start_page()
            page += 1
            y = 20
        canvas.text(MARGIN, y + 2, CONTENT_WIDTH, LEGEND, SMALL)
        footer(canvas, footer_text, f"Page {page}")


def write_report_pdf(
    session: Session, kind: str, flt: StatsFilter, target: Path, *, replace_read_only: bool
) -> None:
    from allervers_desktop.documents.render import render_to_pdf

    if kind == "cofinancer":
        _write_cofinancer(session, flt, target, replace_read_only=replace_read_only)
        return

    recaps = employer_recaps(session, flt)
    if not recaps:
        raise ServiceError("Aucun inscrit ne correspond à ces critères : rien à imprimer.")
    identity = get_identity(session)
    period = period_label(flt)
    render_to_pdf(
        target,
        lambda canvas: paint_recaps(canvas, recaps, identity, period),
        "Récapitulatif par établissement",
        replace_read_only=replace_read_only,
    )


def _write_cofinancer(
    session: Session, flt: StatsFilter, target: Path, *, replace_read_only: bool
) -> None:
    import datetime as dt

    from allervers_desktop.documents.cofinancer_report import TITLE as COFINANCER_TITLE
    from allervers_desktop.documents.cofinancer_report import paint_cofinancer
    from allervers_desktop.documents.render import render_to_pdf
    from allervers_desktop.stats.cofinancer import title_lines
    from allervers_desktop.stats.compute import compute_stats

    stats = compute_stats(session, flt)
    info = [
        (
            label,
            " ".join(
                short_date(value) if isinstance(value, dt.date) else str(value) for value in values
            ),
        )
        for label, values in title_lines(session, flt)
    ]
    identity = get_identity(session)
    render_to_pdf(
        target,
        lambda canvas: paint_cofinancer(canvas, stats, identity, info),
        COFINANCER_TITLE,
        replace_read_only=replace_read_only,
    )
