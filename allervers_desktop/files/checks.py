"""Cheap checks of a written file before it is renamed into place: PDF trailer and pages, xlsx."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from allervers_desktop.files.atomic import check_failed

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
TRAILER_BYTES = 2048
CHUNK = 1 << 20


def pdf_page_objects(data: bytes) -> int:
    """How many page objects an uncompressed-dictionary PDF (Qt's) declares."""
    return len(PAGE_OBJECT.findall(data))


def check_pdf(path: Path, pages: int, target: Path | None = None) -> None:
    """A complete PDF: header, « startxref » and « %%EOF » at the end, ``pages`` pages."""
    shown = target or path
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise check_failed(shown, "en-tête PDF absent")
        count, tail = 0, b""
        while chunk := handle.read(CHUNK):
            block = tail + chunk
            count += pdf_page_objects(block) - pdf_page_objects(tail)
            tail = block[-64:]
        size = handle.tell()
        handle.seek(max(size - TRAILER_BYTES, 0))
        end = handle.read()
    if b"%%EOF" not in end or b"startxref" not in end:
        raise check_failed(shown, "fin du PDF absente")
    if count != pages:
        raise check_failed(shown, f"{count} page(s) au lieu de {pages}")


def pdf_check(pages: int, target: Path) -> Callable[[Path], None]:
    return lambda path: check_pdf(path, pages, target)


def check_xlsx(path: Path, sheets: int, target: Path | None = None) -> None:
    """A complete xlsx: a readable zip (its central directory is written last) holding the
    workbook and ``sheets`` worksheets."""
    shown = target or path
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise check_failed(shown, "archive illisible") from exc
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise check_failed(shown, "classeur absent")
    found = sum(1 for name in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name))
    if found != sheets:
        raise check_failed(shown, f"{found} feuille(s) au lieu de {sheets}")


def xlsx_check(sheets: int, target: Path) -> Callable[[Path], None]:
    return lambda path: check_xlsx(path, sheets, target)
