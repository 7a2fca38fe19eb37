"""Build the wheel and the bundle once (``make dist`` into a temporary folder) for these tests."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
# Room for a loaded machine; a hung child must still end the run.
CHILD_TIMEOUT_S = 900
TIMINGS: dict[str, float] = {}  # reported at the end of the run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for label, seconds in TIMINGS.items():
        terminalreporter.write_line(f"{label}: {seconds:.0f} s")


@dataclass(frozen=True)
class Built:
    wheel: Path
    bundle: Path  # the folder dist/allervers/
    executable: Path


def run(
    command: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    expect: int = 0,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == expect, (
        f"{' '.join(map(str, command))} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def clean_environment(home: Path, path: Sequence[Path] = ()) -> dict[str, str]:
    """What a user's session gives a program: no virtual env, no PYTHONPATH, no source tree."""
    home.mkdir(parents=True, exist_ok=True)
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {
        "PATH": os.pathsep.join([*map(str, path), "/usr/bin", "/bin"]),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
    }


def pdf_text(path: Path) -> tuple[int, str, set[str]]:
    """Pages, text and embedded font names of a PDF read back from disk."""
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    fonts: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            fonts.add(str(ref.get_object()["/BaseFont"]))
    return len(reader.pages), text, fonts


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``make dist`` as a developer runs it, into a fresh folder, with PyInstaller's cache in a
    fresh folder too (so the figure is that of a fresh clone)."""
    dist = tmp_path_factory.mktemp("dist")
    env = dict(os.environ)
    env["PYINSTALLER_CONFIG_DIR"] = str(tmp_path_factory.mktemp("pyinstaller-cache"))
    started = time.perf_counter()
    run(["make", "--no-print-directory", "dist", f"DIST={dist}"], cwd=ROOT, env=env)
    TIMINGS["make dist (wheel + PyInstaller bundle)"] = time.perf_counter() - started
    wheels = sorted(dist.glob("allervers_desktop-*.whl"))
    assert len(wheels) == 1, wheels
    bundle = dist / "allervers"
    return Built(wheel=wheels[0], bundle=bundle, executable=bundle / "allervers")
