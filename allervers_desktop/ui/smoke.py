"""``allervers --smoke-test``: open the real window, show each tab once, report and quit."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from allervers_desktop.ui.tabs.registry import TAB_KEYS, TAB_TITLES

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QMainWindow

    from allervers_desktop.ui.tabs.record_tab import RecordTab


class SmokeTest(QObject):
    """After the window's first paint: every tab shown and painted, rows counted, then quit.

    Checks what a packaged application most often lacks: the platform plugin (the window must
    really paint), the lazily imported tab modules, the icon and the database's rows. Exits 0
    when all is there, 1 with a French message on stderr otherwise."""

    def __init__(
        self,
        app: QApplication,
        window: QMainWindow,
        show_tab: Callable[[str], RecordTab],
        location: str,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.window = window
        self.show_tab = show_tab
        self.location = location
        self.started = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.started:
            self.started = True
            QTimer.singleShot(0, self._tour)
        return False

    def _tour(self) -> None:
        try:
            counts = []
            for key, title in zip(TAB_KEYS, TAB_TITLES, strict=True):
                tab = self.show_tab(key)
                tab.view.viewport().repaint()
                self.app.processEvents()
                counts.append(f"{title} {tab.model.rowCount()}")
            if self.app.windowIcon().isNull():
                raise RuntimeError("l'icône de l'application est introuvable")
        except Exception as exc:  # reported, and the exit code says it
            print(f"allervers : vérification échouée : {exc}", file=sys.stderr, flush=True)
            self.app.exit(1)
            return
        print(
            f"Fenêtre ouverte (plateforme {QGuiApplication.platformName()}) : "
            f"{', '.join(counts)} ; base {self.location}",
            flush=True,
        )
        self.app.exit(0)
