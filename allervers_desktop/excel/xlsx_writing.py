"""Write formatted sheets with openpyxl (write-only, fast) and save them atomically.

Every text from the database is written as text, never as a formula: a value starting with
« = », « + », « - » or « @ » gets the string type and Excel's quote prefix.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allervers_desktop.excel.errors import ExportError
from allervers_desktop.excel.progress import Progress, ProgressTicker, collector_paused

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

    def save(self, target: Path) -> None:
        save_atomically(self.workbook, target)

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


def check_target(target: Path) -> Path:
    target = Path(target)
    if target.suffix.lower() != ".xlsx":
        raise ExportError(f"Le fichier « {target.name} » doit avoir l'extension .xlsx.")
    if not target.parent.is_dir():
        raise ExportError(f"Le dossier « {target.parent} » n'existe pas.")
    if target.is_dir():
        raise ExportError(f"« {target} » est un dossier.")
    return target


def save_atomically(workbook: Workbook, target: Path) -> None:
    """Save beside the target, then move into place: a failure never leaves a half file."""
    target = check_target(target)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=".xlsx.tmp", dir=target.parent
        )
        os.close(handle)
    except OSError as exc:
        raise ExportError(
            f"Impossible d'écrire dans le dossier « {target.parent} » : {exc.strerror}."
        ) from exc
    try:
        workbook.save(temporary)
        os.replace(temporary, target)
    except PermissionError as exc:
        raise ExportError(
            f"Le fichier « {target.name} » ne peut pas être remplacé : il est peut-être ouvert "
            "dans un tableur. Fermez-le et recommencez."
        ) from exc
    except OSError as exc:
        raise ExportError(
            f"Le fichier « {target.name} » n'a pas pu être écrit : {exc.strerror or exc}."
        ) from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def discard_workbook(workbook: Workbook) -> None:
    """Release a write-only workbook that will not be kept: its sheets' row generators and
    temporary files are closed now, so nothing is left for the garbage collector to finish."""
    handle, temporary = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(temporary)  # the normal way to close every sheet
    except Exception:  # only cleaning up: the cancel or the failure is what matters
        pass
    finally:
        os.unlink(temporary)
    for sheet in workbook.worksheets:  # a save that failed half-way left some sheets open
        for part in (getattr(sheet, "_rows", None), getattr(sheet, "_writer", None)):
            try:
                if part is not None:
                    part.close()
            except Exception:  # a half-written sheet: only cleaning up
                pass


def write_workbook(specs: list[SheetSpec], target: Path, progress: Progress | None) -> list[str]:
    """Write the sheets to ``target`` (atomically); a cancel leaves any existing file as it was."""
    target = check_target(target)
    ticker = ProgressTicker(
        progress, sum(len(spec.rows) for spec in specs), cancelled_message=CANCELLED, step=200
    )
    ticker.report()
    with collector_paused():
        writer = SheetWriter(ticker)
        try:
            titles = [writer.add(spec) for spec in specs]
            ticker.finish()  # the last chance to cancel: once saved, the file is in place
        except BaseException:  # a cancel, or any failure: nothing is written
            writer.discard()
            raise
        try:
            writer.save(target)
        except BaseException:
            # openpyxl's write-only sheets hold open generators and temporary files until the
            # workbook is saved: release them now, not when the collector happens to run.
            writer.discard()
            raise
    return titles
