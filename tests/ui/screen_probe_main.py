"""Run in a subprocess on a virtual screen: open the main window and the « Feuille de présence »
of a two-day group on the example data, print what fits as JSON.

``python -m tests.ui.screen_probe_main`` with ``QT_QPA_PLATFORM=offscreen:configfile=…`` (the
screen's size) and ``QT_SCALE_FACTOR`` set by the caller (Qt reads both at start-up)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from allervers_desktop.db.database import open_database
from allervers_desktop.services.demo import load_demo
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tabs.registry import TAB_KEYS

HORIZONTAL = Qt.Orientation.Horizontal
GROUP_1 = 1  # Groupe 1 – Strasbourg: two days, four half-days


def rect(value: QRect) -> list[int]:
    return [value.x(), value.y(), value.width(), value.height()]


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def visible_in(widget: QWidget, window: QWidget) -> bool:
    """The widget is shown and entirely inside the window's client area."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(QRect(top_left, widget.size()))


def save_large(folder: Path, settings_path: Path) -> dict[str, Any]:
    """Leave the window large (as on a 1920 px screen) and save its state."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    database = open_database(folder / "probe.sqlite3")
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    window = MainWindow(database, settings=settings)
    window.show()
    window.showNormal()
    window.setGeometry(10, 10, 1880, 1020)
    settle(app)
    report = {"frame": rect(window.frameGeometry()), "maximized": window.isMaximized()}
    window.close()  # saves the state
    database.close()
    return report


def probe(folder: Path, settings_path: Path | None = None) -> dict[str, Any]:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    database = open_database(folder / "probe.sqlite3")
    with database.transaction() as session:
        load_demo(session)
    settings = QSettings(
        str(settings_path or folder / "settings.ini"), QSettings.Format.IniFormat
    )
    window = MainWindow(database, settings=settings)
    window.show()
    settle(app)
    available = window.screen().availableGeometry()
    report: dict[str, Any] = {
        "available": rect(available),
        "scale": window.devicePixelRatio(),
        "maximized": window.isMaximized(),
        "tabs": {},
    }
    for key in TAB_KEYS:
        window.show_tab(key)
        settle(app)
        report["tabs"][key] = {
            "frame": rect(window.frameGeometry()),
            "fits": available.contains(window.frameGeometry()),
            "status_bar": visible_in(window.statusBar(), window),
            "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        }
    groups = window.groups_tab
    window.show_tab("groups")
    groups.select_id(GROUP_1)
    settle(app)
    session_view = groups.open_session_view()
    assert session_view is not None
    settle(app)
    grid = session_view.panel.view
    viewport = grid.viewport().rect()
    names_right = grid.columnWidth(0)
    columns = []
    for column in grid.half_day_columns():
        left = grid.columnViewportPosition(column)
        right = left + grid.columnWidth(column)
        columns.append(
            {
                "header": str(grid.model().headerData(column, HORIZONTAL)).split("\n")[0],
                "left": left,
                "right": right,
                "visible": not grid.isColumnHidden(column)
                and left >= names_right
                and right <= viewport.width(),
            }
        )
    report["session"] = {
        "frame": rect(session_view.frameGeometry()),
        "fits": available.contains(session_view.frameGeometry()),
        "viewport_width": viewport.width(),
        "names_width": names_right,
        "names_visible": grid.names.isVisible() and grid.names.width() > 0,
        "employer_hidden": grid.isColumnHidden(1),
        "half_days": columns,
    }
    session_view.close()
    window.close()
    database.close()
    return report


if __name__ == "__main__":
    # [--save-large SETTINGS | --settings SETTINGS]: leave a large window saved, or start from
    # the settings a previous run saved; nothing: a first start.
    arguments = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        if arguments[:1] == ["--save-large"]:
            print(json.dumps(save_large(Path(tmp), Path(arguments[1]))))
        else:
            settings_file = Path(arguments[1]) if arguments[:1] == ["--settings"] else None
            print(json.dumps(probe(Path(tmp), settings_file)))
