"""Fiche technique of a course: every section of the course sheet, on as many pages as needed."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from allervers_desktop.documents.canvas import (
    ACCENT,
    FILL,
    LIGHT_RULE,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PALE_FILL,
    WHITE,
    Canvas,
    TextStyle,
)
from allervers_desktop.documents.flow import FlowLine, Placed, draw, layout, paragraph
from allervers_desktop.documents.model import CourseSheet
from allervers_desktop.formatting import decimal_fr, hours_fr

MARGIN = 15.0
SIDEBAR_WIDTH = 58.0
GUTTER = 8.0
MAIN_X = MARGIN + SIDEBAR_WIDTH + GUTTER
MAIN_WIDTH = PAGE_WIDTH - MARGIN - MAIN_X
SIDE_PAD = 4.0
FOLLOW_TOP = 26.0
BOTTOM = PAGE_HEIGHT - 18.0
FOOTER_TOP = PAGE_HEIGHT - 13.0

BAND_SMALL = TextStyle(9, bold=True, color="#c9d6e6")
BAND_TITLE = TextStyle(19, bold=True, color=WHITE)
BAND_MODULE = TextStyle(12, color=WHITE)
BAND_TAG = TextStyle(10, bold=True, color=WHITE)
SECTION = TextStyle(12.5, bold=True, color=ACCENT)
BODY = TextStyle(9.5)
BODY_BOLD = TextStyle(9.5, bold=True)
SIDE_HEAD = TextStyle(8.5, bold=True, color=ACCENT)
SIDE = TextStyle(8.5)
SIDE_BOLD = TextStyle(8.5, bold=True)
SIDE_MUTED = TextStyle(8, color=MUTED)
SMALL = TextStyle(7.5, color=MUTED)
SHORT_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def dates_label(dates: tuple[dt.date, ...] | list[dt.date]) -> str:
    """« Les 25 & 26 sept. 2023 », « Le 3 oct. 2023 », « Les 30 sept. & 1 oct. 2023 »."""
    ordered = sorted(dates)
    if not ordered:
        return "Dates à venir"
    parts: list[str] = []
    by_year = groupby(ordered, key=lambda day: day.year)
    for year, in_year in by_year:
        months = []
        for month, in_month in groupby(list(in_year), key=lambda day: day.month):
            days = [str(day.day) for day in in_month]
            listed = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " & " + days[-1]
            months.append(f"{listed} {SHORT_MONTHS[month - 1]}")
        parts.append(" & ".join(months) + f" {year}")
    prefix = "Le" if len(ordered) == 1 else "Les"
    return f"{prefix} " + ", ".join(parts)


def _duration(sheet: CourseSheet) -> str:
    course = sheet.course
    days = decimal_fr(course.duration_days)
    word = "jour" if course.duration_days < 2 else "jours"
    return f"{days} {word} ({hours_fr(course.duration_hours)})"


def sidebar_lines(canvas: Canvas, sheet: CourseSheet) -> list[FlowLine]:
    course = sheet.course
    width = SIDEBAR_WIDTH - 2 * SIDE_PAD
    lines: list[FlowLine] = []

    def section(title: str, entries: list[tuple[str, TextStyle]]) -> None:
        entries = [(text, style) for text, style in entries if text]
        if not entries:
            return
        gap = 5.0 if lines else 0.0
        lines.extend(
            paragraph(canvas, title.upper(), SIDE_HEAD, width, gap_before=gap, keep_with_next=1)
        )
        for text, style in entries:
            gap_inside = 1.2 if style is SIDE_BOLD else 0.0
            lines.extend(paragraph(canvas, text, style, width, gap_before=gap_inside))

    section("Secteurs", [(course.sectors, SIDE)])
    section("Public", [(course.audience, SIDE)])
    section("Durée", [(_duration(sheet), SIDE)])
    section("Organisme de formation", [(course.provider_name, SIDE_BOLD)])
    places: list[tuple[str, TextStyle]] = []
    for group in sheet.groups:
        places += [
            (group.label, SIDE_BOLD),
            (group.city.upper(), SIDE),
            (dates_label(group.dates), SIDE),
        ]
    section("Lieux & dates", places)
    contact_title = f"Interlocuteur {course.opco_name}".strip()
    section(
        contact_title, [(course.opco_contact_name, SIDE_BOLD), (course.opco_contact_email, SIDE)]
    )
    trainers: list[tuple[str, TextStyle]] = []
    for trainer in sheet.trainers:
        trainers += [(trainer.name, SIDE_BOLD), (trainer.job_title, SIDE_MUTED)]
    section("Intervenants", trainers)
    section("Partenariat & cofinancement", [(partner, SIDE) for partner in course.partners])
    section("Nature de l'action", [(course.action_nature_label, SIDE)])
    section("Référence", [(course.reference, SIDE)])
    return lines


def main_lines(canvas: Canvas, sheet: CourseSheet) -> list[FlowLine]:
    course = sheet.course
    lines: list[FlowLine] = []

    def heading(title: str) -> None:
        gap = 7.0 if lines else 0.0
        lines.extend(
            paragraph(canvas, title, SECTION, MAIN_WIDTH, gap_before=gap, keep_with_next=2)
        )

    if course.context:
        heading("Contexte")
        for index, text in enumerate(part for part in course.context.splitlines() if part):
            lines.extend(
                paragraph(canvas, text, BODY, MAIN_WIDTH, gap_before=2.5 if index else 1.5)
            )
    if course.objectives:
        heading("Objectifs")
        for objective in course.objectives:
            lines.extend(
                paragraph(canvas, objective, BODY, MAIN_WIDTH, indent=5, bullet="•", gap_before=1.5)
            )
    if course.prerequisites:
        heading("Prérequis")
        lines.extend(paragraph(canvas, course.prerequisites, BODY, MAIN_WIDTH, gap_before=1.5))
    if course.programme:
        heading("Contenu")
        for number, (title, items) in enumerate(course.programme, start=1):
            day_title = f"Jour {number} : {title}" if title else f"Jour {number}"
            lines.extend(
                paragraph(canvas, day_title, BODY_BOLD, MAIN_WIDTH, gap_before=3, keep_with_next=1)
            )
            for item in items:
                lines.extend(
                    paragraph(canvas, item, BODY, MAIN_WIDTH, indent=5, bullet="–", gap_before=1.2)
                )
    return lines


BAND_TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def band_height(canvas: Canvas, sheet: CourseSheet) -> float:
    """The coloured band of the first page grows with the title and module."""
    course = sheet.course
    title_lines = min(2, len(canvas.wrap(course.title, BAND_TITLE, BAND_TEXT_WIDTH)))
    height = 16 + title_lines * canvas.line_height(BAND_TITLE)
    if course.module:
        lines = min(2, len(canvas.wrap(course.module, BAND_MODULE, BAND_TEXT_WIDTH)))
        height += 1.5 + lines * canvas.line_height(BAND_MODULE)
    return height + 8


def _band(canvas: Canvas, sheet: CourseSheet) -> None:
    course = sheet.course
    canvas.fill(0, 0, PAGE_WIDTH, band_height(canvas, sheet), ACCENT)
    top_line = " · ".join(part for part in (course.region, course.funding_scheme) if part)
    canvas.text(MARGIN, 9, BAND_TEXT_WIDTH - 45, top_line, BAND_SMALL, max_lines=1)
    canvas.text(PAGE_WIDTH - MARGIN - 45, 9, 45, "FICHE TECHNIQUE", BAND_TAG, "r")
    y = 16.0
    y += canvas.text(MARGIN, y, BAND_TEXT_WIDTH, course.title, BAND_TITLE, max_lines=2)
    if course.module:
        canvas.text(MARGIN, y + 1.5, BAND_TEXT_WIDTH, course.module, BAND_MODULE, max_lines=2)


def _running_head(canvas: Canvas, sheet: CourseSheet) -> None:
    course = sheet.course
    canvas.text(MARGIN, 11, PAGE_WIDTH - 2 * MARGIN - 40, course.title, SIDE_BOLD, max_lines=1)
    canvas.text(PAGE_WIDTH - MARGIN - 40, 11, 40, "Fiche technique (suite)", SMALL, "r")
    canvas.line(MARGIN, 17, PAGE_WIDTH - MARGIN, 17, ACCENT, 0.5)


def paint_course_sheet(canvas: Canvas, sheet: CourseSheet) -> None:
    """Band with the title, a sidebar of key facts and the sections, flowing over pages."""
    first_top = band_height(canvas, sheet) + 9

    def main_frame(page: int) -> tuple[float, float]:
        return (first_top if page == 0 else FOLLOW_TOP, BOTTOM)

    def side_frame(page: int) -> tuple[float, float]:
        top, bottom = main_frame(page)
        return (top + SIDE_PAD, bottom - SIDE_PAD)

    side = layout(canvas, sidebar_lines(canvas, sheet), side_frame)
    main = layout(canvas, main_lines(canvas, sheet), main_frame)
    pages = max(len(side), len(main))
    organisation = sheet.identity.organisation_name or sheet.course.opco_name
    left = f"{organisation} – Fiche technique" if organisation else "Fiche technique"
    for index in range(pages):
        canvas.start_page()
        if index == 0:
            _band(canvas, sheet)
        else:
            _running_head(canvas, sheet)
        side_items: list[Placed] = side[index] if index < len(side) else []
        if side_items:
            top = side_frame(index)[0] - SIDE_PAD
            last = side_items[-1]
            bottom = last.y + canvas.line_height(last.line.style) + SIDE_PAD
            canvas.rect(MARGIN, top, SIDEBAR_WIDTH, bottom - top, LIGHT_RULE, 0, PALE_FILL)
            canvas.fill(MARGIN, top, 1.2, bottom - top, ACCENT)
            draw(canvas, MARGIN + SIDE_PAD, side_items)
        if index < len(main):
            draw(canvas, MAIN_X, main[index])
        canvas.line(MARGIN, FOOTER_TOP, PAGE_WIDTH - MARGIN, FOOTER_TOP, FILL, 0.3)
        canvas.text(MARGIN, FOOTER_TOP + 1.5, 140, left, SMALL, max_lines=1)
        page_label = f"page {index + 1} / {pages}"
        canvas.text(PAGE_WIDTH - MARGIN - 30, FOOTER_TOP + 1.5, 30, page_label, SMALL, "r")
