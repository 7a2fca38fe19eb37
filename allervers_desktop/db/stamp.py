"""A file's identity as this application last left it, to skip re-checking an unchanged file.

``PRAGMA quick_check`` reads the whole file (a quarter of a second for 60 MB). The window
records the stamp of the file once it has closed it cleanly (no ``-wal`` left): a file whose
device, inode, size, modification time and SQLite change counter still match was not written
since, by anyone, and is opened without reading it all again. Any write (another program,
the command line, a copy over it, a crash that left a ``-wal``) changes the stamp, and the next
start checks the whole file before anything may write to it.
"""

from __future__ import annotations

from pathlib import Path

CHANGE_COUNTER = slice(24, 28)  # SQLite header: incremented by every committed write


def file_stamp(path: Path) -> str | None:
    """The stamp of ``path``, or None when it has none (missing, a ``-wal`` beside it…)."""
    try:
        if path.with_name(path.name + "-wal").exists():
            return None
        stat = path.stat()
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100:
        return None
    counter = header[CHANGE_COUNTER].hex()
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{counter}"
