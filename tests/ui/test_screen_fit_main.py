"""The main window and the « Feuille de présence » fit a 1366×768 laptop, at 100 % and 150 %.

Qt reads the screen (offscreen QPA ``configfile``) and ``QT_SCALE_FACTOR`` when the application
starts, so each screen is probed in its own process (``tests/ui/screen_probe_main.py``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

from allervers_desktop.ui.view_state import available_geometry, clamp_to_screen

ROOT = Path(__file__).resolve().parents[2]


def screen_config(folder: Path, width: int, height: int) -> Path:
    config = folder / f"screen-{width}x{height}.json"
    screen = {"name": "Écran", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return config


def run_probe(
    folder: Path, width: int, height: int, scale: str, *arguments: str
) -> dict[str, Any]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen_config(folder, width, height)}"
    env["QT_SCALE_FACTOR"] = scale
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_probe_main", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return report


@pytest.mark.parametrize(
    ("scale", "available"), [("1", [0, 0, 1366, 768]), ("1.5", [0, 0, 911, 512])]
)
def test_first_start_fits_a_laptop_screen(tmp_path: Path, scale: str, available) -> None:
    report = run_probe(tmp_path, 1366, 768, scale)
    assert report["available"] == available
    assert report["maximized"]  # a screen up to 1440 px wide: maximised
    for key, tab in report["tabs"].items():
        assert tab["fits"], (key, tab)
        assert tab["status_bar"], key
    session = report["session"]
    assert session["fits"], session
    assert session["names_visible"]
    half_days = session["half_days"]
    assert [h["header"] for h in half_days] == [
        "lun. 25/09 matin",
        "lun. 25/09 après-midi",
        "mar. 26/09 matin",
        "mar. 26/09 après-midi",
    ]
    for half_day in half_days:  # right of the frozen names, inside the viewport
        assert half_day["visible"], (half_day, session)


def test_first_start_on_a_large_screen_is_not_maximised(tmp_path: Path) -> None:
    report = run_probe(tmp_path, 1920, 1080, "1")
    assert not report["maximized"]
    frame = report["tabs"]["courses"]["frame"]
    assert frame[2] <= 1300 and frame[3] <= 820
    assert report["tabs"]["courses"]["fits"]


def test_geometry_saved_on_a_1920_screen_fits_a_1366_one(tmp_path: Path) -> None:
    settings = tmp_path / "settings.ini"
    saved = run_probe(tmp_path, 1920, 1080, "1", "--save-large", str(settings))
    assert saved["frame"][2] > 1366 and not saved["maximized"]
    for scale in ("1", "1.5"):
        report = run_probe(tmp_path, 1366, 768, scale, "--settings", str(settings))
        for key, tab in report["tabs"].items():
            assert tab["fits"], (scale, key, tab)
            assert tab["status_bar"], (scale, key)


def test_clamp_brings_a_window_back_on_the_screen(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    area = available_geometry(widget)
    widget.setGeometry(area.right() - 100, area.bottom() - 50, area.width() + 300, 200)
    clamp_to_screen(widget)
    assert area.contains(widget.frameGeometry())
    assert widget.width() <= area.width() and widget.height() == 200
    widget.setGeometry(QRect(area.x() - 400, area.y() - 300, 300, 200))
    clamp_to_screen(widget)
    assert widget.frameGeometry().topLeft() == area.topLeft()
    assert widget.size().width() == 300
