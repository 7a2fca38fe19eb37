"""Start-up of the window: the application icon and ``allervers --smoke-test``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSize

from allervers_desktop.resources import ICON_SIZES
from allervers_desktop.ui.app import application_icon

ROOT = Path(__file__).resolve().parents[2]


def test_application_icon_has_every_shipped_size(qapp) -> None:
    icon = application_icon()
    assert not icon.isNull()
    assert set(icon.availableSizes()) == {QSize(size, size) for size in ICON_SIZES}


def smoke_test(db: Path | str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("ALLERVERS_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "allervers_desktop", "--db", str(db), "--smoke-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def test_smoke_test_opens_the_real_window_and_counts_rows(demo_database, tmp_path) -> None:
    demo_database.close()
    result = smoke_test(demo_database.target, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Fenêtre ouverte (plateforme offscreen) : Formations 1, Groupes 2, Intervenants 3, "
        f"Participants 21 ; base {demo_database.location}\n"
    )


def test_smoke_test_reports_an_unusable_database(tmp_path) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("ceci n'est pas une base", encoding="utf-8")
    result = smoke_test(bad, tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("allervers : erreur : ")
