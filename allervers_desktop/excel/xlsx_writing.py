"""Write formatted sheets with openpyxl (write-only, fast) and save them atomically.

Every text from the database is written as text, never as a formula: a value starting with
« = », « + », « - » or « @ » gets the string type and Excel's quote prefix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allervers_desktop.excel.errors import ExportError
from allervers_desktop.excel.progress import Progress, ProgressTicker, collector_paused
from allervers_desktop.files import leftovers
from allervers_desktop.files.atomic import (
    create_temporary,
    discard_temporary,
    fill_temporary,
    place_temporary,
    prepare_target,
)
from allervers_desktop.files.checks import xlsx_check
from allervers_desktop.files.errors import FileWriteError, ReadOnlyTargetError, write_failure

if TYPE_CHECKING:
    from openpyxl import Workbook

ExportValue = str | int | float | dt.date | dt.datetime | dt.timedelta | None

DATE_FORMAT = "DD/MM/YYYY"
# Hours are durations (they add up in Excel) shown as « 3 h 10 », like everywhere else.
HOURS_FORMAT = '[h]" h "mm'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_STARTS)
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")
MAX_CELL_TEXT = 32767
MIN_WIDTH, MAX_WIDTH = 6.0, 50.0
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
CANCELLED = "Export annulé : aucun fichier n'a été écrit."


@dataclass
class SheetSpec:
    """A titled table: title block, header row, data rows, column formats."""

    title: str
    heading: str
    headers: list[str]
    rows: list[list[ExportValue]]
    title_lines: list[tuple[str, list[ExportValue]]] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)  # column index -> number format
    landscape: bool = True

    @property
    def header_row(self) -> int:
        """Excel number of the header row (after the heading, title lines and a blank line)."""
        return len(self.title_lines) + 3


def clean_text(value: str) -> str:
    """Text Excel accepts: no control characters, « \n » line breaks, not longer than a cell."""
    if ILLEGAL.search(value):
        value = ILLEGAL.sub("", value)
    if "\r" in value:  # XML readers turn a bare « \r » into « \n » anyway
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value[:MAX_CELL_TEXT]


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name (31 characters at most, no []:*?/\\)."""
    base = SHEET_TITLE_FORBIDDEN.sub(" ", text).strip().strip("'")[:31] or "Feuille"
    title, counter = base, 1
    while title.lower() in taken:
        counter += 1
        suffix = f" ({counter})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _width(value: ExportValue) -> float:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 11
    if isinstance(value, float | dt.timedelta):
        return 7
    text = str(value)
    if "\n" in text:
        return max(len(line) for line in text.splitlines()) * 1.1
    return len(text) * 1.1


def column_widths(spec: SheetSpec) -> list[float]:
    """Fitted widths: the longest value of each column (header included), within limits."""
    widths = [_width(header) + 2 for header in spec.headers]
    for index in range(len(widths)):
        values = [row[index] for row in spec.rows if index < len(row)]
        texts = [value for value in values if value.__class__ is str]
        if texts and not any("\n" in text for text in texts):
            widths[index] = max(widths[index], max(map(len, texts)) * 1.1)
        else:
            widths[index] = max([widths[index], *(_width(value) for value in values)])
    return [min(max(width + 1, MIN_WIDTH), MAX_WIDTH) for width in widths]


def styled_columns(spec: SheetSpec) -> list[int]:
    """Columns whose values need a number format: dates, and those with a stated format."""
    width = max([len(spec.headers), *(len(row) for row in spec.rows[:1])])
    columns = set(spec.formats)
    for index in range(width):
        if any(index < len(row) and isinstance(row[index], dt.date) for row in spec.rows):
            columns.add(index)
    return sorted(columns)


class SheetWriter:
    """Writes SheetSpecs into a write-only workbook."""

    def __init__(self, ticker: ProgressTicker) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.ticker = ticker
        self._taken: set[str] = set()
        self._styles = _Styles()

    def add(self, spec: SheetSpec) -> str:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.worksheet import Worksheet

        title = sheet_title(spec.title, self._taken)
        sheet = self.workbook.create_sheet(title)
        width = max(len(spec.headers), 1)
        for index, column_width in enumerate(column_widths(spec), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column_width
        header = spec.header_row
        last = header + len(spec.rows)
        sheet.freeze_panes = f"A{header + 1}"
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(width)}{last}"
        sheet.print_title_rows = f"{header}:{header}"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if spec.landscape else "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.oddFooter.center.text = "Page &P / &N"
        sheet.oddFooter.left.text = clean_text(spec.heading)[:200].replace("&", "&&")

        styles = self._styles

        def styled(value: ExportValue, font: Any = None, number_format: str | None = None) -> Any:
            cell = WriteOnlyCell(sheet, value=_safe(value))
            _protect(cell)
            if font is not None:
                cell.font = font
            if number_format is not None:
                cell.number_format = number_format
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            return cell

        sheet.append([styled(spec.heading, styles.heading)])
        for label, values in spec.title_lines:
            sheet.append([styled(label, styles.bold), *(styled(value) for value in values)])
        sheet.append([])
        header_cells = []
        for text in spec.headers:
            cell = styled(text, styles.bold)
            cell.fill = styles.fill
            cell.border = styles.border
            cell.alignment = styles.wrap
            header_cells.append(cell)
        sheet.append(header_cells)
        formats = spec.formats
        formatted = styled_columns(spec)
        for row in spec.rows:
            texts = [value for value in row if value.__class__ is str]
            # One search per row: most rows hold only plain text, written as it is.
            plain = not NEEDS_CLEANING.search("\n".join(texts)) and not any(
                text[:1] in FORMULA_FIRST for text in texts
            )
            if plain:
                out = list(row)
                for index in formatted:
                    value = out[index] if index < len(out) else None
                    if value is not None:
                        out[index] = styled(value, number_format=formats.get(index))
                sheet.append(out)
            else:
                sheet.append(
                    [self._cell(index, value, formats, styled) for index, value in enumerate(row)]
                )
            self.ticker.advance()
        return title

    @staticmethod
    def _cell(index: int, value: ExportValue, formats: dict[int, str], styled: Any) -> Any:
        if isinstance(value, str):
            if value[:1] in FORMULA_FIRST or NEEDS_CLEANING.search(value):
                return styled(value)
            return value[:MAX_CELL_TEXT]
        if value is None:
            return None
        if index in formats or isinstance(value, dt.date):
            return styled(value, number_format=formats.get(index))
        return value

    def save(self, target: Path, *, replace_read_only: bool = False) -> None:
        save_atomically(self.workbook, target, replace_read_only=replace_read_only)

    def discard(self) -> None:
        """Release openpyxl's temporary files after a cancel (the workbook is not kept)."""
        discard_workbook(self.workbook)


def _safe(value: ExportValue) -> ExportValue:
    return clean_text(value) if isinstance(value, str) else value


def _protect(cell: Any) -> None:
    """Text stays text: never a formula, and Excel shows it as typed."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.heading = Font(bold=True, size=14)
        self.bold = Font(bold=True)
        self.fill = PatternFill("solid", fgColor="DDE4EE")
        self.border = Border(bottom=Side(style="thin"))
        self.wrap = Alignment(wrap_text=True, vertical="center")


def check_target(target: Path, *, replace_read_only: bool = False) -> Path:
    target = Path(target)
    if target.suffix.lower() != ".xlsx":
        raise ExportError(f"Le fichier « {target.name} » doit avoir l'extension .xlsx.")
    try:
        return prepare_target(target, replace_read_only=replace_read_only)
    except ReadOnlyTargetError:  # the caller asks or says how to force it
        raise
    except FileWriteError as exc:
        raise ExportError(exc.message) from exc


# openpyxl's write-only sheets spool their rows to temporary files in the system's temporary
# folder, where a crash would leave them. While one of our exports runs (in this thread),
# they go beside the target under our hidden temporary name instead, so that a crash's
# leftovers are removed at the next start like the rest.
_spool = threading.local()
_patch_lock = threading.Lock()


def _spool_file(suffix: str = "") -> str:
    from openpyxl.worksheet import _writer

    folder: Path | None = getattr(_spool, "folder", None)
    if folder is None:
        return str(_ORIGINAL[0](suffix))
    descriptor, name = tempfile.mkstemp(
        prefix=f"{leftovers.TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}-openpyxl",
        suffix=suffix,
        dir=folder,
    )
    os.close(descriptor)
    _writer.ALL_TEMP_FILES.append(name)
    return name


_ORIGINAL: list[Any] = []  # openpyxl's own function, used outside our exports


@contextlib.contextmanager
def spooled_beside(target: Path) -> Iterator[None]:
    """openpyxl's temporary sheet files go to ``target``'s folder while the block runs."""
    from openpyxl.worksheet import _writer

    with _patch_lock:
        if not _ORIGINAL:
            _ORIGINAL.append(_writer.create_temporary_file)
            _writer.create_temporary_file = _spool_file
    leftovers.remember_folder(target.parent)
    _spool.folder = target.parent
    try:
        yield
    finally:
        _spool.folder = None


def save_atomically(workbook: Workbook, target: Path, *, replace_read_only: bool = False) -> None:
    """Save beside the target, check, then move into place: a failure never leaves a half
    file, and the reason (disk full, read-only folder or file…) is said in French."""
    target = check_target(target, replace_read_only=replace_read_only)
    sheets = len(workbook.worksheets)
    try:
        temporary = create_temporary(target)
        fill_temporary(temporary, target, workbook.save, xlsx_check(sheets, target))
        place_temporary(temporary, target)
    except FileWriteError as exc:
        raise ExportError(exc.message) from exc


def discard_workbook(workbook: Workbook) -> None:
    """Release a write-only workbook that will not be kept: its sheets' row generators and
    temporary files are closed and removed now, so nothing is left behind."""
    # Saving is the normal way to close every sheet; only cleaning up: the cancel or the
    # failure is what matters.
    with contextlib.suppress(Exception):
        workbook.save(io.BytesIO())
    from openpyxl.worksheet import _writer

    for sheet in workbook.worksheets:  # a save that failed half-way left some sheets open
        writer = getattr(sheet, "_writer", None)
        for part in (getattr(sheet, "_rows", None), writer):
            try:
                if part is not None:
                    part.close()
            except Exception:  # a half-written sheet: only cleaning up
                pass
        spool = getattr(writer, "out", None)
        if isinstance(spool, str):
            discard_temporary(Path(spool))
            with contextlib.suppress(ValueError):
                _writer.ALL_TEMP_FILES.remove(spool)


def write_workbook(
    specs: list[SheetSpec],
    target: Path,
    progress: Progress | None,
    *,
    replace_read_only: bool = False,
) -> list[str]:
    """Write the sheets to ``target`` (atomically); a cancel leaves any existing file as it was."""
    target = check_target(target, replace_read_only=replace_read_only)
    ticker = ProgressTicker(
        progress, sum(len(spec.rows) for spec in specs), cancelled_message=CANCELLED, step=200
    )
    ticker.report()
    with collector_paused(), spooled_beside(target):
        writer = SheetWriter(ticker)
        try:
            titles = [writer.add(spec) for spec in specs]
            ticker.finish()  # the last chance to cancel: once saved, the file is in place
        except OSError as exc:  # a sheet's spool file beside the target could not be written
            writer.discard()
            raise ExportError(write_failure(exc, target).message) from exc
        except BaseException:  # a cancel, or any failure: nothing is written
            writer.discard()
            raise
        try:
            writer.save(target, replace_read_only=replace_read_only)
        except BaseException:
            # openpyxl's write-only sheets hold open generators and temporary files until the
            # workbook is saved: release them now, not when the collector happens to run.
            writer.discard()
            raise
    return titles
