"""French reasons for operating-system errors, and the error of a file that cannot be written."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from allervers_desktop.services.errors import ServiceError

# The French wording of every operating-system error a user can meet; every user-visible
# OS reason goes through ``os_reason``.
OS_ERROR_REASONS: dict[int, str] = {
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EEXIST: "un fichier porte déjà ce nom",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EISDIR: "c'est un dossier",
    errno.ENOSPC: "le disque est plein",
    errno.EROFS: "le support est en lecture seule",
    errno.ENAMETOOLONG: "le nom ou le chemin du fichier est trop long",
    errno.EBUSY: "le fichier est utilisé par un autre programme",
    errno.ETXTBSY: "le fichier est utilisé par un autre programme",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENFILE: "trop de fichiers ouverts",
    errno.EIO: "erreur de lecture ou d'écriture sur le support",
    errno.ELOOP: "trop de liens symboliques dans le chemin",
    errno.EINVAL: "nom de fichier ou opération non valable",
    errno.EXDEV: "le fichier ne peut pas être déplacé d'un support à l'autre",
    errno.ENXIO: "périphérique introuvable",
    errno.ENODEV: "périphérique introuvable",
    errno.EFBIG: "le fichier est trop gros pour ce support",
    errno.ENOTEMPTY: "le dossier n'est pas vide",
    errno.ENOMEM: "mémoire insuffisante",
}
if hasattr(errno, "EDQUOT"):  # not on Windows
    OS_ERROR_REASONS[errno.EDQUOT] = "le quota d'espace disque est dépassé"
DISK_FULL = frozenset(
    number for number in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if number is not None
)


def os_reason(exc: OSError) -> str:
    """A short French reason for an operating-system error (never the English strerror)."""
    if exc.errno in OS_ERROR_REASONS:
        return OS_ERROR_REASONS[exc.errno]
    winerror = getattr(exc, "winerror", None)
    if winerror == 32:  # ERROR_SHARING_VIOLATION: open in another program (Excel)
        return "le fichier est ouvert dans un autre programme"
    return f"erreur système n° {exc.errno}" if exc.errno else "erreur système"


class FileWriteError(ServiceError):
    """A file could not be written; nothing was left under its name (French ``message``)."""


class ReadOnlyTargetError(FileWriteError):
    """The file to replace is read-only: the caller asks (window) or refuses (command line)."""

    def __init__(self, target: Path) -> None:
        super().__init__(
            f"Le fichier « {target} » existe et est en lecture seule : il n'a pas été remplacé."
        )
        self.target = target


def is_read_only(path: Path) -> bool:
    """True for an existing file nobody may write (root ignores permissions, not this)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def write_failure(exc: OSError, target: Path) -> FileWriteError:
    """The French error for an OS failure while writing ``target``, naming the real cause:
    a read-only folder is not a read-only file, a missing folder is not a missing file."""
    folder = target.parent
    number = exc.errno
    if number is not None and number in DISK_FULL:
        reason = OS_ERROR_REASONS[number]
        return FileWriteError(
            f"Le fichier « {target} » n'a pas pu être écrit : {reason}. "
            "Libérez de la place ou choisissez un autre emplacement."
        )
    if number in (errno.EACCES, errno.EPERM):
        if not _writable(folder):
            return FileWriteError(
                f"Le fichier « {target.name} » n'a pas pu être écrit : le dossier « {folder} » "
                "est en lecture seule pour vous (accès refusé)."
            )
        if is_read_only(target):
            return FileWriteError(
                f"Le fichier « {target} » est en lecture seule : il n'a pas été remplacé."
            )
        return FileWriteError(
            f"Le fichier « {target} » n'a pas pu être écrit : accès refusé (il est peut-être "
            "ouvert dans un autre programme ; fermez-le et recommencez)."
        )
    if number == errno.ENOENT and not folder.is_dir():
        return FileWriteError(f"Le dossier « {folder} » n'existe pas.")
    if number == errno.EROFS:
        return FileWriteError(
            f"Le fichier « {target} » n'a pas pu être écrit : le support est en lecture seule."
        )
    return FileWriteError(f"Le fichier « {target} » n'a pas pu être écrit : {os_reason(exc)}.")
