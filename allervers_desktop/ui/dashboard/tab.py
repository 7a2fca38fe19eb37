"""The « Tableau de bord » tab: filters, figures, four charts each with its table.

The figures are computed off the GUI thread (``ui/tasks.py``, a session of the worker's own)
and painted when they arrive; a filter change recomputes after a short pause (debounced), and a
result that a newer filter has overtaken is dropped. A click on a département's or an
employer's bar sets that filter; a click on a group's bar opens the group.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.stats.compute import compute_stats
from allervers_desktop.stats.figures import Stats
from allervers_desktop.stats.filters import StatsFilter
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.dashboard import bars
from allervers_desktop.ui.dashboard.charts import ChartPanel
from allervers_desktop.ui.dashboard.filters_bar import Choices, FiltersBar, read_choices
from allervers_desktop.ui.dashboard.labels import FIGURE_LABELS, figure_lines
from allervers_desktop.ui.operations import failure_message
from allervers_desktop.ui.tasks import BackgroundTask, run_in_background

DEBOUNCE_MS = 300
TITLE = "Tableau de bord"
FIGURE_COLUMNS = 5
WIDE = 1300  # logical pixels: from there, two charts a line


class DashboardTab(QWidget):
    """Built the first time the tab is shown; ``load()`` (re)computes with the filters."""

    painted = Signal()  # a result was drawn (tests and the benchmark wait for it)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.stats: Stats | None = None
        self.task: BackgroundTask | None = None
        self._wanted: StatsFilter | None = None  # the filter of the latest request
        self._pending = False
        self.filters = FiltersBar(self)
        self.export_button = QPushButton("Exporter en PDF…", self)
        self.export_button.clicked.connect(self.export_pdf)
        self.reports_button = QToolButton(self)
        self.reports_button.setObjectName("reports")
        self.reports_button.setText("Bilans")
        self.reports_button.setToolTip("Avec les filtres du tableau de bord, en Excel ou en PDF")
        self.reports_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        reports = QMenu(self.reports_button)
        self.cofinancer_action = reports.addAction("Bilan pour le cofinanceur…")
        self.cofinancer_action.triggered.connect(lambda: self.save_report("cofinancer"))
        self.employers_action = reports.addAction("Récapitulatif par établissement…")
        self.employers_action.triggered.connect(lambda: self.save_report("employers"))
        self.reports_button.setMenu(reports)
        self.report_task: BackgroundTask | None = None
        self.message = QLabel("", self)
        self.figures: dict[str, QLabel] = {}
        figures_box = QFrame(self)
        figures_box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(figures_box)
        for index, label in enumerate(FIGURE_LABELS):
            caption = QLabel(label, figures_box)
            caption.setStyleSheet("color: #555;")
            value = QLabel("—", figures_box)
            value.setStyleSheet("font-size: 15pt; font-weight: bold;")
            value.setAccessibleName(label)
            self.figures[label] = value
            cell = QVBoxLayout()
            cell.setSpacing(0)
            cell.addWidget(caption)
            cell.addWidget(value)
            grid.addLayout(cell, index // FIGURE_COLUMNS, index % FIGURE_COLUMNS)
        self.groups_chart = ChartPanel(
            "Remplissage et présence par groupe",
            ["Remplissage", "Présence"],
            "Taux (%)",
            ["Groupe", "Remplissage", "Présence"],
            horizontal=False,
        )
        self.departements_chart = ChartPanel(
            "Stagiaires par département",
            ["Stagiaires"],
            "Stagiaires formés",
            ["Département", "Stagiaires", "Heures"],
            horizontal=True,
        )
        self.employers_chart = ChartPanel(
            "Stagiaires par établissement (10 premiers et autres)",
            ["Stagiaires"],
            "Stagiaires formés",
            ["Établissement", "Stagiaires", "Heures"],
            horizontal=True,
        )
        self.months_chart = ChartPanel(
            "Heures-stagiaires par mois",
            ["Heures-stagiaires"],
            "Heures-stagiaires",
            ["Mois", "Heures-stagiaires"],
            horizontal=False,
        )
        self.charts = [
            self.groups_chart,
            self.departements_chart,
            self.employers_chart,
            self.months_chart,
        ]
        for chart in self.charts:
            chart.setMinimumHeight(280)
        self.departements_chart.barClicked.connect(self._departement_clicked)
        self.employers_chart.barClicked.connect(self._employer_clicked)
        self.groups_chart.barClicked.connect(self._group_clicked)
        page = QWidget(self)
        self.charts_grid = QGridLayout()
        self._columns = 0
        self._place_charts(2)
        content = QVBoxLayout(page)
        content.addWidget(figures_box)
        content.addLayout(self.charts_grid, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.page = page
        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.reports_button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.load)
        self.filters.changed.connect(self.debounce.start)

    def _place_charts(self, columns: int) -> None:
        """Two charts a line on a wide window, one on a narrow one (each with its table)."""
        if columns == self._columns:
            return
        self._columns = columns
        for chart in self.charts:
            self.charts_grid.removeWidget(chart)
        for index, chart in enumerate(self.charts):
            self.charts_grid.addWidget(chart, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place_charts(2 if event.size().width() >= WIDE else 1)
        super().resizeEvent(event)

    # --- the window's tab protocol -----------------------------------------------------------
    def refresh_keeping_view(self) -> None:
        self.load()

    # --- computing ---------------------------------------------------------------------------
    def load(self) -> None:
        """Compute the figures for the filters on a worker thread (one at a time: a request
        made meanwhile runs when the current one ends)."""
        self.debounce.stop()
        if self.task is not None and self.task.running:
            self._pending = True
            return
        flt = self.filters.value()
        self._wanted = flt
        database = self.context.database

        def work(_progress: object) -> tuple[Stats, Choices]:
            with database.session() as session:
                return compute_stats(session, flt), read_choices(session)

        self.message.setText("Calcul en cours…")
        self.task = run_in_background(
            self, TITLE, "Calcul des chiffres…", work, self._arrived, self._failed
        )

    def _arrived(self, result: object) -> None:
        assert isinstance(result, tuple)
        stats: Stats = result[0]
        choices: Choices = result[1]
        if self._pending:
            self._pending = False
            self.load()
            return
        self.filters.set_choices(choices)
        self.show_stats(stats)

    def _failed(self, error: BaseException) -> None:
        self._pending = False
        message = failure_message(error)
        if message is None:
            raise error
        self.message.setText(message)

    def show_stats(self, stats: Stats) -> None:
        self.stats = stats
        self.message.setText(_filter_summary(stats.filter))
        for label, value in figure_lines(stats):
            self.figures[label].setText(value)
        groups = bars.group_bars(stats)
        date_ticks = [
            (i, label.rsplit("(", 1)[-1].rstrip(")")) for i, label in bars.sparse_ticks(groups)
        ]
        self.groups_chart.set_bars(groups, date_ticks)
        self.departements_chart.set_bars(bars.departement_bars(stats))
        self.employers_chart.set_bars(bars.employer_bars(stats))
        months = bars.month_bars(stats)
        self.months_chart.set_bars(months, bars.sparse_ticks(months, 12))
        self.painted.emit()

    # --- clicks on bars ----------------------------------------------------------------------
    def _departement_clicked(self, key: str) -> None:
        if key != "none":
            self.filters.set_departement(key)

    def _employer_clicked(self, key: str) -> None:
        if key.isdigit():
            self.filters.set_employer(int(key))

    def _group_clicked(self, key: str) -> None:
        if key.isdigit() and self.context.show_group is not None:
            self.context.show_group(int(key))

    def save_report(self, kind: str) -> None:
        """« cofinancer » or « employers », with the filters as they are set."""
        from allervers_desktop.ui.report_actions import save_report

        self.report_task = save_report(self.context, self, kind, self.filters.value())

    # --- export ------------------------------------------------------------------------------
    def export_pdf(self) -> None:
        from allervers_desktop.ui.dashboard.pdf import export_dashboard

        if self.stats is None:
            return
        name = self.context.prompts.save_file(
            self, "Exporter le tableau de bord", "tableau-de-bord.pdf", "PDF (*.pdf)"
        )
        if not name:
            return
        try:
            path = export_dashboard(self, name)
        except Exception as error:
            message = failure_message(error)
            if message is None:
                raise
            self.context.prompts.error(self, TITLE, message)
            return
        self.context.status(f"Tableau de bord exporté : {path}", 5000)


def _filter_summary(flt: StatsFilter) -> str:
    from allervers_desktop.formatting import short_date

    parts = []
    if flt.date_from:
        parts.append(f"du {short_date(flt.date_from)}")
    if flt.date_to:
        parts.append(f"au {short_date(flt.date_to)}")
    if flt.departement:
        parts.append(f"département {flt.departement}")
    if flt.city:
        parts.append(flt.city)
    return "Filtres : " + ", ".join(parts) if parts else "Tous les groupes, toutes les dates."
