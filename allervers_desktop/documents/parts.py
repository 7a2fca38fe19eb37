"""Pieces shared by the letter-like documents: letterhead, footer, signature, tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from allervers_desktop.documents.canvas import (
    ACCENT,
    FILL,
    LIGHT_RULE,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    Canvas,
    TextStyle,
)
from allervers_desktop.formatting import short_date
from allervers_desktop.services.settings import DocumentIdentity

MARGIN = 20.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_TOP = PAGE_HEIGHT - 16

ORG_STYLE = TextStyle(11, bold=True, color=ACCENT)
SMALL = TextStyle(8, color=MUTED)
BODY = TextStyle(10.5)
BODY_BOLD = TextStyle(10.5, bold=True)
LABEL = TextStyle(9, color=MUTED)
VALUE = TextStyle(10)
VALUE_BOLD = TextStyle(10, bold=True)
TITLE = TextStyle(17, bold=True, color=ACCENT)
SUBTITLE = TextStyle(10.5, italic=True, color=MUTED)
CELL = TextStyle(9)
CELL_HEAD = TextStyle(8.5, bold=True, color=ACCENT)
REFERENCE = TextStyle(10, bold=True, color=ACCENT)


def letterhead(
    canvas: Canvas,
    identity: DocumentIdentity,
    fallback_name: str,
    right: Sequence[str] = (),
    below: Sequence[str] = (),
) -> float:
    """Logo, organisation name and address at the top left (then the ``below`` lines, e.g. the
    SIRET), ``right`` lines at the top right; return the y (mm) below the closing rule."""
    top = 14.0
    bottom = canvas.reuse(
        ("letterhead", identity, fallback_name, tuple(below)),
        lambda: _organisation(canvas, identity, fallback_name, top, below),
    )
    ry = top
    for index, line in enumerate(right):
        style = REFERENCE if index == 0 else SMALL
        ry += canvas.text(PAGE_WIDTH - MARGIN - 70, ry, 70, line, style, align="r")
    bottom = max(bottom, ry) + 4
    canvas.line(MARGIN, bottom, PAGE_WIDTH - MARGIN, bottom, ACCENT, 0.5)
    return bottom + 8


def _organisation(
    canvas: Canvas,
    identity: DocumentIdentity,
    fallback_name: str,
    top: float,
    below: Sequence[str] = (),
) -> float:
    x = MARGIN
    bottom = top
    if identity.logo is not None:
        width, height = canvas.image(canvas.decoded(identity.logo.content), x, top, 38, 20)
        if width:
            x += width + 5
            bottom = top + height
    name = identity.organisation_name or fallback_name
    text_width = 105 - (x - MARGIN)
    y = top + canvas.text(x, top, text_width, name, ORG_STYLE, max_lines=2)
    for line in [*identity.address_lines[:4], *below]:
        y += canvas.text(x, y, text_width, line, SMALL, max_lines=1)
    return max(bottom, y)


def footer(canvas: Canvas, left: str, right: str) -> None:
    def fixed() -> None:
        canvas.line(MARGIN, FOOTER_TOP, PAGE_WIDTH - MARGIN, FOOTER_TOP, LIGHT_RULE, 0.25)
        canvas.text(MARGIN, FOOTER_TOP + 1.8, 125, left, SMALL, max_lines=2)

    canvas.reuse(("footer", left), fixed)
    canvas.text(PAGE_WIDTH - MARGIN - 50, FOOTER_TOP + 1.8, 50, right, SMALL, align="r")


def title_block(canvas: Canvas, y: float, title: str, subtitle: str = "") -> float:
    def draw() -> float:
        height = canvas.text(MARGIN, y, CONTENT_WIDTH, title, TITLE, align="c")
        if subtitle:
            height += 1 + canvas.text(
                MARGIN, y + height + 1, CONTENT_WIDTH, subtitle, SUBTITLE, align="c"
            )
        return y + height + 7

    return canvas.reuse(("title", y, title, subtitle), draw)


def field_rows(
    canvas: Canvas,
    y: float,
    rows: Sequence[tuple[str, str]],
    label_width: float = 42,
    bold: Sequence[str] = (),
) -> float:
    """« Label   value » lines, the value wrapped in its column (in bold for the labels in
    ``bold``); return the new y."""
    value_width = CONTENT_WIDTH - label_width
    drop = canvas.ascent(VALUE) - canvas.ascent(LABEL)
    for label, value in rows:
        if not value:
            continue
        style = VALUE_BOLD if label in bold else VALUE
        label_height = canvas.text(MARGIN, y + drop, label_width - 2, label, LABEL)
        value_height = canvas.text(MARGIN + label_width, y, value_width, value, style)
        y += max(label_height - drop, value_height) + 1.6
    return y


def signature_block(
    canvas: Canvas,
    y: float,
    identity: DocumentIdentity,
    city: str,
    issued_on: dt.date,
    caption: str = "",
    *,
    with_place: bool = True,
    box_caption: str = "",
    box_height: float = 34,
) -> float:
    """« Fait à …, le … », the signatory and the signature image (or room to sign). With a
    ``box_caption``, the signatory and the image sit in a framed box of ``box_height`` mm, so
    that there is a place to sign and stamp by hand even without an image."""
    x = PAGE_WIDTH / 2 + 5
    width = PAGE_WIDTH - MARGIN - x
    if with_place:
        issued = short_date(issued_on)
        place = f"Fait à {city}, le {issued}" if city else f"Le {issued}"
        y += canvas.text(x, y, width, place, VALUE) + 2
    if caption:
        y += canvas.text(x, y, width, caption, TextStyle(8.5, italic=True, color=MUTED)) + 1
    if box_caption:
        return _signature_box(canvas, x, y, width, box_height, identity, box_caption)
    if identity.signatory_name:
        y += canvas.text(x, y, width, identity.signatory_name, VALUE_BOLD)
    if identity.signatory_title:
        y += canvas.text(x, y, width, identity.signatory_title, VALUE)
    y += 2
    if identity.signature is not None:
        _, height = canvas.image(canvas.decoded(identity.signature.content), x, y, 55, 24)
        y += height
    else:
        y += 24
    return y


def _signature_box(
    canvas: Canvas,
    x: float,
    y: float,
    width: float,
    height: float,
    identity: DocumentIdentity,
    caption: str,
) -> float:
    canvas.rect(x, y, width, height, RULE, 0.3)
    top = y + 2
    inner = width - 6
    top += canvas.text(x + 3, top, inner, caption, TextStyle(8.5, bold=True, color=ACCENT)) + 1
    if identity.signatory_name:
        top += canvas.text(x + 3, top, inner, identity.signatory_name, VALUE_BOLD, max_lines=1)
    if identity.signatory_title:
        top += canvas.text(x + 3, top, inner, identity.signatory_title, VALUE, max_lines=1)
    room = y + height - top - 2
    if identity.signature is not None and room > 6:
        canvas.image(canvas.decoded(identity.signature.content), x + 3, top + 1, inner, room, "c")
    return y + height


def table(
    canvas: Canvas,
    y: float,
    headers: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[str]],
    aligns: str = "",
    row_height: float = 6.2,
) -> float:
    """A plain table with a shaded header row; return the y below it."""
    x0 = MARGIN
    total = sum(widths)
    aligns = aligns or "l" * len(widths)

    height = row_height * (len(rows) + 1)

    def grid() -> None:
        """Header row, rules and frame: the same on every page that has as many rows."""
        canvas.rect(x0, y, total, row_height, RULE, 0.25, FILL)
        x = x0
        for header, width, align in zip(headers, widths, aligns, strict=True):
            canvas.text(x + 1.5, y + 1.5, width - 3, header, CELL_HEAD, align, max_lines=1)
            x += width
        for index in range(2, len(rows) + 1):
            canvas.line(
                x0, y + index * row_height, x0 + total, y + index * row_height, LIGHT_RULE, 0.2
            )
        canvas.rect(x0, y, total, height, RULE, 0.25)

    key = ("table", y, tuple(headers), tuple(widths), aligns, row_height, len(rows))
    canvas.reuse(key, grid)
    top = y + row_height
    for row in rows:
        x = x0
        for cell, width, align in zip(row, widths, aligns, strict=True):
            canvas.text(x + 1.5, top + 1.4, width - 3, cell, CELL, align, max_lines=1)
            x += width
        top += row_height
    return y + height
