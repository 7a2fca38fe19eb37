"""Fichier › « Se connecter à un serveur… » and « Ouvrir un fichier… »: another database in
place of the open one (the window closes as usual, then reopens on the new one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from allervers_desktop.db.database import Database, DatabaseOpenError
from allervers_desktop.ui.tasks import ProgressCallback, run_in_background

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

OPEN_TITLE = "Ouvrir un fichier"


def connect_to_server(app: AppContext) -> None:
    from allervers_desktop.ui.server_dialog import ServerDialog

    dialog = ServerDialog(app.settings, app.window)
    if app.prompts.run_dialog(dialog) and dialog.database is not None:
        app.switch_to(dialog.database)


def open_other_file(app: AppContext) -> None:
    """A local file chosen by the user: checked, backed up and migrated off the GUI thread."""
    from allervers_desktop.ui.backup_actions import SQLITE_FILTER

    chosen = app.prompts.open_file(app.window, OPEN_TITLE, SQLITE_FILTER)
    if not chosen:
        return
    path = Path(chosen)

    def work(progress: ProgressCallback) -> Database:
        from allervers_desktop.db.database import open_database

        progress(0, 1)
        return open_database(path)

    def failed(error: BaseException) -> None:
        if not isinstance(error, DatabaseOpenError):
            raise error  # a bug: the last-resort handler shows and logs it
        app.prompts.error(app.window, OPEN_TITLE, error.message)

    run_in_background(
        app.window, OPEN_TITLE, f"Ouverture de « {path.name} »…", work, app.switch_to, failed
    )
