"""Start the window: Qt application, database opening with French errors, first-start offer."""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication

from allervers_desktop import APP_DISPLAY_NAME, APP_NAME, ORGANIZATION_NAME, __version__
from allervers_desktop.db.database import (
    Database,
    DatabaseOpenError,
    inspect_file,
    open_database,
)
from allervers_desktop.db.stamp import file_stamp
from allervers_desktop.paths import database_path
from allervers_desktop.ui.prompts import Prompts

BENCH_ENV = "ALLERVERS_BENCH_EXIT_AFTER_PAINT"
CLEAN_UP_DELAY_MS = 1000


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
    QApplication.setApplicationVersion(__version__)
    app = QApplication(list(argv))
    app.setStyle("Fusion")
    use_french_locale()
    install_french_translation(app)
    return app


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


def run_gui(db_argument: str | None, argv: Sequence[str], prompts: Prompts | None = None) -> int:
    started = time.perf_counter()
    path = database_path(db_argument)
    # Every check the command line runs (quick_check included) reads the file before anything
    # may write to it; it runs while Qt starts and the window's modules load.
    verified = QSettings(ORGANIZATION_NAME, APP_NAME)
    key, stamp = stamp_key(path), file_stamp(path)
    unchanged = key is not None and stamp is not None and verified.value(key) == stamp
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="allervers-controle") as pool:
        # quick_check is skipped only for a file exactly as this window last left it.
        checked = pool.submit(inspect_file, path, integrity=not unchanged)
        app = make_application(argv)
        from allervers_desktop.ui.main_window import MainWindow
    prompts = prompts or Prompts()
    try:
        checked.result()
        database = open_database(path, integrity=False)  # fully checked just above
    except DatabaseOpenError as exc:
        print(f"allervers : erreur : {exc.message}", file=sys.stderr)
        restored = restore_at_start(path, exc, prompts)
        if restored is None:
            return 1
        database = restored
    window = MainWindow(database, prompts=prompts, automatic_backup=not os.environ.get(BENCH_ENV))
    if os.environ.get(BENCH_ENV):
        window.current_tab().view.viewport().installEventFilter(_FirstPaintExit(app, started))
    window.show()
    gc.freeze()  # start-up objects live as long as the window: keep them out of collections
    if database.backup_path is not None:
        window.statusBar().showMessage(
            f"Base mise à jour ; sauvegarde de l'ancienne version : {database.backup_path}", 15000
        )
    if not os.environ.get(BENCH_ENV):
        QTimer.singleShot(0, window.offer_demo_data)
        # What a killed backup left in the backup folder, once the window is up.
        QTimer.singleShot(CLEAN_UP_DELAY_MS, lambda: clean_backup_leftovers(path))
    code = app.exec()
    database.close()
    remember_stamp(verified, path)
    return int(code)


RESTORE_CHOICE, CLOSE_CHOICE = "Restaurer une sauvegarde…", "Fermer"


def restore_at_start(path: Path, error: DatabaseOpenError, prompts: Prompts) -> Database | None:
    """A refused file: say why; a damaged one may be replaced by a backup there and then.

    Returns the database opened after a restore, None when the window must not open.
    """
    title = "Base de données inutilisable"
    if error.kind != "damaged":
        prompts.error(None, title, error.message)
        return None
    if prompts.choose(None, title, error.message, [RESTORE_CHOICE, CLOSE_CHOICE]) != RESTORE_CHOICE:
        return None
    from allervers_desktop.services import backups
    from allervers_desktop.services import restore as restore_service
    from allervers_desktop.services.errors import ServiceError
    from allervers_desktop.ui.backup_actions import SQLITE_FILTER

    chosen = prompts.open_file(None, RESTORE_CHOICE, SQLITE_FILTER)
    if not chosen:
        return None
    try:
        prepared = restore_service.prepare_restore(Path(chosen), path, backups.folder_of(path))
        result = restore_service.finish_restore(prepared)
        database = open_database(path)
    except (ServiceError, DatabaseOpenError) as exc:
        prompts.error(None, title, exc.message)
        return None
    prompts.inform(None, RESTORE_CHOICE, result.describe())
    return database


def clean_backup_leftovers(path: Path) -> None:
    from allervers_desktop.services.backups import clean_leftovers

    clean_leftovers(path)


def stamp_key(path: Path) -> str | None:
    try:
        resolved = str(path.resolve())
    except OSError:
        return None
    return "verified/" + hashlib.sha1(resolved.encode()).hexdigest()


def remember_stamp(settings: QSettings, path: Path) -> None:
    """After a clean close: the file as this window left it (see ``db/stamp.py``)."""
    key, stamp = stamp_key(path), file_stamp(path)
    if key is None:
        return
    if stamp is None:
        settings.remove(key)
    else:
        settings.setValue(key, stamp)
    settings.sync()
