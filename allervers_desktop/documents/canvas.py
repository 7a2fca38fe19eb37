"""Drawing on a page in millimetres: wrapped text, rules, boxes, images, page breaks."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar, cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPainter,
    QPen,
)

from allervers_desktop.documents.fonts import prepare_fonts
from allervers_desktop.documents.model import DocumentError
from allervers_desktop.images import decode_image

PAGE_WIDTH = 210.0  # A4, mm
CACHE_LIMIT = 50_000  # measured strings kept per canvas
PAGE_HEIGHT = 297.0
MM_PER_INCH = 25.4

INK = "#1b1f24"
ACCENT = "#1f3a5f"
MUTED = "#5b6573"
RULE = "#8c96a3"
LIGHT_RULE = "#c5ccd5"
FILL = "#e8edf3"
PALE_FILL = "#f4f6f9"
WHITE = "#ffffff"


class TextStyle(NamedTuple):
    """Font size in points, weight, slant and colour of a piece of text (a tuple: it is a
    dictionary key on every line drawn, and tuples hash fast)."""

    size: float = 10
    bold: bool = False
    italic: bool = False
    color: str = INK


Run = tuple[str, TextStyle]
T = TypeVar("T")


@dataclass(frozen=True)
class Word:
    """A word of mixed-style text (words are separated by one space)."""

    text: str
    style: TextStyle


class PageLimitReached(Exception):
    """Painting stopped after the pages wanted (an image holds only the first page)."""


class _Face:
    """A style resolved for one device: font, pen, measures and caches of measured text."""

    __slots__ = ("advances", "ascent_px", "font", "line_mm", "metrics", "pen", "wrapped")

    def __init__(self, font: QFont, metrics: QFontMetricsF, pen: QPen, sy: float) -> None:
        self.font = font
        self.metrics = metrics
        self.pen = pen
        self.ascent_px = metrics.ascent()
        self.line_mm = metrics.lineSpacing() / sy
        self.advances: dict[str, float] = {}
        self.wrapped: dict[tuple[str, float], list[str]] = {}

    def advance(self, text: str) -> float:
        """Width of ``text`` in device pixels; documents repeat words, so it is cached."""
        advance = self.advances.get(text)
        if advance is None:
            if len(self.advances) > CACHE_LIMIT:
                self.advances.clear()
            advance = self.metrics.horizontalAdvance(text)
            self.advances[text] = advance
        return advance


class _Recorder:
    """Stands in for the painter while a reusable block is drawn: calls go through, and are
    kept to be replayed on the following pages."""

    def __init__(self, painter: QPainter) -> None:
        self._painter = painter
        self.calls: list[tuple[Callable[..., object], tuple[object, ...]]] = []

    def __getattr__(self, name: str) -> Callable[..., object]:
        method = getattr(self._painter, name)

        def call(*args: object) -> object:
            self.calls.append((method, args))
            return method(*args)

        return call


class Canvas:
    """A QPainter on a paged device (PDF writer, printer, preview), addressed in mm from the
    top-left corner of an A4 sheet whatever the device's resolution and margins."""

    def __init__(
        self, painter: QPainter, device: QPagedPaintDevice | QImage, *, max_pages: int = 0
    ) -> None:
        self.painter = painter
        self.device = device
        self.family = prepare_fonts()
        self._sx = device.logicalDpiX() / MM_PER_INCH
        self._sy = device.logicalDpiY() / MM_PER_INCH
        if isinstance(device, QPagedPaintDevice):
            paint_rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
            painter.translate(-paint_rect.left(), -paint_rect.top())
        self.max_pages = 1 if isinstance(device, QImage) else max_pages
        self.page_count = 0
        self._faces: dict[TextStyle, _Face] = {}
        self._wrapped_runs: dict[tuple[tuple[Run, ...], float], list[list[Word]]] = {}
        self._pens: dict[tuple[str, float], QPen] = {}
        self._images: dict[bytes, QImage] = {}
        self._current: _Face | None = None
        self._font_now: QFont | None = None
        self._pen_now: QPen | None = None
        self._brushes: dict[str, QBrush] = {}
        self._colors: dict[str, QColor] = {}
        self._blocks: dict[
            Hashable, tuple[list[tuple[Callable[..., object], tuple[object, ...]]], Any]
        ] = {}
        self._recording = False
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    # -- pages ---------------------------------------------------------------------------
    def start_page(self) -> None:
        """Begin a new sheet (the first one is already there)."""
        if self.max_pages and self.page_count >= self.max_pages:
            raise PageLimitReached
        device = self.device
        if self.page_count and isinstance(device, QPagedPaintDevice) and not device.newPage():
            raise DocumentError("Impossible d'ajouter une page au document (imprimante ?).")
        self.page_count += 1
        self._current = self._font_now = self._pen_now = None

    def reuse(self, key: Hashable, draw: Callable[[], T]) -> T:
        """Draw a block that repeats from page to page (letterhead, course details, closing
        lines) once, then replay its painter calls: the same output without redoing the
        layout. ``key`` must hold everything the block depends on, its position included."""
        cached = self._blocks.get(key)
        if cached is not None:
            calls, result = cached
            for method, args in calls:
                method(*args)
            self._current = self._font_now = self._pen_now = None
            return cast(T, result)
        if self._recording:
            return draw()
        painter = self.painter
        recorder = _Recorder(painter)
        self._current = self._font_now = self._pen_now = None
        self.painter = cast(QPainter, recorder)
        self._recording = True
        try:
            result = draw()
        finally:
            self.painter = painter
            self._recording = False
            self._current = self._font_now = self._pen_now = None
        if len(self._blocks) > CACHE_LIMIT // 100:
            self._blocks.clear()
        self._blocks[key] = (recorder.calls, result)
        return result

    # -- fonts and measures --------------------------------------------------------------
    def _face(self, style: TextStyle) -> _Face:
        face = self._faces.get(style)
        if face is None:
            font = QFont(self.family)
            font.setPointSizeF(style.size)
            font.setBold(style.bold)
            font.setItalic(style.italic)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            font.setFeature(QFont.Tag("liga"), 0)  # « fi » stays two letters in the PDF text
            metrics = QFontMetricsF(font, self.device)
            face = _Face(font, metrics, self._pen(style.color, 0), self._sy)
            self._faces[style] = face
        return face

    def _use(self, face: _Face) -> None:
        """Make ``face`` the painter's font and colour (each only when it changes)."""
        if face.font is not self._font_now:
            self.painter.setFont(face.font)
            self._font_now = face.font
        if face.pen is not self._pen_now:
            self.painter.setPen(face.pen)
            self._pen_now = face.pen
        self._current = face

    def line_height(self, style: TextStyle) -> float:
        return self._face(style).line_mm

    def ascent(self, style: TextStyle) -> float:
        return self._face(style).ascent_px / self._sy

    def wrap(self, text: str, style: TextStyle, width: float) -> list[str]:
        """Lines of ``text`` (explicit line breaks kept) that fit in ``width`` mm.
        The result is shared: do not modify it."""
        face = self._face(style)
        lines = face.wrapped.get((text, width))
        if lines is None:
            if len(face.wrapped) > CACHE_LIMIT:
                face.wrapped.clear()
            lines = self._wrap(text, face, width * self._sx)
            face.wrapped[(text, width)] = lines
        return lines

    @staticmethod
    def _wrap(text: str, face: _Face, limit: float) -> list[str]:
        lines: list[str] = []
        space = face.advance(" ")
        for paragraph in text.split("\n"):
            words = paragraph.split()
            joined = " ".join(words)
            if face.advance(joined) <= limit:
                lines.append(joined)
                continue
            current: list[str] = []
            used = 0.0
            for word in words:
                advance = face.advance(word)
                if current and used + space + advance <= limit:
                    current.append(word)
                    used += space + advance
                    continue
                if current:
                    lines.append(" ".join(current))
                while advance > limit and len(word) > 1:  # a word wider than the column
                    cut = len(word) - 1
                    while cut > 1 and face.advance(word[:cut]) > limit:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    advance = face.advance(word)
                current, used = [word], advance
            lines.append(" ".join(current))
        return lines

    def elide(self, text: str, style: TextStyle, width: float) -> str:
        metrics = self._face(style).metrics
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width * self._sx)

    # -- text ----------------------------------------------------------------------------
    def draw_line_of_text(
        self, x: float, y: float, text: str, style: TextStyle, width: float = 0, align: str = "l"
    ) -> None:
        """One line with its top at ``y``; ``align`` l, c or r within ``width``."""
        self.draw_lines(x, y, (text,), style, width, align)

    def draw_lines(
        self,
        x: float,
        y: float,
        lines: Sequence[str],
        style: TextStyle,
        width: float = 0,
        align: str = "l",
    ) -> float:
        """Draw already wrapped lines; return the height used (mm)."""
        face = self._face(style)
        if self._current is not face:
            self._use(face)
        step = face.line_mm
        sx, sy = self._sx, self._sy
        left = x * sx
        top = y * sy + face.ascent_px
        draw = self.painter.drawText
        aligned = align != "l" and width
        for index, line in enumerate(lines):
            start = left
            if aligned:
                free = width * sx - face.advance(line)
                start += free / 2 if align == "c" else free
            draw(QPointF(start, top + index * step * sy), line)
        return len(lines) * step

    def text(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        style: TextStyle,
        align: str = "l",
        max_lines: int = 0,
    ) -> float:
        """Wrapped text in a column; return the height used (mm). The busiest call of every
        document, hence written out in full rather than through ``wrap`` and ``draw_lines``."""
        face = self._faces.get(style) or self._face(style)
        lines = face.wrapped.get((text, width))
        if lines is None:
            lines = self.wrap(text, style, width)
        if max_lines and len(lines) > max_lines:
            rest = self.elide(" ".join(lines[max_lines - 1 :]), style, width)
            lines = [*lines[: max_lines - 1], rest]
        if self._current is not face:
            self._use(face)
        sx, sy = self._sx, self._sy
        top = y * sy + face.ascent_px
        step = face.line_mm * sy
        draw = self.painter.drawText
        if align == "l" or not width:
            left = x * sx
            for line in lines:
                draw(QPointF(left, top), line)
                top += step
        else:
            for line in lines:
                free = width * sx - face.advance(line)
                draw(QPointF(x * sx + (free / 2 if align == "c" else free), top), line)
                top += step
        return len(lines) * face.line_mm

    def wrap_runs(self, runs: Sequence[Run], width: float) -> list[list[Word]]:
        """Break mixed-style text (bold names within a sentence) into lines of words. Spaces
        come from the runs' own text: ``("Je soussigné(e) ", plain), (name, bold), (", …")``.
        The result is shared: do not modify it."""
        key = (tuple(runs), width)
        lines = self._wrapped_runs.get(key)
        if lines is None:
            if len(self._wrapped_runs) > CACHE_LIMIT:
                self._wrapped_runs.clear()
            lines = self._wrap_runs(runs, width * self._sx)
            self._wrapped_runs[key] = lines
        return lines

    def _wrap_runs(self, runs: Sequence[Run], limit: float) -> list[list[Word]]:
        lines: list[list[Word]] = [[]]
        used = 0.0
        after_space = True
        for text, style in runs:
            face = self._face(style)
            space = face.advance(" ")
            for match in re.finditer(r"\S+", text):
                glued = match.start() == 0 and not after_space and bool(lines[-1])
                if glued:
                    # Punctuation after a bold name takes its style: one string in the PDF,
                    # so that text extraction does not put a space before the comma.
                    previous = lines[-1][-1]
                    joined = previous.text + match.group()
                    previous_face = self._face(previous.style)
                    used += previous_face.advance(joined) - previous_face.advance(previous.text)
                    lines[-1][-1] = Word(joined, previous.style)
                    continue
                advance = face.advance(match.group())
                gap = space if lines[-1] else 0.0
                if lines[-1] and used + gap + advance > limit:
                    lines.append([])
                    used, gap = 0.0, 0.0
                lines[-1].append(Word(match.group(), style))
                used += gap + advance
            after_space = not text or text[-1].isspace()
        return lines

    def draw_runs(
        self, x: float, y: float, lines: Sequence[Sequence[Word]], step: float, width: float = 0
    ) -> float:
        """Draw lines of words, same-style neighbours as one string; ``width`` > 0 centres."""
        for index, line in enumerate(lines):
            texts: list[Run] = []
            for position, word in enumerate(line):
                before = "" if position == 0 else " "
                if texts and texts[-1][1] == word.style:
                    texts[-1] = (f"{texts[-1][0]}{before}{word.text}", word.style)
                    continue
                if texts and before:
                    texts[-1] = (f"{texts[-1][0]} ", texts[-1][1])
                texts.append((word.text, word.style))
            left = x * self._sx
            if width:
                total = sum(self._face(style).advance(text) for text, style in texts)
                left += (width * self._sx - total) / 2
            top = (y + index * step) * self._sy
            for text, style in texts:
                face = self._face(style)
                self._use(face)
                self.painter.drawText(QPointF(left, top + face.ascent_px), text)
                left += face.advance(text)
        return len(lines) * step

    # -- shapes --------------------------------------------------------------------------
    def _pen(self, color: str, width: float) -> QPen:
        """A cached pen; ``width`` < 0 gives no pen at all (shapes without an outline)."""
        key = (color, width)
        pen = self._pens.get(key)
        if pen is None:
            if width < 0:
                pen = QPen(Qt.PenStyle.NoPen)
            else:
                pen = QPen(QColor(color))
                pen.setWidthF(width * self._sx)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            self._pens[key] = pen
        return pen

    def _set_pen(self, pen: QPen) -> None:
        if pen is not self._pen_now:
            self.painter.setPen(pen)
            self._pen_now = pen
            self._current = None

    def _brush(self, color: str) -> QBrush:
        brush = self._brushes.get(color)
        if brush is None:
            brush = self._brushes[color] = QBrush(QColor(color))
        return brush

    def _rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(x * self._sx, y * self._sy, w * self._sx, h * self._sy)

    def line(
        self, x1: float, y1: float, x2: float, y2: float, color: str = RULE, width: float = 0.25
    ) -> None:
        self._set_pen(self._pen(color, width))
        self.painter.drawLine(
            QPointF(x1 * self._sx, y1 * self._sy), QPointF(x2 * self._sx, y2 * self._sy)
        )

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        color: str = RULE,
        width: float = 0.25,
        fill: str | None = None,
    ) -> None:
        self._set_pen(self._pen(color, width) if width else self._pen(WHITE, -1))
        if fill:
            self.painter.setBrush(self._brush(fill))
        self.painter.drawRect(self._rect(x, y, w, h))
        if fill:
            self.painter.setBrush(Qt.BrushStyle.NoBrush)

    def fill(self, x: float, y: float, w: float, h: float, color: str) -> None:
        colour = self._colors.get(color)
        if colour is None:
            colour = self._colors[color] = QColor(color)
        self.painter.fillRect(self._rect(x, y, w, h), colour)

    def checkbox(self, x: float, y: float, size: float, checked: bool) -> None:
        """A square box; a ticked one holds an « X » (kept as text in the PDF)."""
        self.rect(x, y, size, size, INK, 0.3)
        if checked:
            style = TextStyle(size * 2.2, bold=True)
            height = self.line_height(style)
            self.draw_line_of_text(x, y + (size - height) / 2, "X", style, size, "c")

    def decoded(self, content: bytes) -> QImage:
        """The image stored in ``content``, decoded once per canvas (a batch reuses it)."""
        image = self._images.get(content)
        if image is None:
            image = decode_image(content)  # null when damaged: the print report says so
            self._images[content] = image
        return image

    def image(
        self, image: QImage, x: float, y: float, max_w: float, max_h: float, align: str = "l"
    ) -> tuple[float, float]:
        """Draw ``image`` scaled to fit the box, keeping its proportions; return its size."""
        if image.isNull() or image.width() == 0 or image.height() == 0:
            return (0.0, 0.0)
        ratio = min(max_w / image.width(), max_h / image.height())
        width, height = image.width() * ratio, image.height() * ratio
        free = max_w - width
        left = x + {"c": free / 2, "r": free}.get(align, 0.0)
        self.painter.drawImage(self._rect(left, y, width, height), image)
        return (width, height)
