"""Fixtures for file-writing tests: a small full disk (tmpfs, as root), a user without rights."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.documents.conftest import attended, gui, identity_database  # noqa: F401

REPOSITORY = Path(__file__).resolve().parents[3]
NOBODY = 65534


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 KB tmpfs mounted for the test (root only), unmounted afterwards."""
    yield from mounted_tmpfs(tmp_path)


def mounted_tmpfs(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("monter un tmpfs demande d'être root")
    mount_point = tmp_path / "petit-disque"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"tmpfs impossible à monter ici : {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` until only about ``leave`` bytes are free."""
    free = shutil.disk_usage(disk).free
    with (disk / "remplissage.bin").open("wb") as handle:
        handle.write(b"\0" * max(free - leave, 0))
        handle.flush()
        os.fsync(handle.fileno())


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a child process."""
    environment = {**os.environ, **(env or {})}
    environment.pop("ALLERVERS_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "allervers_desktop", *args],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


# Root ignores permissions. The child runs the command once as root (so that every module
# it needs is loaded: Python's own library is not readable by « nobody » here), then drops
# to « nobody » and runs the command under test with ordinary permissions.
AS_NOBODY = """
import contextlib, io, os, sys
from allervers_desktop.cli import main
cut = sys.argv.index("--")
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(sys.argv[1:cut])
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
sys.exit(main(sys.argv[cut + 1 :]))
"""


def cli_as_nobody(
    warm_up: list[str], args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    environment.pop("ALLERVERS_DB", None)
    return subprocess.run(
        [sys.executable, "-c", AS_NOBODY, *warm_up, "--", *args],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def nobody_home() -> Iterator[Path]:
    """A folder « nobody » owns (outside pytest's root-only temporary folder), as root."""
    if os.geteuid() != 0:
        pytest.skip("changer d'utilisateur demande d'être root (non root : voir test suivant)")
    home = Path(tempfile.mkdtemp(prefix="allervers-nobody-"))
    home.chmod(0o755)
    os.chown(home, NOBODY, NOBODY)
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    os.chown(runtime, NOBODY, NOBODY)
    try:
        yield home
    finally:
        for path in home.rglob("*"):
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(home, ignore_errors=True)


def nobody_env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(home / "run"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }
