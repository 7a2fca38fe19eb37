"""Every form and dialog fits a 1366×768 laptop screen, at 100 % and at 150 %, buttons visible."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIALOGS = [
    "course_new",
    "course_edit",
    "group_edit",
    "participant_new",
    "trainer_new",
    "provider_edit",
    "settings",
    "issue_date",
    "enroll",
    "import_wizard",
    "employers",
    "employer_edit",
    "duplicates",
    "conflicts",
    "transfer_choice",
    "merge",
    "mail_settings",
    "mail_templates",
    "mail_send",
    "outbox",
    "reminders",
    "costs",
    "complaints",
]


def laptop_screen(tmp_path: Path) -> str:
    """The offscreen platform's JSON config (Qt 6.5+): one 1366×768 screen at 96 dpi."""
    config = tmp_path / "screen.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


@pytest.fixture(scope="module", params=["1", "1.5"], ids=["100%", "150%"])
def report(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    tmp_path = tmp_path_factory.mktemp(f"scale{request.param}")
    env = dict(os.environ, QT_QPA_PLATFORM=laptop_screen(tmp_path))
    env["QT_SCALE_FACTOR"] = request.param
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_fit_probe", str(tmp_path / "db.sqlite3")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    data["scale"] = request.param
    return data


def test_the_virtual_screen_is_a_laptop(report: dict[str, Any]) -> None:
    expected = [1366, 768] if report["scale"] == "1" else [911, 512]
    assert report["screen"] == expected


@pytest.mark.parametrize("name", DIALOGS)
def test_dialog_fits_with_its_buttons_visible(report: dict[str, Any], name: str) -> None:
    assert report[name]["problems"] == [], report[name]
    width, height = report[name]["size"]
    assert width <= report["screen"][0] and height <= report["screen"][1]
