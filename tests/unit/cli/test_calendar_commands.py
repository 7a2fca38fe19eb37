"""``allervers calendar``: the file written, read back, and the French refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", database.target, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_group_calendar_written(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "groupe 2.ics"
    code, out, err = run(capsys, demo_database, "calendar", "--group", "2", "--out", str(target))
    assert (code, err) == (0, "")
    assert out == f"4 demi-journée(s) exportée(s) dans « {target} ».\n"
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert {str(e["LOCATION"]) for e in events} == {"Salle de l'Arsenal — 3 avenue Ney, 57000 Metz"}


def test_whole_and_trainer_calendars(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, demo_database, "calendar", "--out", str(tmp_path / "a.ics"))[0] == 0
    assert len(Calendar.from_ical((tmp_path / "a.ics").read_bytes()).walk("VEVENT")) == 8
    code, out, _ = run(
        capsys, demo_database, "calendar", "--trainer", "3", "--out", str(tmp_path / "t.ics")
    )
    assert code == 0
    assert out.startswith("4 demi-journée(s)")


def test_refusals(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, demo_database, "calendar", "--group", "42", "--out", str(tmp_path / "x.ics")
    )
    assert (code, err) == (1, "allervers : erreur : Aucun groupe ne porte le numéro 42.\n")
    code, _, err = run(
        capsys, demo_database, "calendar", "--trainer", "42", "--out", str(tmp_path / "t.ics")
    )
    assert (code, err) == (1, "allervers : erreur : Aucun intervenant ne porte le numéro 42.\n")
    missing = tmp_path / "nulle part" / "t.ics"
    code, _, err = run(capsys, demo_database, "calendar", "--out", str(missing))
    assert code == 1
    assert f"Le dossier « {missing.parent} » n'existe pas." in err
    assert not missing.parent.exists()
