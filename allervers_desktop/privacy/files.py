"""Write a file atomically: a temporary file beside the target, fsynced, checked, renamed.

(The shared module ``allervers_desktop/files/`` built in parallel does the same for every
writer; this one can be replaced by it once both are merged.)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from allervers_desktop.db.database import os_reason
from allervers_desktop.services.errors import ServiceError


class WriteError(ServiceError):
    """A file could not be written; nothing was left under its name."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a folder that cannot be opened (Windows): the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(
    target: Path, write: Callable[[Path], None], check: Callable[[Path], None]
) -> Path:
    """``write(temporary)`` fills a file that ``check(temporary)`` verifies; then it is renamed
    to ``target``. Any failure removes the temporary file and raises WriteError (French)."""
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise WriteError(f"Le dossier « {folder} » n'existe pas.")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".partiel", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise WriteError(
            f"Impossible d'écrire dans le dossier « {folder} » : {os_reason(exc)}."
        ) from exc
    temporary = Path(name)
    try:
        write(temporary)
        _fsync(temporary)
        check(temporary)
        os.replace(temporary, target)
        _fsync_folder(folder)
    except OSError as exc:
        raise WriteError(
            f"Le fichier « {target.name} » n'a pas pu être écrit : {os_reason(exc)}."
        ) from exc
    except ServiceError as exc:
        raise WriteError(
            f"Le fichier « {target.name} » n'a pas pu être écrit : {exc.message}"
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return target
