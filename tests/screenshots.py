"""Write a PNG of each tab (with the example data) to a folder: ``make screenshots``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from allervers_desktop.db.database import open_database  # noqa: E402
from allervers_desktop.services.demo import load_demo  # noqa: E402
from allervers_desktop.ui.app import make_application  # noqa: E402
from allervers_desktop.ui.main_window import TAB_KEYS, MainWindow  # noqa: E402

# Extra screens registered by features: name -> function(window, folder) writing PNGs.
EXTRA_SHOTS: list[str] = []


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def take_screenshots(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    app = make_application([sys.argv[0]])
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        database = open_database(Path(tmp) / "allervers.sqlite3")
        with database.transaction() as session:
            load_demo(session)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(database, settings=settings)
        window.resize(1400, 820)
        window.show()
        settle(app)
        for key in TAB_KEYS:
            tab = window.show_tab(key)
            settle(app)
            tab.view.selectRow(0)
            settle(app)
            path = folder / f"tab-{key}.png"
            window.grab().save(str(path))
            written.append(path)
        window.close()
        database.close()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    for written_path in take_screenshots(target):
        print(written_path)
