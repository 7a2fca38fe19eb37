"""The PyInstaller bundle run with no Python of its own: command line, window, desktop entry."""

from __future__ import annotations

import configparser
import glob
import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.install.conftest import ROOT, Built, clean_environment, pdf_text, run

pytestmark = pytest.mark.install


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_environment(tmp_path / "home")


def test_bundle_carries_python_and_the_qt_plugins(built: Built) -> None:
    internal = built.bundle / "_internal"
    library = sysconfig.get_config_var("LDLIBRARY")  # libpython3.11.so
    assert list(internal.glob(f"{library}*")), "libpython is not in the bundle"
    plugins = internal / "PySide6" / "Qt" / "plugins"
    for plugin in (
        "platforms/libqoffscreen.so",
        "platforms/libqxcb.so",
        "printsupport/libcupsprintersupport.so",
        "imageformats/libqsvg.so",
    ):
        assert (plugins / plugin).is_file(), plugin
    package = internal / "allervers_desktop"
    assert (package / "resources" / "fonts" / "Roboto-Regular.ttf").is_file()
    assert sorted(p.name for p in (package / "db" / "migrations" / "versions").glob("*.py")) == (
        sorted(p.name for p in (ROOT / "allervers_desktop/db/migrations/versions").glob("*.py"))
    )


def test_bundle_command_line(built: Built, env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "base.sqlite3"

    def allervers(*args: str | Path) -> str:
        return run([built.executable, "--db", db, *args], cwd=tmp_path, env=env).stdout

    assert allervers("--version").startswith("allervers ")
    assert "21 participants" in allervers("demo")
    out = tmp_path / "émargement.pdf"
    assert "Écrit" in allervers("print", "signin", "--group", "2", "--out", out)
    pages, text, fonts = pdf_text(out)
    assert pages == 2 and "FEUILLE D'ÉMARGEMENT" in text and "BECKER Jérôme" in text
    assert "/Roboto-Regular" in fonts


def test_bundle_window_offscreen(built: Built, env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "base.sqlite3"
    run([built.executable, "--db", db, "demo"], cwd=tmp_path, env=env)
    out = run([built.executable, "--db", db, "--smoke-test"], cwd=tmp_path, env=env).stdout
    assert "Fenêtre ouverte (plateforme offscreen)" in out
    assert "Formations 1, Groupes 2, Intervenants 3, Participants 21" in out


def test_bundle_window_on_x11(built: Built, env: dict[str, str], tmp_path: Path) -> None:
    """The xcb plugin and the X libraries it needs (bundled when the build machine has them)."""
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("no X server to draw on: apt-get install xvfb xauth")
    db = tmp_path / "base.sqlite3"
    run([built.executable, "--db", db, "demo"], cwd=tmp_path, env=env)
    command: list[str | Path] = [xvfb_run, "-a", built.executable, "--db", db, "--smoke-test"]
    out = run(command, cwd=tmp_path, env=dict(env, QT_QPA_PLATFORM="xcb")).stdout
    assert "Fenêtre ouverte (plateforme xcb)" in out and "Participants 21" in out


def test_desktop_entry_starts_the_bundle(built: Built, env: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "root"
    run(
        [
            "make",
            "--no-print-directory",
            "install-desktop",
            f"DESTDIR={root}",
            "PREFIX=/usr",
            f"EXEC={built.executable}",
        ],
        cwd=ROOT,
    )
    share = root / "usr" / "share"
    entry = share / "applications" / "allervers.desktop"
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", entry], cwd=tmp_path)
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(entry, encoding="utf-8")
    desktop = parser["Desktop Entry"]
    assert (desktop["Type"], desktop["Icon"], desktop["Name"]) == (
        "Application",
        "allervers",
        "Aller vers",
    )
    for size in (16, 32, 48, 256):
        assert (share / f"icons/hicolor/{size}x{size}/apps/allervers.png").is_file()
    assert (share / "icons/hicolor/scalable/apps/allervers.svg").is_file()
    # Start it as a desktop would (its Exec line), on the window's smoke test.
    db = tmp_path / "vide.sqlite3"
    command = [*shlex.split(desktop["Exec"]), "--db", str(db), "--smoke-test"]
    out = run(command, cwd=tmp_path, env=env).stdout
    assert "Participants 0" in out


def pythons_of_the_machine() -> list[str]:
    """Every Python installation here: this one (venv and base), Debian's, /usr/local's."""
    places = {sys.prefix, sys.base_prefix, *glob.glob("/usr/lib/python3*")}
    places.update(glob.glob("/usr/local/lib/python3*"))
    return sorted(place for place in places if Path(place).is_dir())


def can_hide_folders() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or os.geteuid() != 0:
        return False
    probe = [unshare, "--mount", "sh", "-c", "mount -t tmpfs none /mnt"]
    return subprocess.run(probe, capture_output=True, timeout=60, check=False).returncode == 0


def test_bundle_runs_with_every_python_of_the_machine_hidden(
    built: Built, env: dict[str, str], tmp_path: Path
) -> None:
    """In a private mount namespace, an empty tmpfs over every Python installation: this
    interpreter can no longer start there, the bundle still prints and opens its window."""
    if not can_hide_folders():
        pytest.skip("hiding folders needs root and a working `unshare --mount` (util-linux)")
    hide = " && ".join(
        f"mount -t tmpfs none {shlex.quote(place)}" for place in pythons_of_the_machine()
    )
    gone = f"! {shlex.quote(sys.executable)} -c pass 2>/dev/null"
    script = f'{hide} && {gone} && exec {shlex.quote(str(built.executable))} "$@"'
    db = tmp_path / "base.sqlite3"
    env = dict(env, PYTHONHOME="/nonexistent", PYTHONPATH="/nonexistent")

    def hidden(*args: str | Path) -> str:
        command = ["unshare", "--mount", "sh", "-c", script, "allervers", "--db", db, *args]
        return run(command, cwd=tmp_path, env=env).stdout

    assert "21 participants" in hidden("demo")
    out = tmp_path / "émargement.pdf"
    assert "Écrit" in hidden("print", "signin", "--group", "1", "--out", out)
    assert pdf_text(out)[0] == 2
    assert "Participants 21" in hidden("--smoke-test")
