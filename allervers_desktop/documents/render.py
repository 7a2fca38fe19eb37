"""One rendering path: paint a document on any paged device (PDF writer, printer, preview)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from allervers_desktop import APP_DISPLAY_NAME
from allervers_desktop.documents.canvas import Canvas
from allervers_desktop.documents.fonts import prepare_fonts
from allervers_desktop.documents.model import DocumentError

PaintFunction = Callable[[Canvas], None]
PDF_RESOLUTION = 600
PARTIAL_SUFFIX = ".partiel"


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
    if not painter.begin(device):
        raise DocumentError("Le document ne peut pas être écrit (fichier ou imprimante occupé ?).")
    try:
        canvas = Canvas(painter, device)
        paint(canvas)
        return canvas.page_count
    finally:
        painter.end()


def new_pdf_writer(path: Path, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setPageLayout(a4_layout())
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(title)
    writer.setCreator(APP_DISPLAY_NAME)
    return writer


def partial_path(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL_SUFFIX)


def render_to_pdf(path: Path, paint: PaintFunction, title: str) -> int:
    """Write a PDF file (A4, fonts embedded); the file appears only once complete.
    Return the number of pages."""
    prepare_fonts()
    path = Path(path)
    if not path.parent.is_dir():
        raise DocumentError(f"Le dossier « {path.parent} » n'existe pas.")
    temporary = partial_path(path)
    try:
        writer = new_pdf_writer(temporary, title)
        pages = paint_on(writer, paint)
        del writer  # closes the file
        os.replace(temporary, path)
    except OSError as exc:
        message = f"Le fichier « {path} » ne peut pas être écrit : {exc.strerror}."
        raise DocumentError(message) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return pages
