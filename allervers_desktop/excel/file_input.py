"""Read a chosen file's bytes safely: regular files only, never more than the byte limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.limits import MAX_FILE_BYTES, MIB
from allervers_desktop.files.errors import os_reason

_CHUNK = 1 * MIB


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in French; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISFIFO(mode):
        return "un tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "une prise de communication (socket)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    return "un fichier spécial"


def _not_regular(name: str, kind: str, expected: str) -> UnreadableFileError:
    return UnreadableFileError(f"« {name} » est {kind}, pas un fichier : choisissez {expected}.")


def _too_large(name: str, limit: int, size: int | None = None) -> UnreadableFileError:
    amount = f"{size // MIB} Mo" if size is not None else f"plus de {limit // MIB} Mo"
    return UnreadableFileError(
        f"Le fichier « {name} » est trop volumineux ({amount} ; "
        f"la limite est de {limit // MIB} Mo)."
    )


def read_file_bytes(
    path: Path, limit: int = MAX_FILE_BYTES, expected: str = "un fichier de tableur ou CSV"
) -> bytes:
    """The file's content; refuse pipes, devices, sockets and folders before reading, and a
    file longer than ``limit`` by what is read (a device reports size 0)."""
    name = path.name or str(path)
    try:
        before = os.stat(path)
    except FileNotFoundError as exc:
        raise UnreadableFileError(f"Le fichier « {path} » n'existe pas.") from exc
    except OSError as exc:
        raise UnreadableFileError(
            f"Le fichier « {name} » ne peut pas être lu : {os_reason(exc)}."
        ) from exc
    kind = _kind_of(before.st_mode)
    if kind is not None:  # never open a FIFO: opening it blocks until a writer comes
        raise _not_regular(name, kind, expected)
    if before.st_size > limit:
        raise _too_large(name, limit, before.st_size)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise UnreadableFileError(
            f"Le fichier « {name} » ne peut pas être lu : {os_reason(exc)}."
        ) from exc
    try:
        kind = _kind_of(os.fstat(descriptor).st_mode)  # the path may have been swapped
        if kind is not None:
            raise _not_regular(name, kind, expected)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(descriptor, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise _too_large(name, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFileError(
            f"Le fichier « {name} » ne peut pas être lu : {os_reason(exc)}."
        ) from exc
    finally:
        os.close(descriptor)
