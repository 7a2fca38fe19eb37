"""Fichier › Sauvegarder maintenant, Restaurer une sauvegarde…, Enregistrer une copie…, and the
automatic backup when the window closes; the copying runs off the GUI thread with progress.

Only the database, the prompts, the status bar and two callbacks are needed (``BackupContext``).
Restoring: the chosen file is checked, the current file backed up and the chosen one copied
beside it in the background; then, on the GUI thread so that nothing else touches the database
meanwhile, every connection is closed, the file replaced and the database reopened (migrated
if the backup is older).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QStatusBar, QWidget

from allervers_desktop.db.database import Database, DatabaseOpenError, open_database
from allervers_desktop.services import backups
from allervers_desktop.services import restore as restore_service
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_in_background

SQLITE_FILTER = "Base allervers (*.sqlite3 *.sqlite *.db);;Tous les fichiers (*)"
BACKUP_TITLE = "Sauvegarde"
RESTORE_TITLE = "Restaurer une sauvegarde"
COPY_TITLE = "Enregistrer une copie"
CLOSE_TITLE = "Sauvegarde automatique"
_log = logging.getLogger(__name__)


@dataclass
class BackupContext:
    """What the backup actions need from the window."""

    parent: QWidget
    database: Database
    prompts: Prompts
    status: QStatusBar
    reloaded: Callable[[], None]  # after a restore: every view reads the database again


def failure_text(error: BaseException) -> str:
    if isinstance(error, ServiceError | DatabaseOpenError):
        return error.message
    return f"Erreur inattendue ({error.__class__.__name__}) ; la base n'a pas été modifiée."


def _ignore(_value: object) -> None:
    return None


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _folder(context: BackupContext) -> Path:
    with context.database.session() as session:
        return backups.backup_dir(session)


def _report_failure(context: BackupContext, title: str, error: BaseException) -> None:
    if not isinstance(error, ServiceError | DatabaseOpenError):
        _log.error("%s", title, exc_info=error)
    context.status.clearMessage()
    context.prompts.error(context.parent, title, failure_text(error))


def backup_now(context: BackupContext) -> BackgroundTask:
    """« Sauvegarder maintenant »: a verified copy in the backup folder."""
    path, folder = context.database.path, _folder(context)

    def work(progress: ProgressCallback) -> backups.BackupResult:
        return backups.make_backup(path, folder, manual=True, progress=progress)

    def done(result: backups.BackupResult) -> None:
        context.status.showMessage(result.describe(), 10000)
        context.prompts.inform(context.parent, BACKUP_TITLE, result.describe())

    def cancelled() -> None:
        context.status.showMessage("Sauvegarde annulée : aucun fichier n'a été écrit.", 10000)

    return run_in_background(
        context.parent,
        BACKUP_TITLE,
        f"Sauvegarde dans « {folder} »…",
        work,
        done,
        lambda error: _report_failure(context, BACKUP_TITLE, error),
        cancelled,
    )


def save_copy(context: BackupContext) -> BackgroundTask | None:
    """« Enregistrer une copie… »: a verified copy wherever the user wants, never rotated."""
    path = context.database.path
    stamp = dt.datetime.now().strftime("%Y-%m-%d")
    chosen = context.prompts.save_file(
        context.parent, COPY_TITLE, f"{path.stem}-copie-{stamp}{path.suffix}", SQLITE_FILTER
    )
    if not chosen:
        return None
    target = Path(chosen)

    def work(progress: ProgressCallback) -> Path:
        return backups.save_copy(path, target, progress)

    def done(copy: Path) -> None:
        message = f"Copie de la base enregistrée : « {copy} »."
        context.status.showMessage(message, 10000)
        context.prompts.inform(context.parent, COPY_TITLE, message)

    return run_in_background(
        context.parent,
        COPY_TITLE,
        f"Écriture de « {target.name} »…",
        work,
        done,
        lambda error: _report_failure(context, COPY_TITLE, error),
        lambda: context.status.showMessage("Copie annulée : aucun fichier n'a été écrit.", 10000),
    )


def restore(context: BackupContext) -> BackgroundTask | None:
    """« Restaurer une sauvegarde… »: check, keep the current file, replace, reopen."""
    chosen_text = context.prompts.open_file(context.parent, RESTORE_TITLE, SQLITE_FILTER)
    if not chosen_text:
        return None
    chosen = Path(chosen_text)
    path, folder = context.database.path, _folder(context)
    if not context.prompts.confirm(
        context.parent,
        RESTORE_TITLE,
        f"Remplacer la base actuelle par « {chosen.name} » ?",
        f"La base actuelle sera d'abord sauvegardée dans « {folder} ».",
    ):
        return None

    def work(progress: ProgressCallback) -> restore_service.PreparedRestore:
        return restore_service.prepare_restore(chosen, path, folder, progress=progress)

    def prepared(ready: restore_service.PreparedRestore) -> None:
        context.database.engine.dispose()  # no connection may stay open on the old file
        try:
            result = restore_service.finish_restore(ready)
        except ServiceError as exc:
            _report_failure(context, RESTORE_TITLE, exc)
            return
        message = result.describe()
        try:
            reopened = open_database(path)  # an older backup is migrated (copied first)
        except DatabaseOpenError as exc:
            message += f" Mais elle ne peut pas être ouverte : {exc.message}"
        else:
            reopened.close()
            if reopened.backup_path is not None:
                message += " Elle a été mise à jour pour cette version d'allervers."
        context.reloaded()
        context.status.showMessage(message, 15000)
        context.prompts.inform(context.parent, RESTORE_TITLE, message)

    def cancelled() -> None:
        context.status.showMessage("Restauration annulée : la base n'a pas été modifiée.", 10000)

    return run_in_background(
        context.parent,
        RESTORE_TITLE,
        f"Préparation de « {chosen.name} »…",
        work,
        prepared,
        lambda error: _report_failure(context, RESTORE_TITLE, error),
        cancelled,
    )


def backup_on_close(context: BackupContext, then: Callable[[], object]) -> BackgroundTask | None:
    """The automatic backup (at most one a day) before the window closes; None when not due.

    ``then`` runs whatever happens (done, failed, cancelled): closing is never blocked, and a
    failure only says what went wrong (the database itself is untouched).
    """
    path = context.database.path
    try:
        folder = _folder(context)
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    except Exception:  # the folder cannot be read: the backup below says why
        folder, names = backups.folder_of(path), []
    if not backups.automatic_backup_due(path, names, dt.date.today()):
        return None

    def work(progress: ProgressCallback) -> backups.BackupResult | None:
        return backups.backup_if_due(path, folder, progress=progress)

    def failed(error: BaseException) -> None:
        if not isinstance(error, ServiceError | DatabaseOpenError):
            _log.error("Sauvegarde automatique", exc_info=error)
        context.prompts.error(
            context.parent,
            CLOSE_TITLE,
            f"La sauvegarde automatique n'a pas pu être faite : {lower_first(failure_text(error))} "
            f"Vos données sont intactes dans « {path} ».",
        )
        then()

    return run_in_background(
        context.parent,
        CLOSE_TITLE,
        "Sauvegarde automatique avant de fermer…",
        work,
        lambda _result: _ignore(then()),
        failed,
        lambda: _ignore(then()),
    )
