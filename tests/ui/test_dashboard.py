"""« Tableau de bord » through the real window on the example data (both databases)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication

from allervers_desktop.clock import FixedClock
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer
from allervers_desktop.services import attendance
from allervers_desktop.stats.compute import compute_stats
from allervers_desktop.stats.filters import StatsFilter
from allervers_desktop.ui.dashboard.charts import ChartPanel
from allervers_desktop.ui.dashboard.labels import figure_lines
from allervers_desktop.ui.dashboard.tab import DashboardTab
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts

GROUP_1 = 1  # Groupe 1 – Strasbourg


@pytest.fixture
def recorded(demo_database: Database) -> Database:
    """The first day of group 1 taken: everyone present but one absence; two employers
    with a postal address (their département: 67, 68)."""
    with demo_database.transaction() as session:
        session.get_one(Employer, 1).address = "3 quai des Bateliers, 67000 Strasbourg"
        session.get_one(Employer, 2).address = "1 rue Saint-Éloi, 68000 Colmar"
    demo_database.clock = FixedClock(dt.datetime(2023, 9, 26, 10, 0))
    with demo_database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        first_day = [column.half_day_id for column in grid.columns[:2]]
        attendance.mark_all(session, GROUP_1, half_day_ids=first_day)
        attendance.set_cell(session, grid.rows[1].enrollment_id, first_day[1], "absent")
    return demo_database


@pytest.fixture
def dashboard(qtbot: Any, recorded: Database, window: MainWindow) -> DashboardTab:
    tab = window.show_dashboard()
    qtbot.waitUntil(lambda: tab.stats is not None, timeout=10000)
    return tab


def shown_figures(tab: DashboardTab) -> list[tuple[str, str]]:
    return [(label, value.text()) for label, value in tab.figures.items()]


def expected(database: Database, flt: StatsFilter | None = None) -> Any:
    with database.session() as session:
        return compute_stats(session, flt or StatsFilter())


def click_bar(qtbot: Any, chart: ChartPanel, index: int) -> None:
    """A real click on the middle of a bar: scene → view (widget) coordinates."""
    point = chart.plot.mapFromScene(chart.bar_scene_pos(index))
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_figures_match_the_statistics(recorded: Database, dashboard: DashboardTab) -> None:
    stats = expected(recorded)
    assert stats.participants_trained > 0
    assert shown_figures(dashboard) == figure_lines(stats)
    values = dict(shown_figures(dashboard))
    assert values["Stagiaires formés"] == str(stats.participants_trained)
    assert values["Heures-stagiaires"].endswith(" h") or " h " in values["Heures-stagiaires"]
    assert values["Taux de présence"].endswith("%")


def test_a_typed_period_changes_the_figures(
    qtbot: Any, recorded: Database, dashboard: DashboardTab
) -> None:
    before = dict(shown_figures(dashboard))
    assert before["Stagiaires formés"] != "0"
    qtbot.keyClicks(dashboard.filters.date_from.edit, "01102023")
    qtbot.keyClick(dashboard.filters.date_from.edit, Qt.Key.Key_Return)
    assert dashboard.filters.date_from.text() == "01/10/2023"
    qtbot.waitUntil(
        lambda: (
            dashboard.stats is not None and dashboard.stats.filter.date_from == dt.date(2023, 10, 1)
        ),
        timeout=10000,
    )
    after = dict(shown_figures(dashboard))
    assert after == dict(
        figure_lines(expected(recorded, StatsFilter(date_from=dt.date(2023, 10, 1))))
    )
    assert after["Stagiaires formés"] == "0"


def test_the_table_beside_a_chart_has_its_values(
    recorded: Database, dashboard: DashboardTab
) -> None:
    stats = expected(recorded)
    chart = dashboard.departements_chart
    lines = [line for line in stats.by_departement if line.participants]
    assert [bar.values[0] for bar in chart.bars] == [line.participants for line in lines]
    model = chart.model
    assert model.rowCount() == len(lines)
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == [
        line.label for line in lines
    ]
    assert [model.index(row, 1).data() for row in range(model.rowCount())] == [
        str(line.participants) for line in lines
    ]


def test_ctrl_c_copies_the_selected_cells(qtbot: Any, dashboard: DashboardTab) -> None:
    table = dashboard.months_chart.table
    table.selectAll()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    rows = dashboard.months_chart.model.rows
    assert rows
    assert QApplication.clipboard().text() == "\n".join("\t".join(row) for row in rows)


def test_clicking_a_departement_bar_sets_the_filter(
    qtbot: Any, recorded: Database, dashboard: DashboardTab
) -> None:
    chart = dashboard.departements_chart
    target = next(i for i, bar in enumerate(chart.bars) if bar.key not in ("none", ""))
    key = chart.bars[target].key
    click_bar(qtbot, chart, target)
    assert dashboard.filters.departement.text() == key
    qtbot.waitUntil(
        lambda: dashboard.stats is not None and dashboard.stats.filter.departement == key,
        timeout=10000,
    )
    assert shown_figures(dashboard) == figure_lines(
        expected(recorded, StatsFilter(departement=key))
    )


def test_clicking_an_employer_bar_sets_the_filter(qtbot: Any, dashboard: DashboardTab) -> None:
    chart = dashboard.employers_chart
    key = chart.bars[0].key
    click_bar(qtbot, chart, 0)
    assert dashboard.filters.employer.currentData() == int(key)


def test_clicking_a_group_bar_opens_the_group(
    qtbot: Any, window: MainWindow, dashboard: DashboardTab
) -> None:
    chart = dashboard.groups_chart
    index = next(i for i, bar in enumerate(chart.bars) if bar.key == str(GROUP_1))
    click_bar(qtbot, chart, index)
    assert window.tab_widget.currentIndex() == 1
    qtbot.waitUntil(lambda: window.groups_tab.current_id() == GROUP_1, timeout=5000)


def test_pdf_export_reads_back(
    tmp_path: Path, prompts: ScriptedPrompts, dashboard: DashboardTab
) -> None:
    target = tmp_path / "tableau"
    prompts.files = [str(target)]
    dashboard.export_button.click()
    written = tmp_path / "tableau.pdf"
    reader = PdfReader(written)
    assert len(reader.pages) == 3
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Tableau de bord" in first
    assert "Stagiaires formés" in first
    charts = " ".join(reader.pages[1].extract_text().split())
    assert "Remplissage et présence par groupe" in charts
    assert "25/09/2023" in charts  # the axis' ticks: text drawn as vectors, not an image
    assert not list(tmp_path.glob("*.tmp*"))


LAZY_PROBE = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings
from allervers_desktop.db.database import open_database
from allervers_desktop.ui.app import make_application
from allervers_desktop.ui.main_window import MainWindow
app = make_application([])
folder = Path(sys.argv[1])
database = open_database(folder / "lazy.sqlite3")
window = MainWindow(database, settings=QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
window.show()
app.processEvents()
print("pyqtgraph" in sys.modules)
window.show_dashboard()
print("pyqtgraph" in sys.modules)
window.close()
database.close()
"""


def test_start_up_does_not_import_pyqtgraph(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LAZY_PROBE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_chart_tables_pass_the_item_model_tester(dashboard: DashboardTab) -> None:
    for chart in dashboard.charts:
        QAbstractItemModelTester(chart.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
        assert chart.model.rowCount() == len(chart.bars)


def test_a_write_elsewhere_in_the_window_reloads_the_dashboard(
    qtbot: Any, recorded: Database, window: MainWindow, dashboard: DashboardTab
) -> None:
    """An attendance written through the window's operations (as the Groupes tab does) while
    the dashboard is shown: its figures are computed again (TAB_TABLES)."""
    before = dict(shown_figures(dashboard))["Absences"]
    assert before == "1"

    def mark_absent(session: Any) -> None:
        grid = attendance.attendance_grid(session, GROUP_1)
        first = grid.columns[0].half_day_id
        attendance.set_cell(session, grid.rows[2].enrollment_id, first, "absent")

    assert window.operations.write(window, "Présences", mark_absent) is not None
    qtbot.waitUntil(lambda: dict(shown_figures(dashboard))["Absences"] == "2", timeout=10000)
    assert shown_figures(dashboard) == figure_lines(expected(recorded))


def test_reports_written_with_the_dashboards_filters(
    qtbot: Any, dashboard: DashboardTab, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    """« Bilans › Bilan pour le cofinanceur… » as a workbook, then the employers' recap as a
    PDF, for the employer chosen in the dashboard's filters; both read back."""
    from openpyxl import load_workbook

    workbook = tmp_path / "bilan.xlsx"
    prompts.files.append(str(workbook))
    prompts.choice_answers.append("Fermer")
    dashboard.cofinancer_action.trigger()
    qtbot.waitUntil(lambda: workbook.exists() and prompts.result_titles != [], timeout=30000)
    assert prompts.result_titles[-1] == "Bilan pour le cofinanceur"
    sheets = load_workbook(workbook).worksheets
    assert len(sheets) > 1 and any(sheet._charts for sheet in sheets)
    employer_index = dashboard.filters.employer.findData(1)
    dashboard.filters.employer.setCurrentIndex(employer_index)
    name = dashboard.filters.employer.currentText()
    recap = tmp_path / "recap.pdf"
    prompts.files.append(str(recap))
    prompts.choice_answers.append("Fermer")
    dashboard.employers_action.trigger()
    qtbot.waitUntil(lambda: recap.exists() and len(prompts.result_titles) == 2, timeout=30000)
    text = " ".join(page.extract_text() for page in PdfReader(recap).pages)
    assert name.split(" (")[0][:20] in " ".join(text.split())
    with dashboard.context.database.session() as session:
        other = session.get_one(Employer, 2).name
    assert other not in text  # only the chosen employer


def test_dashboard_has_no_record_actions(window: MainWindow) -> None:
    window.show_dashboard()
    assert not window.new_action.isEnabled() and not window.delete_action.isEnabled()
    window.show_tab("groups")
    assert window.new_action.isEnabled()
