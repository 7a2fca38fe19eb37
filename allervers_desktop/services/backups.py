"""Sauvegardes: verified copies in a folder the user chooses, their rotation, and restoring one.

Names: ``<base>-sauvegarde-AAAAMMJJ-HHMMSS.sqlite3`` for the automatic backup made when the
window closes (at most one a day), the same with ``-manuelle`` for « Sauvegarder maintenant »
and ``allervers backup``; both take part in the rotation (``kept_backups``: the newest of each
of the 7 last days, 4 last weeks and 12 last months that have one). The copy made before a
restore, ``<base>-avant-restauration-….sqlite3``, and the copies saved elsewhere are never
rotated. Restoring one is ``services/restore.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from allervers_desktop.db.backups import (
    CopyCancelled,
    CopyProgress,
    copy_database,
    partial_path,
    remove_leftovers,
)
from allervers_desktop.db.database import (
    DatabaseOpenError,
    FileState,
    copy_failure_reason,
    inspect_file,
    read_only_uri,
)
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.settings import get_setting, set_setting

BACKUP_DIR_KEY = "backup.directory"
BACKUP_DIR_NAME = "sauvegardes"
STAMP = "%Y%m%d-%H%M%S"
MANUAL_TAG = "-manuelle"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12


class BackupError(ServiceError):
    """A backup or a restore could not be made; nothing was lost (French message)."""


# --- the folder ----------------------------------------------------------------------------
def default_backup_dir() -> Path:
    from allervers_desktop.paths import default_data_dir

    return default_data_dir() / BACKUP_DIR_NAME


def backup_dir(session: Session) -> Path:
    """The folder chosen in Paramètres, or ``sauvegardes`` in the application's data folder."""
    chosen = get_setting(session, BACKUP_DIR_KEY)
    return Path(chosen) if chosen else default_backup_dir()


def folder_of(database: Path) -> Path:
    """The backup folder of the database file, read without opening it for writing (the
    default when the file is missing, damaged or has no such setting)."""
    try:
        connection = sqlite3.connect(read_only_uri(database), uri=True)
    except sqlite3.Error:
        return default_backup_dir()
    try:
        row = connection.execute(
            "SELECT value FROM settings WHERE key = ?", (BACKUP_DIR_KEY,)
        ).fetchone()
    except sqlite3.Error:
        row = None
    finally:
        connection.close()
    return Path(row[0]) if row and row[0] else default_backup_dir()


def clean_leftovers(database: Path) -> list[Path]:
    """At start-up: remove the partial copies a killed backup left in the backup folder."""
    return remove_leftovers(folder_of(database), f"{database.stem}-")


def set_backup_dir(session: Session, folder: Path | None) -> None:
    """Store the folder (None: back to the default); it must exist and be a folder."""
    if folder is not None and not folder.is_dir():
        raise BackupError(f"Le dossier de sauvegarde « {folder} » n'existe pas.")
    set_setting(session, BACKUP_DIR_KEY, "" if folder is None else str(folder))


def ready_folder(folder: Path) -> None:
    """Create the default folder if needed; a chosen folder that is gone is an error."""
    if folder.is_dir():
        return
    if folder != default_backup_dir():
        raise BackupError(
            f"Le dossier de sauvegarde « {folder} » est introuvable (support retiré ?) ; "
            "choisissez-en un autre dans Paramètres."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            f"Le dossier de sauvegarde « {folder} » ne peut pas être créé : "
            f"{copy_failure_reason(exc)}."
        ) from exc


# --- names and rotation (pure) -------------------------------------------------------------
def _name_pattern(database: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(database.stem)}-sauvegarde-(\d{{8}}-\d{{6}})(-\d+)?"
        rf"({re.escape(MANUAL_TAG)})?{re.escape(database.suffix)}$"
    )


@dataclass(frozen=True)
class BackupName:
    """A rotated backup's file name, read back: when it was made, and whether by hand."""

    name: str
    made_at: dt.datetime
    manual: bool


def parse_backup_names(database: Path, names: Iterable[str]) -> list[BackupName]:
    """The rotated backups of ``database`` among ``names`` (other files are ignored)."""
    pattern = _name_pattern(database)
    found = []
    for name in names:
        match = pattern.match(name)
        if match is None:
            continue
        try:
            made_at = dt.datetime.strptime(match.group(1), STAMP)
        except ValueError:
            continue
        found.append(BackupName(name, made_at, match.group(3) is not None))
    return found


def kept_backups(
    stamps: Iterable[dt.datetime],
    daily: int = KEEP_DAILY,
    weekly: int = KEEP_WEEKLY,
    monthly: int = KEEP_MONTHLY,
) -> set[dt.datetime]:
    """Which backups the rotation keeps: for each rule, the newest backup of each of the
    ``n`` most recent periods (days, ISO weeks, months) that have one; the union of the three.
    Periods with no backup (days the application was not used) do not count."""
    ordered = sorted(set(stamps), reverse=True)
    kept: set[dt.datetime] = set()
    rules = (
        (daily, lambda t: t.date()),
        (weekly, lambda t: t.isocalendar()[:2]),
        (monthly, lambda t: (t.year, t.month)),
    )
    for count, period_of in rules:
        seen: list[object] = []
        for stamp in ordered:
            period = period_of(stamp)
            if period in seen:
                continue
            if len(seen) == count:
                break
            seen.append(period)
            kept.add(stamp)
    return kept


def backups_to_remove(database: Path, names: Iterable[str]) -> list[str]:
    """Names of the rotated backups that the rotation drops (pure: names in, names out)."""
    backups = parse_backup_names(database, names)
    keep = kept_backups(b.made_at for b in backups)
    # Several backups in the same second: only the last name of that second is kept.
    newest_name: dict[dt.datetime, str] = {}
    for backup in sorted(backups, key=lambda b: (b.made_at, len(b.name), b.name)):
        newest_name[backup.made_at] = backup.name
    return sorted(
        b.name for b in backups if b.made_at not in keep or newest_name[b.made_at] != b.name
    )


def automatic_backup_due(database: Path, names: Iterable[str], today: dt.date) -> bool:
    """True unless an automatic backup was already made ``today``."""
    return not any(
        b.made_at.date() == today and not b.manual for b in parse_backup_names(database, names)
    )


# --- making backups ------------------------------------------------------------------------
@dataclass(frozen=True)
class BackupResult:
    path: Path
    removed: list[Path] = field(default_factory=list)

    def describe(self) -> str:
        return f"Sauvegarde enregistrée : « {self.path} »."


def unique_path(folder: Path, base: str, tail: str) -> Path:
    """``base + tail``, or ``base-2 + tail``…: a name neither used nor being written."""
    counter = 1
    while True:
        middle = "" if counter == 1 else f"-{counter}"
        target = folder / f"{base}{middle}{tail}"
        if not target.exists() and not partial_path(target).exists():
            return target
        counter += 1


def lower_first(message: str) -> str:
    return message[:1].lower() + message[1:]


def verified_ours(path: Path, what: str) -> FileState:
    try:
        state = inspect_file(path)
    except DatabaseOpenError as exc:
        raise BackupError(f"{what} : {lower_first(exc.message)}") from exc
    if not state.exists or state.revision is None:
        raise BackupError(f"{what} : « {path} » ne contient aucune base allervers.")
    return state


def copy_verified(
    source: Path,
    target: Path,
    progress: CopyProgress | None,
    what: str,
    *,
    untouched: bool = False,
) -> Path:
    try:
        return copy_database(source, target, progress, untouched=untouched)
    except CopyCancelled:
        raise
    except Exception as exc:  # OSError, CopyInvalid, sqlite3 errors (locked, disk full…)
        raise BackupError(
            f"{what} vers « {target} » a échoué ({copy_failure_reason(exc)}) ; "
            "la base n'a pas été modifiée."
        ) from exc


def make_backup(
    database: Path,
    folder: Path,
    *,
    manual: bool,
    now: dt.datetime | None = None,
    progress: CopyProgress | None = None,
    rotation: bool = True,
) -> BackupResult:
    """A verified copy of ``database`` in ``folder``, then (``rotation``) the folder's rotation."""
    ready_folder(folder)
    remove_leftovers(folder, f"{database.stem}-")
    stamp = (now or dt.datetime.now()).strftime(STAMP)
    tag = MANUAL_TAG if manual else ""
    target = unique_path(folder, f"{database.stem}-sauvegarde-{stamp}", f"{tag}{database.suffix}")
    path = copy_verified(database, target, progress, "La sauvegarde")
    return BackupResult(path=path, removed=rotate(database, folder) if rotation else [])


def rotate(database: Path, folder: Path) -> list[Path]:
    """Delete the backups the rotation drops; a file that cannot be deleted stays."""
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return []
    removed = []
    for name in backups_to_remove(database, names):
        try:
            (folder / name).unlink()
        except OSError:
            continue
        removed.append(folder / name)
    return removed


def backup_if_due(
    database: Path,
    folder: Path,
    *,
    now: dt.datetime | None = None,
    progress: CopyProgress | None = None,
) -> BackupResult | None:
    """The automatic backup when the window closes: at most one a day; None when not due."""
    now = now or dt.datetime.now()
    try:
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    except OSError:
        names = []
    if not automatic_backup_due(database, names, now.date()):
        return None
    return make_backup(database, folder, manual=False, now=now, progress=progress)


def save_copy(database: Path, target: Path, progress: CopyProgress | None = None) -> Path:
    """« Enregistrer une copie… » / ``allervers backup --to FILE``: a copy anywhere."""
    if target.exists():
        raise BackupError(f"« {target} » existe déjà ; choisissez un autre nom.")
    if not target.parent.is_dir():
        raise BackupError(f"Le dossier « {target.parent} » n'existe pas.")
    return copy_verified(database, target, progress, "La copie")
