"""Start the window: Qt application, database opening with French errors, first-start offer."""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
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
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication
from sqlalchemy import URL

from allervers_desktop import APP_DISPLAY_NAME, APP_NAME, DESKTOP_FILE_NAME, ORGANIZATION_NAME
from allervers_desktop.db.database import (
    Database,
    DatabaseOpenError,
    inspect_file,
    open_database,
)
from allervers_desktop.db.engine import wait_briefly_on_this_thread
from allervers_desktop.db.location import Location, LocationError
from allervers_desktop.db.stamp import file_stamp
from allervers_desktop.logs import setup_logging, stop_logging
from allervers_desktop.paths import database_location, leftovers_anchor, log_dir
from allervers_desktop.resources import ICON_SIZES, icon_png
from allervers_desktop.ui.error_hook import exception_hook
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


def clean_leftovers_in_background() -> threading.Thread:
    """Remove what an interrupted write left in the folders written to (off the GUI thread:
    a folder may be on a slow network drive)."""
    from allervers_desktop.files import leftovers

    # Best effort: every removal already ignores what it cannot do.
    thread = threading.Thread(
        target=leftovers.clean_known_folders, name="allervers-nettoyage", daemon=True
    )
    thread.start()
    return thread


def run_gui(
    db_argument: str | None,
    argv: Sequence[str],
    prompts: Prompts | None = None,
    smoke_test: bool = False,
) -> int:
    started = time.perf_counter()
    prompts = prompts or Prompts()
    setup_logging(log_dir())
    try:
        return _run_gui(db_argument, argv, prompts, smoke_test, started)
    finally:
        stop_logging()


def _run_gui(
    db_argument: str | None,
    argv: Sequence[str],
    prompts: Prompts,
    smoke_test: bool,
    started: float,
) -> int:
    try:
        location = database_location(db_argument)
    except LocationError as exc:
        return refuse_at_start(exc.message, argv, prompts, smoke_test)
    if isinstance(location, Path):
        app, opened = open_file_at_start(location, argv, prompts, smoke_test)
    else:
        app, opened = open_server_at_start(location, argv, prompts, smoke_test)
    if opened is None:
        return 1
    database = opened
    return show_window(app, database, location, prompts, started, smoke_test)


def refuse_at_start(message: str, argv: Sequence[str], prompts: Prompts, smoke_test: bool) -> int:
    """A ``--db`` that cannot be used: said on the terminal and, unless testing, in a dialog."""
    print(f"allervers : erreur : {message}", file=sys.stderr)
    if not smoke_test:
        make_application(argv)
        prompts.error(None, "Base de données inutilisable", message)
    return 1


def open_file_at_start(
    path: Path, argv: Sequence[str], prompts: Prompts, smoke_test: bool
) -> tuple[QApplication, Database | None]:
    """The local file: checked (while Qt starts), migrated, or restored from a backup."""
    # Every check the command line runs (quick_check included) reads the file before anything
    # may write to it; it runs while Qt starts and the window's modules load.
    verified = QSettings(ORGANIZATION_NAME, APP_NAME)
    key, stamp = stamp_key(path), file_stamp(path)
    unchanged = key is not None and stamp is not None and verified.value(key) == stamp
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="allervers-controle") as pool:
        # quick_check is skipped only for a file exactly as this window last left it.
        checked = pool.submit(inspect_file, path, integrity=not unchanged)
        app = make_application(argv)
        import allervers_desktop.ui.main_window  # noqa: F401  (loads while the file is read)
    try:
        checked.result()
        return app, open_database(path, integrity=False)  # fully checked just above
    except DatabaseOpenError as exc:
        print(f"allervers : erreur : {exc.message}", file=sys.stderr)
        if smoke_test:  # which must never wait for someone to close a dialog
            return app, None
        return app, restore_at_start(path, exc, prompts)


def open_server_at_start(
    url: URL, argv: Sequence[str], prompts: Prompts, smoke_test: bool
) -> tuple[QApplication, Database | None]:
    """The team's server: connected (while Qt starts) and its schema version checked."""
    from allervers_desktop.db.server import open_server

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="allervers-connexion") as pool:
        connected = pool.submit(open_server, url)
        app = make_application(argv)
        import allervers_desktop.ui.main_window  # noqa: F401  (loads while connecting)
    try:
        return app, connected.result()
    except DatabaseOpenError as exc:
        print(f"allervers : erreur : {exc.message}", file=sys.stderr)
        if not smoke_test:
            prompts.error(None, "Serveur inaccessible", exc.message)
        return app, None


def show_window(
    app: QApplication,
    database: Database,
    location: Location,
    prompts: Prompts,
    started: float,
    smoke_test: bool,
) -> int:
    """The main window over the opened database, until it is closed."""
    from allervers_desktop.files import leftovers
    from allervers_desktop.ui.main_window import MainWindow

    first = True
    while True:
        leftovers.use_registry(leftovers_anchor(location))
        window = MainWindow(
            database,
            prompts=prompts,
            # A server is backed up by its administrator (pg_dump), not by each coordinator.
            automatic_backup=not (os.environ.get(BENCH_ENV) or smoke_test or database.on_server),
        )
        if first and os.environ.get(BENCH_ENV):
            window.current_tab().view.viewport().installEventFilter(_FirstPaintExit(app, started))
        if first and smoke_test:
            from allervers_desktop.ui.smoke import SmokeTest

            SmokeTest(app, window, window.show_tab, window.database.location)
        window.show()
        if first:
            gc.freeze()  # start-up objects live as long as the window: out of collections
            QTimer.singleShot(0, clean_leftovers_in_background)
        if database.backup_path is not None:
            window.statusBar().showMessage(
                f"Base mise à jour ; sauvegarde de l'ancienne version : {database.backup_path}",
                15000,
            )
        if not (os.environ.get(BENCH_ENV) or smoke_test):
            QTimer.singleShot(0, window.offer_demo_data)
            # « 2 rappels à envoyer » in the status bar, as soon as the event loop runs (like
            # the demo offer: a delayed read could outlive a window closed at once, and its
            # database).
            QTimer.singleShot(0, window.mail_menu.announce_due)
            # What a killed backup left in the backup folder, once the window is up.
            if isinstance(location, Path):
                QTimer.singleShot(CLEAN_UP_DELAY_MS, partial(clean_backup_leftovers, location))
        wait_briefly_on_this_thread()
        try:
            with exception_hook(prompts):
                code = app.exec()
        finally:
            wait_briefly_on_this_thread(False)
        following = window.next_database
        for widget in QApplication.topLevelWidgets():  # the old database's other windows
            widget.close()
        window.deleteLater()
        database.close()
        if isinstance(location, Path):
            remember_stamp(QSettings(ORGANIZATION_NAME, APP_NAME), location)
        if following is None or code != 0:
            return int(code)
        database, first = following, False
        location = following.file if following.file is not None else following.url


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
