"""Write report sheets with native Excel charts (openpyxl's chart module, editable by the reader).

The sheets are the exports' ``SheetSpec`` tables (same title block, header, widths, text never
a formula); a chart refers to the cells of its table, so the recipient can change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allervers_desktop.excel.errors import ExportError
from allervers_desktop.excel.progress import ProgressTicker, collector_paused
from allervers_desktop.excel.xlsx_writing import (
    CANCELLED,
    SheetSpec,
    SheetWriter,
    check_target,
    spooled_beside,
)
from allervers_desktop.files.errors import write_failure

TOP = 10  # bars drawn for a distribution: the first lines of the table (sorted, largest first)


@dataclass
class ChartSpec:
    """A bar or line chart over columns of a sheet's table (0-based column indexes)."""

    kind: str  # "bar" or "line"
    title: str
    category_column: int
    value_columns: list[int]
    y_title: str = ""
    max_rows: int | None = TOP
    anchor_column: int | None = None  # default: two columns right of the table


@dataclass
class ChartedSheet:
    spec: SheetSpec
    charts: list[ChartSpec] = field(default_factory=list)


def _chart(sheet: Any, spec: SheetSpec, chart: ChartSpec) -> Any:
    from openpyxl.chart import BarChart, LineChart, Reference

    rows = len(spec.rows) if chart.max_rows is None else min(len(spec.rows), chart.max_rows)
    header = spec.header_row
    drawn: Any = BarChart() if chart.kind == "bar" else LineChart()
    if chart.kind == "bar":
        drawn.type = "col"
    drawn.title = chart.title
    drawn.y_axis.title = chart.y_title
    drawn.height, drawn.width = 9, 18
    for column in chart.value_columns:
        data = Reference(
            sheet, min_col=column + 1, max_col=column + 1, min_row=header, max_row=header + rows
        )
        drawn.add_data(data, titles_from_data=True)
    categories = Reference(
        sheet,
        min_col=chart.category_column + 1,
        max_col=chart.category_column + 1,
        min_row=header + 1,
        max_row=header + rows,
    )
    drawn.set_categories(categories)
    return drawn


def write_charted_workbook(
    sheets: list[ChartedSheet], target: Path, *, replace_read_only: bool = False
) -> list[str]:
    """Write the sheets and their charts to ``target``, atomically (never a half file)."""
    from openpyxl.utils import get_column_letter

    target = check_target(Path(target), replace_read_only=replace_read_only)
    ticker = ProgressTicker(
        None, sum(len(s.spec.rows) for s in sheets), cancelled_message=CANCELLED, step=500
    )
    with collector_paused(), spooled_beside(target):
        writer = SheetWriter(ticker)
        try:
            titles = []
            for charted in sheets:
                titles.append(writer.add(charted.spec))
                sheet = writer.workbook.worksheets[-1]
                row = charted.spec.header_row
                for chart in charted.charts:
                    if not charted.spec.rows:
                        continue
                    column = chart.anchor_column or len(charted.spec.headers) + 2
                    sheet.add_chart(
                        _chart(sheet, charted.spec, chart), f"{get_column_letter(column)}{row}"
                    )
                    row += 20
        except OSError as exc:
            writer.discard()
            raise ExportError(write_failure(exc, target).message) from exc
        except BaseException:
            writer.discard()
            raise
        try:
            writer.save(target, replace_read_only=replace_read_only)
        except BaseException:
            writer.discard()
            raise
    return titles
