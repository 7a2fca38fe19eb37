"""The application's log: a rotating file in the data folder, for what went wrong unexpectedly."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILENAME = "allervers.log"
MAX_BYTES = 1_000_000
BACKUPS = 5  # allervers.log.1 … .5: at most about 6 MB in all
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


class _Handler(logging.handlers.RotatingFileHandler):
    """Ours, so that a second set-up (a reopened window) adds no second handler."""


def setup_logging(folder: Path) -> Path | None:
    """Log INFO and above to ``folder``/allervers.log; None if the folder cannot be written
    (the application works without its log)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, _Handler):
            return Path(handler.baseFilename)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _Handler(
            folder / LOG_FILENAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return Path(handler.baseFilename)


def log_file() -> Path | None:
    """The file the log is written to, if it is set up."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _Handler):
            return Path(handler.baseFilename)
    return None


def stop_logging() -> None:
    """Close the log file (the window has closed)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _Handler):
            root.removeHandler(handler)
            handler.close()
