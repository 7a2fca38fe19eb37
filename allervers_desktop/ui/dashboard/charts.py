"""A bar chart (pyqtgraph, white background, French axis labels) with its table beside it.

A click on a bar emits ``barClicked(key)``: the dashboard turns it into a filter (a
département, an employer) or opens the group. This module is the only importer of pyqtgraph,
and it is imported when the « Tableau de bord » tab is first shown, never at start-up.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from allervers_desktop.ui.dashboard.bars import BarData as Bar
from allervers_desktop.ui.dashboard.table import ChartTableModel, ChartTableView

pg.setConfigOptions(background="w", foreground="k", antialias=True)

COLOURS = ("#3a6ea5", "#e0892b")
BAR_WIDTH = 0.8
LABEL_CHARS = 26


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


class ChartPanel(QWidget):
    """Title, chart and table. ``horizontal``: categories down the left axis (long names)."""

    barClicked = Signal(str)

    def __init__(
        self,
        title: str,
        series: list[str],
        value_label: str,
        headers: list[str],
        *,
        horizontal: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title, self.series, self.horizontal = title, series, horizontal
        self.bars: list[Bar] = []
        self.items: list[Any] = []
        self.plot = pg.PlotWidget(parent=self)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumSize(320, 220)
        item = self.plot.getPlotItem()
        item.showGrid(x=not horizontal, y=horizontal, alpha=0.0)
        item.setLabel("bottom" if horizontal else "left", value_label)
        # Fonts in pixels of the scene: the same size on screen and in the PDF (a size in
        # points would be read again at the PDF writer's resolution).
        tick_font = QFont(self.font())
        tick_font.setPixelSize(max(self.fontMetrics().height() - 4, 10))
        for axis in self.axes():
            axis.setStyle(tickFont=tick_font)
            axis.label.setFont(tick_font)
        if len(series) > 1:
            item.addLegend(offset=(-10, 5), colCount=len(series))
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.model = ChartTableModel(headers, self)
        self.table = ChartTableView(self.model, self)
        self.table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        caption = QLabel(f"<b>{title}</b>", self)
        row = QHBoxLayout()
        row.addWidget(self.plot, 3)
        row.addWidget(self.table, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption)
        layout.addLayout(row, 1)

    def axes(self) -> list[Any]:
        item = self.plot.getPlotItem()
        return [item.getAxis(name) for name in ("left", "bottom")]

    def set_bars(self, bars: list[Bar], ticks: list[tuple[int, str]] | None = None) -> None:
        """Draw ``bars`` (first to last: top to bottom, or left to right) and fill the table."""
        self.bars = bars
        item = self.plot.getPlotItem()
        for old in self.items:
            item.removeItem(old)
        self.items = []
        count = len(self.series)
        width = BAR_WIDTH / count
        for serie, name in enumerate(self.series):
            offset = (serie - (count - 1) / 2) * width
            positions = [i + offset for i in range(len(bars))]
            heights = [bar.values[serie] for bar in bars]
            brush = pg.mkBrush(COLOURS[serie % len(COLOURS)])
            if self.horizontal:
                drawn = pg.BarGraphItem(
                    x0=0,
                    y=positions,
                    height=width * 0.9,
                    width=heights,
                    brush=brush,
                    pen=pg.mkPen(None),
                    name=name,
                )
            else:
                drawn = pg.BarGraphItem(
                    x=positions,
                    height=heights,
                    width=width * 0.9,
                    brush=brush,
                    pen=pg.mkPen(None),
                    name=name,
                )
            item.addItem(drawn)
            self.items.append(drawn)
        labels = ticks if ticks is not None else [(i, short(b.label)) for i, b in enumerate(bars)]
        category_axis = item.getAxis("left" if self.horizontal else "bottom")
        category_axis.setTicks([labels])
        top = max((max(bar.values, default=0) for bar in bars), default=0) or 1
        if self.horizontal:
            item.setYRange(len(bars) - 0.5, -0.5, padding=0)
            item.invertY(True)
            item.setXRange(0, top * 1.05, padding=0)
        else:
            item.setXRange(-0.5, max(len(bars), 1) - 0.5, padding=0)
            room = 1.3 if count > 1 else 1.05  # the legend above the bars
            item.setYRange(0, top * room, padding=0)
        self.model.set_rows([bar.cells for bar in bars], [bar.key for bar in bars])

    def bar_at(self, scene_pos: QPointF) -> Bar | None:
        """The bar under a point of the chart's scene, if any."""
        view = self.plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        point = view.mapSceneToView(scene_pos)
        along, value = (point.y(), point.x()) if self.horizontal else (point.x(), point.y())
        index = round(along)
        if not 0 <= index < len(self.bars) or abs(along - index) > BAR_WIDTH / 2:
            return None
        if value < 0 or value > max(self.bars[index].values, default=0):
            return None
        found: Bar = self.bars[index]
        return found

    def bar_scene_pos(self, index: int) -> QPointF:
        """The middle of bar ``index`` in scene coordinates (tests click there)."""
        bar = self.bars[index]
        half = max(bar.values) / 2
        point = QPointF(half, index) if self.horizontal else QPointF(index, half)
        mapped: QPointF = self.plot.getPlotItem().getViewBox().mapViewToScene(point)
        return mapped

    def _clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        bar = self.bar_at(event.scenePos())
        if bar is not None:
            self.barClicked.emit(bar.key)
