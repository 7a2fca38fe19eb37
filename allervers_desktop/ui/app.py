"""Start the window: Qt application, database opening with French errors, first-start offer."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication

from allervers_desktop import APP_DISPLAY_NAME, APP_NAME, DESKTOP_FILE_NAME, ORGANIZATION_NAME
from allervers_desktop.db.database import DatabaseOpenError, check_integrity, open_database
from allervers_desktop.db.engine import wait_briefly_on_this_thread
from allervers_desktop.paths import database_path
from allervers_desktop.resources import ICON_SIZES, icon_png
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import QuietTask

if TYPE_CHECKING:
    from allervers_desktop.ui.main_window import MainWindow

BENCH_ENV = "ALLERVERS_BENCH_EXIT_AFTER_PAINT"
INTEGRITY_CHECK_DELAY_MS = 300


class _FirstPaintExit(QObject):
    """Benchmark hook: quit right after the table's first paint with rows."""

    def __init__(self, app: QApplication, started: float) -> None:
        super().__init__(app)
        self.app = app
        self.started = started

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(f"painted_after_s={time.perf_counter() - self.started:.4f}", flush=True)
        self.app.quit()


def make_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setOrganizationName(ORGANIZATION_NAME)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
    QApplication.setDesktopFileName(DESKTOP_FILE_NAME)  # Wayland finds the icon through it
    app = QApplication(list(argv))
    app.setStyle("Fusion")
    app.setWindowIcon(application_icon())
    use_french_locale()
    install_french_translation(app)
    return app


def application_icon() -> QIcon:
    """The icon of every window, from the PNG sizes shipped as package data."""
    icon = QIcon()
    for size in ICON_SIZES:
        image = QImage.fromData(icon_png(size).read_bytes())
        if not image.isNull():
            icon.addPixmap(QPixmap.fromImage(image))
    return icon


FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)


def use_french_locale() -> None:
    """Dates (« lun. 25/09/2023 »), decimals (« 10,5 ») and times in French in every widget."""
    QLocale.setDefault(FRENCH)


def install_french_translation(app: QApplication) -> None:
    """Qt's own dialogs (print, preview, file, colour…) in French, from the files PySide6 ships."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(FRENCH, "qtbase", "_", folder):
        app.installTranslator(translator)


def check_integrity_in_background(window: MainWindow) -> QuietTask:
    """Run PRAGMA quick_check off the GUI thread; a damaged file closes the window unwritten."""
    database = window.database

    def damaged(error: BaseException) -> None:
        message = error.message if isinstance(error, DatabaseOpenError) else str(error)
        window.prompts.error(window, "Base de données endommagée", message)
        window.close()

    task = QuietTask(window, lambda: check_integrity(database.path), lambda _r: None, damaged)
    task.start()
    return task


def clean_leftovers_in_background(window: QObject) -> QuietTask:
    """Remove what an interrupted write left in the folders written to (off the GUI thread:
    a folder may be on a slow network drive)."""
    from allervers_desktop.files import leftovers

    # Best effort: every removal already ignores what it cannot do.
    task = QuietTask(window, leftovers.clean_known_folders, lambda _r: None, lambda _e: None)
    task.start()
    return task


def run_gui(
    db_argument: str | None,
    argv: Sequence[str],
    prompts: Prompts | None = None,
    smoke_test: bool = False,
) -> int:
    started = time.perf_counter()
    app = make_application(argv)
    prompts = prompts or Prompts()
    path = database_path(db_argument)
    try:
        # quick_check runs in the background once the window is up (see below).
        database = open_database(path, integrity=False)
    except DatabaseOpenError as exc:
        if not smoke_test:  # which must never wait for someone to close a dialog
            prompts.error(None, "Base de données inutilisable", exc.message)
        print(f"allervers : erreur : {exc.message}", file=sys.stderr)
        return 1
    from allervers_desktop.files import leftovers
    from allervers_desktop.ui.main_window import MainWindow

    leftovers.use_registry(path)
    window = MainWindow(database, prompts=prompts)
    if os.environ.get(BENCH_ENV):
        window.current_tab().view.viewport().installEventFilter(_FirstPaintExit(app, started))
    if smoke_test:
        from allervers_desktop.ui.smoke import SmokeTest

        SmokeTest(app, window)
    window.show()
    gc.freeze()  # start-up objects live as long as the window: keep them out of collections
    # After the first paint and the first rows, not competing with them for the disk.
    QTimer.singleShot(INTEGRITY_CHECK_DELAY_MS, lambda: check_integrity_in_background(window))
    QTimer.singleShot(0, lambda: clean_leftovers_in_background(window))
    if database.backup_path is not None:
        window.statusBar().showMessage(
            f"Base mise à jour ; sauvegarde de l'ancienne version : {database.backup_path}", 15000
        )
    if not (os.environ.get(BENCH_ENV) or smoke_test):
        QTimer.singleShot(0, window.offer_demo_data)
    wait_briefly_on_this_thread()
    try:
        code = app.exec()
    finally:
        wait_briefly_on_this_thread(False)
    database.close()
    return int(code)
