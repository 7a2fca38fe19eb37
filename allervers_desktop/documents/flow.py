"""Flowing text in a column across pages: wrapped lines, headings kept with what follows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allervers_desktop.documents.canvas import ACCENT, Canvas, TextStyle


@dataclass(frozen=True)
class FlowLine:
    """One line of a column; the first line of a block carries the space above the block."""

    text: str
    style: TextStyle
    indent: float = 0.0
    bullet: str = ""
    gap_before: float = 0.0
    keep_with_next: int = 0  # following lines that must stay on the same page


@dataclass(frozen=True)
class Placed:
    line: FlowLine
    y: float


Frame = Callable[[int], tuple[float, float]]  # page index -> (top, bottom) in mm


def paragraph(
    canvas: Canvas,
    text: str,
    style: TextStyle,
    width: float,
    *,
    indent: float = 0.0,
    bullet: str = "",
    gap_before: float = 0.0,
    keep_with_next: int = 0,
) -> list[FlowLine]:
    """Wrap ``text`` into flow lines (a bullet hangs in the indent of the first line)."""
    wrapped = canvas.wrap(text, style, width - indent)
    lines = [FlowLine(line, style, indent) for line in wrapped]
    if not lines:
        return []
    lines[0] = FlowLine(lines[0].text, style, indent, bullet, gap_before, 0)
    # Never one line of a paragraph alone at the foot or at the top of a page.
    keeps = {0: 1, len(lines) - 2: 1} if len(lines) > 1 else {}
    if keep_with_next:
        keeps[len(lines) - 1] = keep_with_next
    for position, keep in keeps.items():
        line = lines[position]
        lines[position] = FlowLine(line.text, style, indent, line.bullet, line.gap_before, keep)
    return lines


def layout(canvas: Canvas, lines: list[FlowLine], frame: Frame) -> list[list[Placed]]:
    """Place lines page after page within each page's frame; a line is never cut."""
    pages: list[list[Placed]] = [[]]
    top, bottom = frame(0)
    y = top
    index = 0
    while index < len(lines):
        line = lines[index]
        gap = line.gap_before if pages[-1] else 0.0
        end = cursor = index  # the lines kept together, following every link of the chain
        while cursor <= end and cursor < len(lines):
            end = max(end, cursor + lines[cursor].keep_with_next)
            cursor += 1
        need = gap + canvas.line_height(line.style)
        for follower in lines[index + 1 : end + 1]:
            need += follower.gap_before + canvas.line_height(follower.style)
        if y + need > bottom and pages[-1]:
            pages.append([])
            top, bottom = frame(len(pages) - 1)
            y = top
            continue
        pages[-1].append(Placed(line, y + gap))
        y += gap + canvas.line_height(line.style)
        index += 1
    return pages


def draw(canvas: Canvas, x: float, placed: list[Placed]) -> None:
    for item in placed:
        line = item.line
        if line.bullet:
            bullet_style = TextStyle(line.style.size, True, False, ACCENT)
            canvas.draw_line_of_text(x + line.indent - 3.5, item.y, line.bullet, bullet_style)
        canvas.draw_line_of_text(x + line.indent, item.y, line.text, line.style)
