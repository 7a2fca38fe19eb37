"""Write a file atomically: a hidden temporary file beside the target, fsynced, checked, renamed.

    write_file(target, write, check)

1. ``prepare_target`` refuses early what cannot work (missing folder, a folder as target, a
   name over 255 bytes, a read-only file unless the caller was told to replace it);
2. the temporary file « .allervers-tmp-<pid>-<random>-<name> » is created in the target's
   folder with the usual permissions (0666 less the umask), and ``write(temporary)`` fills it;
3. the file is fsynced, ``check(temporary)`` verifies its content (a PDF's trailer and page
   count, an xlsx's archive members), then ``os.replace`` puts it in place and the folder is
   fsynced so that the rename survives a power cut;
4. any failure removes the temporary file and raises ``FileWriteError`` with the real reason
   in French; a crash leaves only the hidden name, removed at the next start
   (``files.leftovers``)."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from allervers_desktop.files import leftovers
from allervers_desktop.files.errors import (
    FileWriteError,
    ReadOnlyTargetError,
    is_read_only,
    write_failure,
)
from allervers_desktop.files.names import MAX_NAME_BYTES, cut_to_bytes

Writer = Callable[[Path], None]
Check = Callable[[Path], None]
LOW_SPACE_BYTES = 1 << 20  # a check failing with less than this free: the disk filled up


def temporary_path(target: Path) -> Path:
    """A hidden name in the target's folder, recognisable by ``leftovers`` (the writer's
    process id tells a crash's leftover from a file another instance is still writing)."""
    prefix = f"{leftovers.TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}-"
    room = MAX_NAME_BYTES - len(prefix.encode("utf-8"))
    return target.with_name(prefix + cut_to_bytes(target.name, room))


def prepare_target(target: Path, *, replace_read_only: bool = False) -> Path:
    """Refuse, before any work, a target that cannot be written (French messages)."""
    target = Path(target)
    if len(target.name.encode("utf-8")) > MAX_NAME_BYTES:
        raise FileWriteError(
            f"Le nom du fichier « {target.name[:60]}… » est trop long "
            f"(plus de {MAX_NAME_BYTES} octets) : choisissez un nom plus court."
        )
    if not target.parent.is_dir():
        raise FileWriteError(f"Le dossier « {target.parent} » n'existe pas.")
    if target.is_dir():
        raise FileWriteError(f"« {target} » est un dossier.")
    if not replace_read_only and target.exists() and is_read_only(target):
        raise ReadOnlyTargetError(target)
    return target


def check_failed(target: Path, what: str) -> FileWriteError:
    """A produced file failed its check: say so, naming a full disk when it is one (some
    writers, Qt's among them, do not report a failed write)."""
    with contextlib.suppress(OSError):
        if shutil.disk_usage(target.parent).free < LOW_SPACE_BYTES:
            return FileWriteError(
                f"Le fichier « {target} » n'a pas pu être écrit : le disque est plein. "
                "Libérez de la place ou choisissez un autre emplacement."
            )
    return FileWriteError(
        f"Le fichier « {target} » n'a pas été enregistré : le fichier produit est incomplet "
        f"({what})."
    )


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder; NTFS journals the rename
        return
    with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def create_temporary(target: Path) -> Path:
    """Create the empty temporary file (mode 0666 less the umask, never 0600)."""
    leftovers.remember_folder(target.parent)
    temporary = temporary_path(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        os.close(os.open(temporary, flags, 0o666))
    except OSError as exc:
        raise write_failure(exc, target) from exc
    return temporary


def fill_temporary(temporary: Path, target: Path, write: Writer, check: Check | None) -> None:
    """Fill, fsync and check the temporary file of ``target``; on failure remove it."""
    try:
        write(temporary)
        _fsync_file(temporary)
        if check is not None:
            check(temporary)
    except OSError as exc:
        discard_temporary(temporary)
        raise write_failure(exc, target) from exc
    except BaseException:
        discard_temporary(temporary)
        raise


def place_temporary(temporary: Path, target: Path) -> None:
    """Rename a checked temporary file into place (replacing ``target``); on failure
    remove it. Replacing a read-only file must have been allowed by the caller."""
    try:
        if target.exists() and is_read_only(target):  # Windows refuses to replace it
            os.chmod(target, stat.S_IMODE(target.stat().st_mode) | stat.S_IWUSR)
        os.replace(temporary, target)
    except OSError as exc:
        discard_temporary(temporary)
        raise write_failure(exc, target) from exc
    except BaseException:
        discard_temporary(temporary)
        raise
    _fsync_folder(target.parent)


def discard_temporary(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)


def write_file(
    target: Path, write: Writer, check: Check | None = None, *, replace_read_only: bool = False
) -> Path:
    """Write ``target`` through ``write(temporary_path)``, atomically; return ``target``."""
    target = prepare_target(target, replace_read_only=replace_read_only)
    temporary = create_temporary(target)
    fill_temporary(temporary, target, write, check)
    place_temporary(temporary, target)
    return target


def write_bytes(
    target: Path, data: bytes, check: Check | None = None, *, replace_read_only: bool = False
) -> Path:
    """Write ``data`` to ``target`` atomically (a full disk is reported as such)."""

    def write(path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(data)

    def same_size(path: Path) -> None:
        if path.stat().st_size != len(data):
            raise check_failed(target, "taille inattendue")
        if check is not None:
            check(path)

    return write_file(target, write, same_size, replace_read_only=replace_read_only)
