"""Attestation de présence: one numbered page per participant, with the hours attended."""

from __future__ import annotations

import datetime as dt
import functools

from allervers_desktop.documents.canvas import ACCENT, LIGHT_RULE, PALE_FILL, Canvas, TextStyle
from allervers_desktop.documents.model import Certificate
from allervers_desktop.documents.parts import (
    BODY,
    BODY_BOLD,
    CONTENT_WIDTH,
    MARGIN,
    field_rows,
    footer,
    letterhead,
    signature_block,
    table,
    title_block,
)
from allervers_desktop.formatting import (
    ATTENDANCE_STATUS_LABELS,
    PERIOD_LABELS,
    day_month,
    hours_fr,
    presence_times,
    short_date,
)
from allervers_desktop.services.attendance import HalfDayColumn

NOT_RECORDED = "non saisi"
CLOSING = "Cette attestation est délivrée pour servir et valoir ce que de droit."
CLOSING_STYLE = TextStyle(9.5, italic=True)
DETAIL_STYLE = TextStyle(9)
HOURS_STYLE = TextStyle(12, bold=True, color=ACCENT)


def paint_attestation(canvas: Canvas, certificate: Certificate) -> None:
    """One page: identity, participant, course, half-days attended, hours, signature."""
    canvas.start_page()
    group = certificate.group
    participant = certificate.participant
    identity = certificate.identity
    y = letterhead(
        canvas,
        identity,
        certificate.provider_name,
        (f"N° {certificate.number}", _issued_label(certificate.issued_on)),
    )
    y = title_block(canvas, y, "ATTESTATION DE PRÉSENCE")
    y += 4 + canvas.reuse(
        ("attestation-intro", identity, certificate.provider_name, y),
        lambda: _intro(canvas, certificate, y),
    )
    y = field_rows(
        canvas,
        y,
        [
            ("Participant(e)", participant.formal_name),
            ("Fonction", participant.job_title),
            ("Établissement", participant.employer_label),
        ],
        bold=("Participant(e)",),
    )
    y = canvas.reuse(
        ("attestation-course", group, y),
        lambda: _course_rows(canvas, certificate, y + 2),
    )
    y += 3
    rows = []
    for item in certificate.half_days:
        state = item.state
        status = ATTENDANCE_STATUS_LABELS[state.status] if state.status else NOT_RECORDED
        if state.reason:
            status += f" ({state.reason})"
        presence = presence_times(state.arrived_at, state.left_at)
        if presence:
            status += f" ({presence})"
        date, period, times, _planned = _half_day_cells(item.half_day)
        rows.append((date, period, times, status, hours_fr(item.hours) if state.counts else "—"))
    y = table(
        canvas,
        y,
        ["Date", "Demi-journée", "Horaires", "Présence", "Heures suivies"],
        [34, 28, 36, 44, CONTENT_WIDTH - 142],
        rows,
        "lllll",
    )
    y += 5
    box_height = 15.0
    canvas.rect(MARGIN, y, CONTENT_WIDTH, box_height, LIGHT_RULE, 0.25, PALE_FILL)
    attended = certificate.half_days_attended
    total = len(certificate.half_days)
    summary = (
        f"Durée suivie : {hours_fr(certificate.hours_attended)} "
        f"sur {hours_fr(group.hours_planned)} prévues"
    )
    canvas.text(MARGIN + 4, y + 2.2, CONTENT_WIDTH - 8, summary, HOURS_STYLE)
    detail = f"{attended} demi-journée{'s' if attended > 1 else ''} suivie"
    detail += f"{'s' if attended > 1 else ''} sur {total}"
    canvas.text(MARGIN + 4, y + 8.6, CONTENT_WIDTH - 8, detail, DETAIL_STYLE)
    y += box_height + 6
    canvas.reuse(
        ("attestation-end", identity, certificate.issue_city, certificate.issued_on, y),
        lambda: _closing(canvas, certificate, y),
    )
    footer(
        canvas,
        _footer_text(certificate),
        f"Attestation n° {certificate.number}",
    )


def _intro(canvas: Canvas, certificate: Certificate, y: float) -> float:
    """« Je soussigné(e) … atteste que : »; return its height."""
    identity = certificate.identity
    signatory = identity.signatory_name or "……………………………"
    quality = f", {identity.signatory_title}" if identity.signatory_title else ""
    organisation = identity.organisation_name or certificate.provider_name
    runs = [
        ("Je soussigné(e) ", BODY),
        (signatory, BODY_BOLD),
        (f"{quality} ({organisation}), atteste que :", BODY),
    ]
    lines = canvas.wrap_runs(runs, CONTENT_WIDTH)
    return canvas.draw_runs(MARGIN, y, lines, canvas.line_height(BODY) * 1.15)


def _course_rows(canvas: Canvas, certificate: Certificate, y: float) -> float:
    """The course followed: the same for the whole group; return the y below it."""
    group = certificate.group
    course = group.course
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, "a suivi l'action de formation :", BODY) + 3
    return field_rows(
        canvas,
        y,
        [
            ("Formation", course.title),
            ("Module", course.module),
            ("Organisme de formation", course.provider_name),
            ("Groupe", group.title),
            ("Lieu", group.place),
            ("Dates", certificate.period_label.capitalize()),
        ],
        bold=("Formation",),
    )


def _closing(canvas: Canvas, certificate: Certificate, y: float) -> None:
    y += canvas.text(MARGIN, y, CONTENT_WIDTH, CLOSING, CLOSING_STYLE)
    identity = certificate.identity
    signature_block(canvas, y + 6, identity, certificate.issue_city, certificate.issued_on)


@functools.lru_cache(maxsize=64)
def _issued_label(issued_on: dt.date) -> str:
    return f"Délivrée le {short_date(issued_on)}"


@functools.lru_cache(maxsize=256)
def _half_day_cells(half: HalfDayColumn) -> tuple[str, str, str, str]:
    """Date, period, times and hours of a half-day: the same on every participant's page."""
    return (
        f"{day_month(half.date)} {half.date.year}",
        PERIOD_LABELS[half.period],
        half.times_label,
        hours_fr(half.hours),
    )


def _footer_text(certificate: Certificate) -> str:
    identity = certificate.identity
    parts = [identity.organisation_name or certificate.provider_name, *identity.address_lines]
    return " – ".join(part for part in parts if part)
