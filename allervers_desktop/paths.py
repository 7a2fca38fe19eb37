"""Where the application keeps its files: the database (and its overrides), the log folder."""

from __future__ import annotations

import os
from pathlib import Path

from allervers_desktop import APP_NAME, ORGANIZATION_NAME

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
    """The database file: ``--db`` first, then $ALLERVERS_DB, then the per-user default."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return default_data_dir() / DB_FILENAME


def log_dir() -> Path:
    """The folder of the application's log files: ``logs`` in Qt's AppDataLocation.

    Only the path: whoever writes a log creates the folder first."""
    return default_data_dir() / LOG_DIRNAME
