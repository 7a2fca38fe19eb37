"""« Exporter en PDF… » of the dashboard: the figures, then the charts drawn as vectors.

Each chart's view (its pyqtgraph scene) is painted with a QPainter on a QPdfWriter, scaled
(bars, lines and text stay vectors), with its table's lines beside it; the file is written
through the atomic writer (a temporary beside the target, checked, then renamed).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QPoint, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QRegion
from PySide6.QtWidgets import QWidget

from allervers_desktop.files.atomic import write_file
from allervers_desktop.files.checks import pdf_check
from allervers_desktop.ui.dashboard.labels import figure_lines

if TYPE_CHECKING:
    from allervers_desktop.ui.dashboard.charts import ChartPanel
    from allervers_desktop.ui.dashboard.tab import DashboardTab

CHARTS_PER_PAGE = 2
TABLE_LINES = 14


def page_count(charts: int) -> int:
    return 1 + -(-charts // CHARTS_PER_PAGE)


def _draw_chart(painter: QPainter, chart: ChartPanel, area: QRectF) -> None:
    painter.setFont(QFont("Sans", 11, QFont.Weight.Bold))
    painter.drawText(area.adjusted(0, 0, 0, -area.height() + 300), chart.title)
    plot_area = QRectF(area.left(), area.top() + 350, area.width() * 0.62, area.height() - 400)
    # The chart widget painted straight onto the page, scaled (its scene stays vectors: bars,
    # lines and text go to the PDF as such).
    widget = chart.plot
    scale = min(plot_area.width() / widget.width(), plot_area.height() / widget.height())
    painter.save()
    painter.translate(plot_area.topLeft())
    painter.scale(scale, scale)
    QWidget.render(widget, painter, QPoint(0, 0), QRegion(), QWidget.RenderFlag.DrawChildren)
    painter.restore()
    painter.setFont(QFont("Sans", 8))
    line_height = painter.fontMetrics().height() * 1.3
    x = plot_area.right() + 150
    width = area.right() - x
    y = plot_area.top()
    model = chart.model
    rows = [model.headers, *model.rows[:TABLE_LINES]]
    for row in rows:
        label = painter.fontMetrics().elidedText(
            row[0], Qt.TextElideMode.ElideRight, int(width * 0.6)
        )
        painter.drawText(QRectF(x, y, width * 0.6, line_height), label)
        for index, cell in enumerate(row[1:]):
            cell_width = width * 0.4 / max(len(row) - 1, 1)
            painter.drawText(
                QRectF(x + width * 0.6 + index * cell_width, y, cell_width, line_height),
                int(Qt.AlignmentFlag.AlignRight),
                cell,
            )
        y += line_height
    if len(model.rows) > TABLE_LINES:
        more = len(model.rows) - TABLE_LINES
        painter.drawText(QRectF(x, y, width, line_height), f"… et {more} lignes de plus")


def _write(tab: DashboardTab, path: Path) -> None:
    assert tab.stats is not None
    writer = QPdfWriter(str(path))
    writer.setTitle("Tableau de bord")
    writer.setCreator("Allervers")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(600)
    painter = QPainter(writer)
    try:
        page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
        page.moveTo(0, 0)
        painter.setFont(QFont("Sans", 16, QFont.Weight.Bold))
        painter.drawText(QRectF(0, 0, page.width(), 500), "Tableau de bord")
        painter.setFont(QFont("Sans", 10))
        painter.drawText(QRectF(0, 500, page.width(), 300), tab.message.text())
        line_height = painter.fontMetrics().height() * 1.5
        y = 1000.0
        for label, value in figure_lines(tab.stats):
            painter.drawText(QRectF(0, y, page.width() * 0.4, line_height), label)
            painter.drawText(
                QRectF(page.width() * 0.4, y, page.width() * 0.2, line_height),
                int(Qt.AlignmentFlag.AlignRight),
                value,
            )
            y += line_height
        half = page.height() / CHARTS_PER_PAGE
        for index, chart in enumerate(tab.charts):
            if index % CHARTS_PER_PAGE == 0:
                writer.newPage()
            top = (index % CHARTS_PER_PAGE) * half
            _draw_chart(painter, chart, QRectF(0, top, page.width(), half - 150))
    finally:
        painter.end()


def export_dashboard(tab: DashboardTab, name: str) -> Path:
    """Write the dashboard as shown to ``name`` (a PDF), atomically; return the path."""
    target = Path(name)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    return write_file(
        target, lambda path: _write(tab, path), pdf_check(page_count(len(tab.charts)), target)
    )
