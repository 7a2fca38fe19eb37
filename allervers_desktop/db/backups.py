"""Safe copies of the database file: SQLite's backup API into a temporary name, then rename.

A copy is written to ``<final name>.partiel`` beside its target (with no journal, so nothing
else appears), fsynced, verified (``PRAGMA quick_check`` and the application's marker) and only
then renamed into place, and the folder is fsynced: a file under a backup's final name is
always complete. The process writing a ``.partiel`` file holds an ``flock`` on it, so that
``remove_leftovers`` (run at the next start) removes only what a killed process left.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from allervers_desktop.db.recognition import Kind, recognise

try:  # POSIX only; elsewhere a file being written cannot be deleted anyway
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

PARTIAL_SUFFIX = ".partiel"
STEP_PAGES = 256
BUSY_TIMEOUT_S = 5.0
CopyProgress = Callable[[int, int], bool]


class CopyCancelled(Exception):
    """The user stopped the copy; nothing was left under the target's name."""


class CopyInvalid(Exception):
    """The finished copy did not pass the checks (``reason`` in French)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def partial_path(target: Path) -> Path:
    return target.with_name(target.name + PARTIAL_SUFFIX)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _claimed(temp: Path) -> Iterator[int]:
    """Create ``temp`` (replacing a dead leftover) and hold an flock on it while writing."""
    if temp.exists() and not _is_leftover(temp):
        raise FileExistsError(17, "un autre programme écrit déjà ce fichier", str(temp))
    _remove(temp)
    descriptor = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield descriptor
    finally:
        os.close(descriptor)


def _is_leftover(path: Path) -> bool:
    """True when no living process holds the lock of this ``.partiel`` file."""
    if fcntl is None:
        return True
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


def remove_leftovers(folder: Path, prefix: str) -> list[Path]:
    """Remove the ``<prefix>*.partiel`` files (and their journals) a killed copy left."""
    removed: list[Path] = []
    try:
        candidates = sorted(folder.glob(f"{glob_escape(prefix)}*{PARTIAL_SUFFIX}*"))
    except OSError:
        return removed
    for path in candidates:
        name = path.name
        if not (name.endswith(PARTIAL_SUFFIX) or name.endswith(PARTIAL_SUFFIX + "-journal")):
            continue
        owner = path.with_name(name.removesuffix("-journal"))
        if owner.exists() and not _is_leftover(owner):
            continue
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def lenient_text(data: bytes) -> str:
    """Text from SQLite, even where a damaged page makes it other bytes than UTF-8 (an
    integrity report quotes them)."""
    return data.decode("utf-8", "replace")


def verify_copy(path: Path) -> None:
    """``PRAGMA quick_check`` and the marker, reading only; raise CopyInvalid (French)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    connection.text_factory = lenient_text
    try:
        rows = [row[0] for row in connection.execute("PRAGMA quick_check")]
        if rows != ["ok"]:
            raise CopyInvalid("la copie ne passe pas le contrôle d'intégrité")
        if recognise(connection) is not Kind.OURS:
            raise CopyInvalid("la copie n'est pas une base allervers")
    except UnicodeDecodeError as exc:
        raise CopyInvalid("la copie ne passe pas le contrôle d'intégrité") from exc
    except sqlite3.DatabaseError as exc:
        raise CopyInvalid(f"la copie est illisible ({exc})") from exc
    finally:
        connection.close()


def copy_database(
    source: Path,
    target: Path,
    progress: CopyProgress | None = None,
    *,
    untouched: bool = False,
) -> Path:
    """Copy ``source`` to ``target`` (which must not exist) safely; return ``target``.

    ``untouched``: the source is a file nobody writes (a backup being restored), read
    without even the ``-wal``/``-shm`` files a normal connection creates and removes.

    The source is read in one read transaction, so the copy is one consistent state even
    if another program writes meanwhile. ``progress(done, total)`` returning False cancels
    (CopyCancelled). OSError, sqlite3.Error and CopyInvalid leave nothing under ``target``.
    """
    if target.exists():
        raise FileExistsError(17, "un fichier porte déjà ce nom", str(target))
    temp = partial_path(target)
    try:
        with _claimed(temp) as descriptor:
            _copy_pages(source, temp, progress, untouched)
            os.fsync(descriptor)
            verify_copy(temp)
            if target.exists():
                raise FileExistsError(17, "un fichier porte déjà ce nom", str(target))
            os.replace(temp, target)
        fsync_folder(target.parent)
    except BaseException:
        _remove(temp)
        _remove(temp.with_name(temp.name + "-journal"))
        raise
    return target


def _copy_pages(
    source: Path, temp: Path, progress: CopyProgress | None, untouched: bool
) -> None:
    from allervers_desktop.db.database import read_only_uri

    reader = sqlite3.connect(
        read_only_uri(source) if untouched else f"{source.resolve().as_uri()}?mode=rw",
        uri=True,
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
    )
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot
        writer = sqlite3.connect(temp, isolation_level=None)
        try:
            writer.execute("PRAGMA journal_mode = OFF")  # a temporary file: no -journal
            writer.execute("PRAGMA synchronous = OFF")  # fsynced once, by the caller

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None and not progress(total - remaining, total):
                    raise CopyCancelled

            reader.backup(writer, pages=STEP_PAGES, progress=step)
        finally:
            writer.close()
        reader.execute("ROLLBACK")
    finally:
        reader.close()


class FileInUse(Exception):
    """Another connection (a window, a command) has the database open."""


def replace_database(prepared: Path, target: Path) -> None:
    """Put the verified copy ``prepared`` in place of ``target`` while nobody has it open.

    The current file's WAL is folded in and removed first (so that no ``-wal`` of the old
    file is ever applied to the new one); FileInUse when another connection holds it.
    """
    if target.exists() and target.stat().st_size > 0:
        connection = sqlite3.connect(
            f"{target.resolve().as_uri()}?mode=rw", uri=True, timeout=0.5, isolation_level=None
        )
        try:
            connection.execute("PRAGMA locking_mode = EXCLUSIVE")
            connection.execute("PRAGMA journal_mode = DELETE").fetchone()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise FileInUse(str(target)) from exc
            raise
        except sqlite3.DatabaseError:
            pass  # a damaged file (already copied aside by the caller) is replaced as is
        finally:
            connection.close()
        # Left only by a damaged file (already copied aside by the caller) or a dead process.
        for suffix in ("-wal", "-shm", "-journal"):
            companion = target.with_name(target.name + suffix)
            _remove(companion)
    os.replace(prepared, target)
    fsync_folder(target.parent)
