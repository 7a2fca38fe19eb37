"""The first page of a document as an image: thumbnails, screenshots for docs/, tests."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from allervers_desktop.db.database import Database
from allervers_desktop.documents.batch import DocumentRequest, PreparedDocuments, prepare_documents
from allervers_desktop.documents.canvas import (
    MM_PER_INCH,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Canvas,
    PageLimitReached,
)
from allervers_desktop.documents.fonts import prepare_fonts
from allervers_desktop.documents.model import DocumentError, DocumentKind

INCHES_PER_METRE = 1000 / MM_PER_INCH


def first_page_image(prepared: PreparedDocuments, dpi: int = 100) -> QImage:
    """Paint the first page on a white A4 image at ``dpi`` (works in any thread)."""
    prepare_fonts()
    width = round(PAGE_WIDTH / MM_PER_INCH * dpi)
    height = round(PAGE_HEIGHT / MM_PER_INCH * dpi)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(round(dpi * INCHES_PER_METRE))
    image.setDotsPerMeterY(round(dpi * INCHES_PER_METRE))
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        canvas = Canvas(painter, image)
        with contextlib.suppress(PageLimitReached):
            prepared.paint(canvas)
    finally:
        painter.end()
    return image


def save_first_page_png(prepared: PreparedDocuments, path: Path, dpi: int = 100) -> Path:
    """Write the first page as a PNG file, atomically (``make screenshots`` uses it for docs/)."""
    from PySide6.QtGui import QImageReader, QImageWriter

    from allervers_desktop.files.atomic import check_failed, write_file

    target = Path(path).with_suffix(".png")
    image = first_page_image(prepared, dpi)

    def write(temporary: Path) -> None:
        writer = QImageWriter(str(temporary), b"png")
        if not writer.write(image):  # Qt's reason is English: the file is checked below
            raise DocumentError(f"L'image « {target} » ne peut pas être écrite.")

    def check(temporary: Path) -> None:
        reader = QImageReader(str(temporary), b"png")
        if reader.size() != image.size():
            raise check_failed(target, "image PNG illisible")

    return write_file(target, write, check)


SCREENSHOT_KINDS = (
    DocumentKind.SIGNIN,
    DocumentKind.ATTESTATION,
    DocumentKind.REALISATION,
    DocumentKind.CONVOCATION,
    DocumentKind.COURSE_SHEET,
)


def save_screenshots(
    database: Database, folder: Path, *, group_id: int = 1, course_id: int = 1, dpi: int = 80
) -> list[Path]:
    """First page of every document of a group (the example data's by default) as
    « document-<kind>.png » in ``folder``, for ``make screenshots``. Certificates are numbered
    as for a real print, so run it on a copy or on the example database only."""
    from allervers_desktop.services.groups import get_group

    with database.session() as session:
        first_day = get_group(session, group_id).first_date
    # A convocation is dated before the session (two weeks before, as when it was sent).
    sent_on = first_day - dt.timedelta(days=14) if first_day else None
    paths = []
    for kind in SCREENSHOT_KINDS:
        request = DocumentRequest(
            kind,
            group_id=None if kind is DocumentKind.COURSE_SHEET else group_id,
            course_id=course_id if kind is DocumentKind.COURSE_SHEET else None,
            issued_on=sent_on if kind is DocumentKind.CONVOCATION else None,
        )
        with database.transaction() as session:
            prepared = prepare_documents(session, request)
        if prepared.units:
            paths.append(save_first_page_png(prepared, folder / f"document-{kind.value}.png", dpi))
    return paths
