"""One rendering path: paint a document on any paged device (PDF writer, printer, preview)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from allervers_desktop import APP_DISPLAY_NAME
from allervers_desktop.documents.canvas import Canvas
from allervers_desktop.documents.fonts import prepare_fonts
from allervers_desktop.documents.model import DocumentError
from allervers_desktop.files.atomic import write_bytes
from allervers_desktop.files.checks import pdf_check

PaintFunction = Callable[[Canvas], None]
PDF_RESOLUTION = 600


def a4_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def use_a4(device: QPagedPaintDevice) -> None:
    """Ask for A4 portrait (a printer keeps its own minimal margins; drawing takes them into
    account). The window calls it on the QPrinter of a print or preview dialog."""
    device.setPageLayout(a4_layout())


def paint_on(device: QPagedPaintDevice, paint: PaintFunction) -> int:
    """Paint a whole document on ``device``; return the number of pages."""
    prepare_fonts()
    painter = QPainter()
    if not painter.begin(device):  # a PDF goes to memory first: only a printer can refuse
        raise DocumentError(
            "Le document ne peut pas être envoyé à l'imprimante : elle est occupée ou indisponible."
        )
    try:
        canvas = Canvas(painter, device)
        paint(canvas)
        return canvas.page_count
    finally:
        painter.end()


def new_pdf_writer(output: Path | QIODevice, title: str) -> QPdfWriter:
    writer = QPdfWriter(output if isinstance(output, QIODevice) else str(output))
    writer.setPageLayout(a4_layout())
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(APP_DISPLAY_NAME)
    return writer


def render_pdf_bytes(paint: PaintFunction, title: str) -> tuple[bytes, int]:
    """Paint a document into a PDF in memory; return its bytes and page count. Writing the
    bytes ourselves reports a full disk or a refused write, which Qt's writer keeps silent."""
    prepare_fonts()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = new_pdf_writer(buffer, title)
    try:
        pages = paint_on(writer, paint)
    finally:
        del writer  # ends the PDF
    data = bytes(buffer.data().data())
    buffer.close()
    return data, pages


def write_pdf(path: Path, data: bytes, pages: int, *, replace_read_only: bool = False) -> None:
    """Write a rendered PDF atomically, checked (trailer, pages) before it takes its name."""
    write_bytes(Path(path), data, pdf_check(pages, Path(path)), replace_read_only=replace_read_only)


def render_to_pdf(
    path: Path, paint: PaintFunction, title: str, *, replace_read_only: bool = False
) -> int:
    """Write a PDF file (A4, fonts embedded); the file appears only once complete and
    checked. Return the number of pages."""
    data, pages = render_pdf_bytes(paint, title)
    write_pdf(path, data, pages, replace_read_only=replace_read_only)
    return pages
