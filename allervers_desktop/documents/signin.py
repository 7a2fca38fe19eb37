"""Feuille d'émargement: one sheet per day, header on every page, rows never split."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allervers_desktop.documents.canvas import (
    ACCENT,
    FILL,
    LIGHT_RULE,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PALE_FILL,
    RULE,
    Canvas,
    TextStyle,
)
from allervers_desktop.documents.model import (
    ParticipantInfo,
    SigninSheet,
    TrainerInfo,
)
from allervers_desktop.formatting import PERIOD_LABELS, format_nda, long_date, short_date
from allervers_desktop.services.attendance import HalfDayColumn
from allervers_desktop.services.providers import ProviderData

MARGIN = 12.0
WIDTH = PAGE_WIDTH - 2 * MARGIN
TOP = 11.0
FOOTER_TOP = PAGE_HEIGHT - 13.0
BOTTOM_LIMIT = FOOTER_TOP - 2.0
ROW_HEIGHT = 10.0
TABLE_HEAD_HEIGHT = 9.5
TRAINER_ROW_HEIGHT = 11.0
MIN_ROWS_WITH_TRAILER = 3
PERIODS = ("am", "pm")
# N°, NOM Prénom, Établissement, Matin, Après-midi (mm; they add up to WIDTH)
COLUMNS = (8.0, 52.0, 52.0, 37.0, 37.0)

TITLE = TextStyle(15, bold=True, color=ACCENT)
DATE_STYLE = TextStyle(11, bold=True)
ORG = TextStyle(10, bold=True, color=ACCENT)
LABEL = TextStyle(7.5, color=MUTED)
VALUE = TextStyle(8.5)
VALUE_BOLD = TextStyle(8.5, bold=True)
HEAD = TextStyle(8, bold=True, color=ACCENT)
HEAD_SMALL = TextStyle(7.5, color=MUTED)
NAME = TextStyle(9, bold=True)
EMPLOYER = TextStyle(7.5, color=MUTED)
NUMBER = TextStyle(8, color=MUTED)
SMALL = TextStyle(7.5, color=MUTED)
NOTE = TextStyle(8.5, italic=True)


@dataclass(frozen=True)
class Row:
    number: int
    participant: ParticipantInfo | None  # None: blank row for a walk-in


@dataclass(frozen=True)
class PagePlan:
    rows: tuple[Row, ...]
    with_trailer: bool


def sheet_pages(canvas: Canvas, sheet: SigninSheet, day: dt.date) -> list[PagePlan]:
    """Split the rows of one day into pages; the trainers' block ends the last page, with at
    least a few participant rows beside it when there are enough."""
    rows = [Row(index + 1, participant) for index, participant in enumerate(sheet.participants)]
    start = len(rows)
    rows += [Row(start + index + 1, None) for index in range(sheet.blank_rows)]
    room = BOTTOM_LIMIT - table_top(canvas, sheet, day) - TABLE_HEAD_HEIGHT
    per_page = max(1, int(room // ROW_HEIGHT))
    trailer = trailer_height(canvas, sheet, day)
    pages: list[list[Row]] = [rows[i : i + per_page] for i in range(0, len(rows), per_page)]
    if not pages:
        pages = [[]]
    last = pages[-1]
    if len(last) * ROW_HEIGHT + trailer <= room:
        return [PagePlan(tuple(page), index == len(pages) - 1) for index, page in enumerate(pages)]
    # The trainers' block does not fit under the last rows: carry some rows over with it.
    fit_with_trailer = max(0, int((room - trailer) // ROW_HEIGHT))
    carried = min(len(last), fit_with_trailer, MIN_ROWS_WITH_TRAILER)
    kept = last[: len(last) - carried]
    plans = [PagePlan(tuple(page), False) for page in pages[:-1]]
    if kept:
        plans.append(PagePlan(tuple(kept), False))
    plans.append(PagePlan(tuple(last[len(last) - carried :]), True))
    return plans


def paint_signin(canvas: Canvas, sheet: SigninSheet) -> None:
    """Every day of the sheet, each on its own pages."""
    for day in sheet.printed_days:
        plans = sheet_pages(canvas, sheet, day)
        for index, plan in enumerate(plans):
            canvas.start_page()
            y = header(canvas, sheet, day)
            if plan.rows:
                y = table_head(canvas, sheet, day, y)
            for row in plan.rows:
                draw_row(canvas, sheet, day, row, y)
                y += ROW_HEIGHT
            if plan.with_trailer:
                trailer(canvas, sheet, day, y + 5)
            footer(canvas, sheet, day, index + 1, len(plans))


def _half_days(sheet: SigninSheet, day: dt.date) -> dict[str, HalfDayColumn]:
    return {half.period: half for half in sheet.group.half_days_of(day)}


def day_trainers(sheet: SigninSheet, day: dt.date) -> list[tuple[TrainerInfo, set[str]]]:
    """The trainers of a day, each with the periods (am/pm) they taught, in order."""
    taught: dict[TrainerInfo, set[str]] = {}
    for half in sheet.group.half_days_of(day):
        for trainer in sheet.group.trainers_of(half.half_day_id):
            taught.setdefault(trainer, set()).add(half.period)
    return list(taught.items())


def _info_rows(sheet: SigninSheet, day: dt.date) -> tuple[list[tuple[str, str]], ...]:
    group = sheet.group
    course = group.course
    halves = _half_days(sheet, day)
    times = "\n".join(
        f"{PERIOD_LABELS[period].capitalize()} : {halves[period].times_label}"
        for period in PERIODS
        if period in halves
    )
    trainers = ", ".join(trainer.name for trainer, _ in day_trainers(sheet, day)) or "—"
    left = [
        ("Formation", course.title),
        ("Module", course.module),
        ("Organisme de formation", _provider_line(course.provider)),
        ("Groupe", group.title),
    ]
    right = [
        ("Lieu", group.place),
        ("Horaires", times),
        ("Intervenant(e)s", trainers),
        ("Financement", course.funding_line),
    ]
    return left, right


def _provider_line(provider: ProviderData) -> str:
    """« PRAXIS – NDA 44 67 … »: the sheet is kept by the Opco and the provider alike."""
    nda = f"NDA {format_nda(provider.nda)}" if provider.nda else ""
    return " – ".join(part for part in (provider.name, nda) if part)


INFO_LABEL_WIDTH = 27.0
INFO_COLUMN = (WIDTH - 6) / 2


def _info_row_height(canvas: Canvas, label: str, value: str) -> float:
    label_lines = len(canvas.wrap(label, LABEL, INFO_LABEL_WIDTH - 1))
    value_lines = min(3, len(canvas.wrap(value, VALUE, INFO_COLUMN - INFO_LABEL_WIDTH)))
    return max(label_lines * canvas.line_height(LABEL), value_lines * canvas.line_height(VALUE))


def _info_height(canvas: Canvas, rows: list[tuple[str, str]]) -> float:
    return sum(_info_row_height(canvas, label, value) + 1.2 for label, value in rows if value)


def _title_height(canvas: Canvas) -> float:
    return canvas.line_height(TITLE) + canvas.line_height(DATE_STYLE) + 3


def table_top(canvas: Canvas, sheet: SigninSheet, day: dt.date) -> float:
    left, right = _info_rows(sheet, day)
    box = max(_info_height(canvas, left), _info_height(canvas, right)) + 4
    return TOP + _title_height(canvas) + box + 4


def header(canvas: Canvas, sheet: SigninSheet, day: dt.date) -> float:
    """Organisation, title, date and the session's details; return the y of the table."""
    identity = sheet.identity
    course = sheet.group.course
    org = identity.organisation_name or course.opco_name or course.provider_name
    x = MARGIN
    if identity.logo is not None:
        width, _ = canvas.image(canvas.decoded(identity.logo.content), MARGIN, TOP, 30, 13)
        x += width + 3 if width else 0
    canvas.text(x, TOP, 80 - (x - MARGIN), org, ORG, max_lines=2)
    canvas.text(PAGE_WIDTH - MARGIN - 110, TOP, 110, "FEUILLE D'ÉMARGEMENT", TITLE, "r")
    date_y = TOP + canvas.line_height(TITLE)
    canvas.text(
        PAGE_WIDTH - MARGIN - 110, date_y, 110, long_date(day).capitalize(), DATE_STYLE, "r"
    )
    y = TOP + _title_height(canvas)
    left, right = _info_rows(sheet, day)
    box_height = max(_info_height(canvas, left), _info_height(canvas, right)) + 4
    canvas.rect(MARGIN, y, WIDTH, box_height, LIGHT_RULE, 0.25, PALE_FILL)
    for column, rows in enumerate((left, right)):
        cx = MARGIN + 2 + column * (INFO_COLUMN + 2)
        cy = y + 2
        label_drop = canvas.ascent(VALUE) - canvas.ascent(LABEL)
        for label, value in rows:
            if not value:
                continue
            canvas.text(cx, cy + label_drop, INFO_LABEL_WIDTH - 1, label, LABEL, max_lines=2)
            style = VALUE_BOLD if label in ("Formation", "Groupe") else VALUE
            value_width = INFO_COLUMN - INFO_LABEL_WIDTH
            canvas.text(cx + INFO_LABEL_WIDTH, cy, value_width, value, style, max_lines=3)
            cy += _info_row_height(canvas, label, value) + 1.2
    return y + box_height + 4


def _column_x(index: int) -> float:
    return MARGIN + sum(COLUMNS[:index])


def table_head(canvas: Canvas, sheet: SigninSheet, day: dt.date, y: float) -> float:
    canvas.rect(MARGIN, y, WIDTH, TABLE_HEAD_HEIGHT, RULE, 0.3, FILL)
    titles = ("N°", "NOM Prénom", "Établissement")
    for index, title in enumerate(titles):
        canvas.text(_column_x(index) + 1.5, y + 3, COLUMNS[index] - 3, title, HEAD)
    halves = _half_days(sheet, day)
    for offset, period in enumerate(PERIODS):
        index = 3 + offset
        x = _column_x(index)
        canvas.text(x, y + 1.3, COLUMNS[index], f"{PERIOD_LABELS[period].capitalize()}", HEAD, "c")
        half = halves.get(period)
        detail = half.times_label if half else "pas de séance"
        canvas.text(x, y + 5.3, COLUMNS[index], detail, HEAD_SMALL, "c")
    _column_rules(canvas, y, TABLE_HEAD_HEIGHT)
    return y + TABLE_HEAD_HEIGHT


def draw_row(canvas: Canvas, sheet: SigninSheet, day: dt.date, row: Row, y: float) -> None:
    halves = _half_days(sheet, day)
    for offset, period in enumerate(PERIODS):
        if period not in halves:
            canvas.fill(_column_x(3 + offset), y, COLUMNS[3 + offset], ROW_HEIGHT, FILL)
    canvas.rect(MARGIN, y, WIDTH, ROW_HEIGHT, RULE, 0.3)
    _column_rules(canvas, y, ROW_HEIGHT)
    middle = y + ROW_HEIGHT / 2
    canvas.text(
        MARGIN, middle - canvas.line_height(NUMBER) / 2, COLUMNS[0], str(row.number), NUMBER, "c"
    )
    participant = row.participant
    if participant is None:
        return
    _centred(canvas, 1, middle, participant.full_name, NAME, 2)
    _centred(canvas, 2, middle, participant.employer_label, EMPLOYER, 3)


def _centred(
    canvas: Canvas, column: int, middle: float, text: str, style: TextStyle, max_lines: int
) -> None:
    """Text of a cell, its lines centred on the row's middle."""
    width = COLUMNS[column] - 3
    lines = min(max_lines, len(canvas.wrap(text, style, width)))
    top = middle - lines * canvas.line_height(style) / 2
    canvas.text(_column_x(column) + 1.5, top, width, text, style, max_lines=max_lines)


def _column_rules(canvas: Canvas, y: float, height: float) -> None:
    """Column separators; the one before the signatures is stronger."""
    for index in range(1, len(COLUMNS)):
        width = 0.5 if index == 3 else 0.3
        canvas.line(_column_x(index), y, _column_x(index), y + height, RULE, width)


def trailer_height(canvas: Canvas, sheet: SigninSheet, day: dt.date) -> float:
    trainers = max(1, len(day_trainers(sheet, day)))
    return 5 + 6 + TABLE_HEAD_HEIGHT + trainers * TRAINER_ROW_HEIGHT + 12


def trailer(canvas: Canvas, sheet: SigninSheet, day: dt.date, y: float) -> None:
    """A signature box for each trainer of each half-day (greyed where they did not teach
    that half-day), then « Fait pour valoir ce que de droit »."""
    canvas.text(
        MARGIN,
        y,
        WIDTH,
        "Signature de l'intervenant(e) pour chaque demi-journée",
        TextStyle(9, bold=True, color=ACCENT),
    )
    y += 6
    widths = (COLUMNS[0] + COLUMNS[1] + COLUMNS[2], COLUMNS[3], COLUMNS[4])
    xs = (MARGIN, MARGIN + widths[0], MARGIN + widths[0] + widths[1])
    canvas.rect(MARGIN, y, WIDTH, TABLE_HEAD_HEIGHT, RULE, 0.3, FILL)
    canvas.text(MARGIN + 1.5, y + 3, widths[0] - 3, "Intervenant(e)", HEAD)
    halves = _half_days(sheet, day)
    for offset, period in enumerate(PERIODS):
        canvas.text(
            xs[1 + offset], y + 3, widths[1 + offset], PERIOD_LABELS[period].capitalize(), HEAD, "c"
        )
    y += TABLE_HEAD_HEIGHT
    trainers: list[tuple[TrainerInfo | None, set[str]]] = [*day_trainers(sheet, day)] or [
        (None, set(halves))
    ]
    for trainer, periods in trainers:
        for offset, period in enumerate(PERIODS):
            if period not in halves or period not in periods:
                canvas.fill(xs[1 + offset], y, widths[1 + offset], TRAINER_ROW_HEIGHT, FILL)
            if period in halves and period not in periods:
                canvas.text(
                    xs[1 + offset], y + 3.5, widths[1 + offset], "n'intervient pas", SMALL, "c"
                )
        canvas.rect(MARGIN, y, WIDTH, TRAINER_ROW_HEIGHT, RULE, 0.3)
        for x in xs[1:]:
            canvas.line(x, y, x, y + TRAINER_ROW_HEIGHT, RULE, 0.3)
        if trainer is not None:
            canvas.text(MARGIN + 1.5, y + 1.6, widths[0] - 3, trainer.name, NAME, max_lines=1)
            canvas.text(
                MARGIN + 1.5, y + 6, widths[0] - 3, trainer.job_title, EMPLOYER, max_lines=1
            )
        else:
            canvas.text(MARGIN + 1.5, y + 1.6, widths[0] - 3, "Nom :", EMPLOYER)
        y += TRAINER_ROW_HEIGHT
    y += 4
    canvas.text(MARGIN, y, WIDTH / 2, "Fait pour valoir ce que de droit.", NOTE)
    canvas.text(
        MARGIN + WIDTH / 2, y, WIDTH / 2, "Nombre de présents : matin ……   après-midi ……", NOTE, "r"
    )


def footer(canvas: Canvas, sheet: SigninSheet, day: dt.date, page: int, pages: int) -> None:
    canvas.line(MARGIN, FOOTER_TOP, PAGE_WIDTH - MARGIN, FOOTER_TOP, LIGHT_RULE, 0.25)
    group = sheet.group
    left = f"Feuille d'émargement – {group.course.title} – {group.title}"
    canvas.text(MARGIN, FOOTER_TOP + 1.5, WIDTH - 45, left, SMALL, max_lines=1)
    right = f"{short_date(day)} – page {page} / {pages}"
    canvas.text(PAGE_WIDTH - MARGIN - 45, FOOTER_TOP + 1.5, 45, right, SMALL, "r")
