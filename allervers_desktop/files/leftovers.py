"""Temporary files left by a crash: the folders written to are remembered, and cleaned at start.

Every atomic write first notes its folder in a small list kept beside the database
(« .allervers-dossiers.json »), so that the window and the command line, when they start,
remove from those folders (and the database's own) what an interrupted write left: our
hidden « .allervers-tmp-<pid>-… » files whose process is gone, and the names older
versions used (« *.pdf.partiel », « .*.xlsx.tmp »). A temporary file of a process still
running (a window beside a command line) is never touched."""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from pathlib import Path

TEMP_PREFIX = ".allervers-tmp-"
REGISTRY_NAME = ".allervers-dossiers.json"
MAX_FOLDERS = 30
STALE_SECONDS = 24 * 3600  # a temporary file this old is a leftover whatever its process
LEGACY = re.compile(r"(.+\.pdf\.partiel|\..+\.xlsx\.tmp)")
OURS = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-[0-9a-f]+-.*", re.DOTALL)

_lock = threading.Lock()
_registry: Path | None = None
_known: list[str] = []


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # decided by age alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_leftover(path: Path, now: float | None = None) -> bool:
    """A temporary file an interrupted write left behind (not one being written now)."""
    name = path.name
    match = OURS.fullmatch(name)
    if match is None and LEGACY.fullmatch(name) is None:
        return False
    try:
        age = (now or time.time()) - path.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_SECONDS:
        return True
    if match is not None:
        return not _alive(int(match.group(1)))
    return True


def clean_folder(folder: Path) -> list[Path]:
    """Remove the leftovers directly in ``folder``; return what was removed."""
    removed: list[Path] = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.startswith(".") and not entry.name.endswith(".partiel"):
                continue
            path = Path(entry.path)
            if entry.is_file(follow_symlinks=False) and is_leftover(path):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


def _read(registry: Path) -> list[str]:
    try:
        value = json.loads(registry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def known_folders() -> list[Path]:
    with _lock:
        return [Path(folder) for folder in _known]


def remember_folder(folder: Path) -> None:
    """Note ``folder`` before writing there (best effort: a failure only skips the note)."""
    global _known
    with _lock:
        registry = _registry
        if registry is None:
            return
        text = str(Path(folder).absolute())
        if _known[:1] == [text]:
            return
        _known = [text, *(item for item in _read(registry) if item != text)][:MAX_FOLDERS]
        temporary = registry.with_name(f"{registry.name}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            # Beside a server's data there may be no folder yet (the per-user data folder).
            registry.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(_known, ensure_ascii=False), encoding="utf-8")
            os.replace(temporary, registry)
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def use_registry(database_path: Path) -> Path:
    """Keep the list of written folders beside the database; return the list's path."""
    global _registry, _known
    registry = Path(database_path).absolute().parent / REGISTRY_NAME
    with _lock:
        _registry = registry
        _known = _read(registry)
    return registry


def clean_known_folders() -> list[Path]:
    """Remove the leftovers of the folders written to (and of the database's folder)."""
    with _lock:
        registry = _registry
        folders = [Path(item) for item in _known]
    if registry is None:
        return []
    for stale in registry.parent.glob(f"{REGISTRY_NAME}.*.tmp"):
        with contextlib.suppress(OSError, ValueError):
            if not _alive(int(stale.name.split(".")[-2])):
                stale.unlink()
    removed: list[Path] = []
    for folder in dict.fromkeys([registry.parent, *folders]):
        removed += clean_folder(folder)
    return removed


def start_up(database_path: Path) -> list[Path]:
    """At the start of a command: remember folders beside this database, clean them."""
    use_registry(database_path)
    return clean_known_folders()
