"""Start-up baseline: PySide6 and SQLAlchemy's ORM, the same file opened, an empty window painted.

Run as ``python bench/baseline_window.py FILE``: prints ``painted_after_s=...`` and exits right
after the window's first paint, like ``main.py`` with ALLERVERS_BENCH_EXIT_AFTER_PAINT=1.
"""

from __future__ import annotations

import sys
import time

STARTED = time.perf_counter()

import sqlalchemy.orm  # noqa: E402, F401  (the ORM import is part of what the baseline costs)
from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402
from sqlalchemy import URL, create_engine, text  # noqa: E402


class _FirstPaintExit(QObject):
    """Quit right after the first paint (the same hook as the application's)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(f"painted_after_s={time.perf_counter() - STARTED:.4f}", flush=True)
        self.app.quit()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage : baseline_window.py FICHIER", file=sys.stderr)
        return 2
    app = QApplication(argv[:1])
    app.setStyle("Fusion")
    engine = create_engine(URL.create("sqlite+pysqlite", database=argv[1]))
    with engine.connect() as connection:
        connection.execute(text("SELECT id FROM participants LIMIT 1")).all()
    window = QMainWindow()
    window.setWindowTitle("Référence")
    window.resize(1280, 780)
    window.installEventFilter(_FirstPaintExit(app))
    window.show()
    code = app.exec()
    engine.dispose()
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
