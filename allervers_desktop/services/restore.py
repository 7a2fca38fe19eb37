"""Restaurer une sauvegarde: check the chosen file, keep the current one, then replace it.

``prepare_restore`` does the long part (checks and copies, off the GUI thread); the caller then
closes every connection and ``finish_restore`` puts the prepared copy in place. The chosen file
is only read. A damaged current file is kept byte for byte; a foreign or newer one is not
replaced at all.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from allervers_desktop.db.backups import (
    CopyProgress,
    FileInUse,
    fsync_folder,
    remove_leftovers,
    replace_database,
)
from allervers_desktop.db.database import (
    DatabaseOpenError,
    FileState,
    copy_failure_reason,
    inspect_file,
)
from allervers_desktop.services.backups import (
    STAMP,
    BackupError,
    copy_verified,
    lower_first,
    ready_folder,
    unique_path,
    verified_ours,
)


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    previous_copy: Path | None  # the current file as it was, None when there was none

    def describe(self) -> str:
        text = f"La sauvegarde « {self.restored.name} » a été restaurée."
        if self.previous_copy is not None:
            text += f" La base remplacée a été sauvegardée dans « {self.previous_copy} »."
        return text


@dataclass(frozen=True)
class PreparedRestore:
    """Everything done but the replacement itself (which needs no connection open)."""

    chosen: Path
    database: Path
    prepared: Path
    previous_copy: Path | None


def check_backup(chosen: Path) -> FileState:
    """The chosen file must be an allervers database, readable and intact (same checks as
    opening one)."""
    return verified_ours(chosen, "Cette sauvegarde ne peut pas être restaurée")


def prepare_restore(
    chosen: Path,
    database: Path,
    folder: Path,
    *,
    now: dt.datetime | None = None,
    progress: CopyProgress | None = None,
) -> PreparedRestore:
    """Check ``chosen``, back up the current file, copy ``chosen`` beside it (verified)."""
    if chosen.resolve() == database.resolve():
        raise BackupError("Cette sauvegarde est la base actuelle elle-même.")
    check_backup(chosen)
    previous = _backup_current(database, folder, now or dt.datetime.now(), progress)
    prepared = database.with_name(f"{database.stem}-restauration{database.suffix}")
    remove_leftovers(database.parent, f"{database.stem}-")
    # A complete copy left by a restore killed just before the replacement: a copy of a
    # backup that still exists, made again below.
    prepared.unlink(missing_ok=True)
    copy_verified(chosen, prepared, progress, "La copie de la sauvegarde", untouched=True)
    return PreparedRestore(chosen, database, prepared, previous)


def _backup_current(
    database: Path, folder: Path, now: dt.datetime, progress: CopyProgress | None
) -> Path | None:
    """The current file, kept before it is replaced: a verified copy, or a plain copy of the
    bytes when it is damaged; a foreign or newer file is not replaced at all."""
    try:
        state = inspect_file(database)
    except DatabaseOpenError as exc:
        if exc.kind != "damaged":
            raise BackupError(
                f"La base actuelle n'est pas remplacée : {lower_first(exc.message)}"
            ) from exc
        state = None
    if state is not None and (not state.exists or state.revision is None):
        return None  # nothing to keep
    ready_folder(folder)
    stamp = now.strftime(STAMP)
    target = unique_path(folder, f"{database.stem}-avant-restauration-{stamp}", database.suffix)
    if state is not None:
        return copy_verified(database, target, progress, "La sauvegarde de la base actuelle")
    try:  # damaged: its bytes (and its -wal) as they are, for a specialist
        for suffix in ("", "-wal"):
            source = database.with_name(database.name + suffix)
            if source.exists():
                shutil.copyfile(source, target.with_name(target.name + suffix))
        fsync_folder(folder)
    except OSError as exc:
        raise BackupError(
            f"La copie de la base actuelle vers « {target} » a échoué "
            f"({copy_failure_reason(exc)}) ; la base n'a pas été remplacée."
        ) from exc
    return target


def finish_restore(prepared: PreparedRestore) -> RestoreResult:
    """Replace the database by the prepared copy; no connection to it may be open."""
    try:
        replace_database(prepared.prepared, prepared.database)
    except FileInUse as exc:
        prepared.prepared.unlink(missing_ok=True)
        raise BackupError(
            f"La base « {prepared.database} » est ouverte dans un autre programme (une autre "
            "fenêtre ou une commande) : fermez-le, puis restaurez à nouveau. "
            "Rien n'a été remplacé."
        ) from exc
    except Exception as exc:
        prepared.prepared.unlink(missing_ok=True)
        raise BackupError(
            f"La base « {prepared.database} » n'a pas pu être remplacée "
            f"({copy_failure_reason(exc)}) ; elle n'a pas été modifiée."
        ) from exc
    return RestoreResult(prepared.chosen, prepared.previous_copy)


def cancel_restore(prepared: PreparedRestore) -> None:
    prepared.prepared.unlink(missing_ok=True)
