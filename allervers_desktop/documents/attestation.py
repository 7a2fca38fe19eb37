"""Attestation de fin de formation (L6353-1): one numbered page per participant, issued by the
training provider: objectives, nature, dates, hours attended out of planned, assessment."""

from __future__ import annotations

import datetime as dt
import functools

from allervers_desktop.documents.canvas import (
    ACCENT,
    LIGHT_RULE,
    MUTED,
    PALE_FILL,
    Canvas,
    TextStyle,
)
from allervers_desktop.documents.model import Certificate
from allervers_desktop.documents.parts import (
    BODY,
    BODY_BOLD,
    CONTENT_WIDTH,
    FOOTER_TOP,
    MARGIN,
    VALUE,
    field_rows,
    footer,
    letterhead,
    signature_block,
    table,
    title_block,
)
from allervers_desktop.documents.realisation import legal_footer, registration_lines
from allervers_desktop.formatting import (
    ASSESSMENT_LABELS,
    PERIOD_LABELS,
    agreed_attendance_label,
    hours_fr,
    presence_times,
    short_date,
)
from allervers_desktop.services.attendance import HalfDayColumn

TITLE = "ATTESTATION DE FIN DE FORMATION"
SUBTITLE = "et d'assiduité (article L6353-1 du Code du travail)"
BLANK = "……………………………"
NOT_RECORDED = "non saisi"
CLOSING = "Cette attestation est délivrée pour servir et valoir ce que de droit."
CLOSING_STYLE = TextStyle(9.5, italic=True)
DETAIL_STYLE = TextStyle(9)
HOURS_STYLE = TextStyle(12, bold=True, color=ACCENT)
OBJECTIVE_STYLE = TextStyle(9)
HEADING = TextStyle(9, bold=True, color=ACCENT)
SMALL = TextStyle(8.5, color=MUTED)
SIGNATURE_CAPTION = "Signature et cachet de l'organisme de formation"
SIGNATURE_BOX = 32.0
PLACE_WIDTH = 80.0
HEADERS = ("Date", "Demi-journée", "Horaires", "Présence", "Heures suivies")
WIDTHS = (30.0, 28.0, 38.0, 46.0, CONTENT_WIDTH - 142)
ROW_HEIGHT = 5.6
LIMIT = FOOTER_TOP - 3  # lowest y a block may reach
ASSESSMENT_HEIGHT = 11.0


def paint_attestation(canvas: Canvas, certificate: Certificate) -> None:
    """One page: the provider's letterhead, the participant, the action (objectives, nature,
    dates), half-days attended, hours, the assessment when the course has one, signature."""
    canvas.start_page()
    group = certificate.group
    participant = certificate.participant
    issuer = certificate.issuer
    provider = certificate.provider
    y = letterhead(
        canvas,
        issuer,
        provider.name,
        (
            f"N° {certificate.number}",
            _issued_label(certificate.issued_on),
            *certificate.replaces_lines,
        ),
        registration_lines(provider),
    )
    y = title_block(canvas, y - 2, TITLE, SUBTITLE) - 2
    y += 3 + _intro(canvas, certificate, y)
    y = canvas.reuse(
        ("attestation-course", group, y),
        lambda: _course_rows(canvas, certificate, y),
    )
    y += 2
    rows = []
    for item in certificate.half_days:
        state = item.state
        status = (
            agreed_attendance_label(state.status, participant.civility)
            if state.status
            else NOT_RECORDED
        )
        if state.reason:
            status += f" ({state.reason})"
        presence = presence_times(state.arrived_at, state.left_at)
        if presence:
            status += f" ({presence})"
        date, period, times, _planned = _half_day_cells(item.half_day)
        rows.append((date, period, times, status, hours_fr(item.hours) if state.counts else "—"))
    footer_text = _footer_text(certificate)
    number_text = f"Attestation n° {certificate.number}"

    def next_page() -> float:
        """A long schedule goes on overleaf, under a reminder of whose attestation it is."""
        footer(canvas, footer_text, number_text)
        canvas.start_page()
        title = f"Attestation n° {certificate.number} – {participant.formal_name} (suite)"
        return 20 + canvas.text(MARGIN, 20, CONTENT_WIDTH, title, BODY_BOLD) + 6

    while rows:
        fitting = int((LIMIT - y) // ROW_HEIGHT) - 1  # one row is the header
        if fitting < min(2, len(rows)):
            y = next_page()
            continue
        chunk, rows = rows[:fitting], rows[fitting:]
        y = table(canvas, y, HEADERS, WIDTHS, chunk, "lllll", row_height=ROW_HEIGHT)
        if rows:
            y = next_page()
    y += 4
    box_height = 14.0
    if y + box_height > LIMIT:
        y = next_page()
    canvas.rect(MARGIN, y, CONTENT_WIDTH, box_height, LIGHT_RULE, 0.25, PALE_FILL)
    attended = certificate.half_days_attended
    total = len(certificate.half_days)
    summary = (
        f"Durée suivie : {hours_fr(certificate.hours_attended)} "
        f"sur {hours_fr(group.hours_planned)} prévues"
    )
    canvas.text(MARGIN + 4, y + 2, CONTENT_WIDTH - 8, summary, HOURS_STYLE)
    detail = f"{attended} demi-journée{'s' if attended > 1 else ''} suivie"
    detail += f"{'s' if attended > 1 else ''} sur {total}"
    canvas.text(MARGIN + 4, y + 8, CONTENT_WIDTH - 8, detail, DETAIL_STYLE)
    y += box_height + 4
    if group.course.assesses_learning:
        if y + ASSESSMENT_HEIGHT > LIMIT:
            y = next_page()
        y = _assessment(canvas, certificate, y) + 3
    if y + _closing_height(canvas) > FOOTER_TOP - 2:
        y = next_page()
    canvas.reuse(
        ("attestation-end", issuer, certificate.issue_city, certificate.issued_on, y),
        lambda: _closing(canvas, certificate, y),
    )
    footer(canvas, footer_text, number_text)


def _intro(canvas: Canvas, certificate: Certificate, y: float) -> float:
    """« Je soussigné(e) …, atteste que Madame … a suivi l'action : »; return its height."""
    provider = certificate.provider
    participant = certificate.participant
    signatory = provider.legal_representative or BLANK
    quality = provider.legal_representative_title
    of = f", {quality} de {provider.name}" if quality and provider.name else ""
    if not of and provider.name:
        of = f", pour {provider.name}"
    job = ", ".join(part for part in (participant.job_title, participant.employer) if part)
    runs = [
        ("Je soussigné(e) ", BODY),
        (signatory, BODY_BOLD),
        (f"{of}, atteste que ", BODY),
        (participant.formal_name or participant.full_name, BODY_BOLD),
        (f" ({job})" if job else "", BODY),
        (" a suivi l'action de formation suivante :", BODY),
    ]
    lines = canvas.wrap_runs([run for run in runs if run[0]], CONTENT_WIDTH)
    return canvas.draw_runs(MARGIN, y, lines, canvas.line_height(BODY) * 1.15)


def _course_rows(canvas: Canvas, certificate: Certificate, y: float) -> float:
    """The action followed, the same for the whole group; return the y below it."""
    group = certificate.group
    course = group.course
    y = field_rows(
        canvas,
        y,
        [
            ("Formation", course.title),
            ("Module", course.module),
            ("Nature de l'action", course.action_nature_label),
            ("Groupe", group.title),
            ("Lieu", group.place),
            ("Dates", certificate.period_label.capitalize()),
            (
                "Financement",
                f"Action financée par {course.funding_line}" if course.funding_line else "",
            ),
        ],
        bold=("Formation",),
    )
    if course.objectives:
        y += 1
        y += canvas.text(MARGIN, y, CONTENT_WIDTH, "Objectifs de la formation", HEADING) + 0.5
        for number, objective in enumerate(course.objectives, start=1):
            canvas.text(MARGIN + 1, y, 6, f"{number}.", OBJECTIVE_STYLE)
            y += canvas.text(MARGIN + 6, y, CONTENT_WIDTH - 6, objective, OBJECTIVE_STYLE) + 0.3
    return y + 1


ASSESSMENT_COLUMNS = (8.0, 58.0, 124.0)  # x of each result's box, from the margin
OPTION_STYLE = TextStyle(9.5)


def _assessment(canvas: Canvas, certificate: Certificate, y: float) -> float:
    """« Évaluation des acquis » with the three results, the participant's one ticked (none
    when not entered yet: to be ticked by hand)."""
    result = certificate.participant.assessment_result
    title = "Évaluation des acquis de la formation :"
    if not result:
        title += " (à cocher par l'organisme de formation)"
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, title, BODY_BOLD) + 1
    box = 3.6
    for offset, (value, label) in zip(ASSESSMENT_COLUMNS, ASSESSMENT_LABELS.items(), strict=True):
        x = MARGIN + offset
        canvas.checkbox(x, y + 0.3, box, result == value)
        canvas.text(x + box + 2, y, 62, label, OPTION_STYLE, max_lines=1)
    return y + canvas.line_height(OPTION_STYLE)


def _closing_height(canvas: Canvas) -> float:
    """The closing line, then « Fait à … » beside the signature box, as ``_closing`` draws."""
    closing = len(canvas.wrap(CLOSING, CLOSING_STYLE, CONTENT_WIDTH))
    return closing * canvas.line_height(CLOSING_STYLE) + 4 + SIGNATURE_BOX


def _closing(canvas: Canvas, certificate: Certificate, y: float) -> None:
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, CLOSING, CLOSING_STYLE) + 4
    issued = short_date(certificate.issued_on)
    city = certificate.issue_city
    place = f"Fait à {city}, le {issued}" if city else f"Le {issued}"
    canvas.text(MARGIN, y + 2, PLACE_WIDTH, place, VALUE)
    signature_block(
        canvas,
        y,
        certificate.issuer,
        city,
        certificate.issued_on,
        with_place=False,
        box_caption=SIGNATURE_CAPTION,
        box_height=SIGNATURE_BOX,
    )


@functools.lru_cache(maxsize=64)
def _issued_label(issued_on: dt.date) -> str:
    return f"Délivrée le {short_date(issued_on)}"


@functools.lru_cache(maxsize=256)
def _half_day_cells(half: HalfDayColumn) -> tuple[str, str, str, str]:
    """Date, period, times and hours of a half-day: the same on every participant's page."""
    return (
        short_date(half.date),
        PERIOD_LABELS[half.period],
        half.times_label,
        hours_fr(half.hours),
    )


def _footer_text(certificate: Certificate) -> str:
    return legal_footer(certificate.provider) or certificate.group.course.title
