"""Where the application keeps its files: the database (and its overrides), the log folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from allervers_desktop import APP_NAME, ORGANIZATION_NAME

if TYPE_CHECKING:
    from allervers_desktop.db.location import Location

DB_ENV_VAR = "ALLERVERS_DB"
DB_FILENAME = "allervers.sqlite3"
LOG_DIRNAME = "logs"


def default_data_dir() -> Path:
    """Qt's AppDataLocation for this application (QtCore only, no window needed).

    The location depends on the application's names, so they are set for the query (and put
    back), whatever application object exists already (a test runner's, for instance).
    """
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    previous = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    QCoreApplication.setOrganizationName(ORGANIZATION_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    try:
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    finally:
        if any(previous):
            QCoreApplication.setOrganizationName(previous[0])
            QCoreApplication.setApplicationName(previous[1])
    return Path(location)


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``--db`` first, then $ALLERVERS_DB, then the per-user default.

    For the commands that handle a file only (backup, restore): a server URL is refused
    (LocationError, French)."""
    from allervers_desktop.db.location import LocationError, is_server_text

    text = os.fspath(explicit) if explicit else os.environ.get(DB_ENV_VAR, "")
    if text and is_server_text(text):
        raise LocationError(
            "Les données sont sur un serveur : cette commande ne concerne qu'un fichier local "
            "(un serveur se sauvegarde par son administrateur, avec pg_dump)."
        )
    if text:
        return Path(text).expanduser()
    return default_data_dir() / DB_FILENAME


def database_location(explicit: str | os.PathLike[str] | None = None) -> Location:
    """The database: a server URL or a file, from ``--db``, then $ALLERVERS_DB, then the
    per-user default file (LocationError, French, for an unreadable server URL)."""
    from allervers_desktop.db.location import parse_location

    text = os.fspath(explicit) if explicit else os.environ.get(DB_ENV_VAR, "")
    if text:
        return parse_location(text)
    return default_data_dir() / DB_FILENAME


def leftovers_anchor(location: Location) -> Path:
    """Where the registry of interrupted writes lives: beside the file, or (for a server)
    in the per-user data folder."""
    return location if isinstance(location, Path) else default_data_dir() / DB_FILENAME


def log_dir() -> Path:
    """The folder of the application's log files: ``logs`` in Qt's AppDataLocation.

    Only the path: whoever writes a log creates the folder first."""
    return default_data_dir() / LOG_DIRNAME
