"""``allervers privacy …`` driven through ``allervers_desktop.cli.main`` and one subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from tests.unit.excel.conftest import snapshot
from tests.unit.privacy.conftest import KEPT_UNTIL, group_people, hours_per_group, short


def run(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", db.target, "privacy", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> Any:
    code, out, err = run(capsys, db, *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def test_dry_run_then_purge(aged_database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(aged_database)
    hours = hours_per_group(aged_database)
    dry = run_json(capsys, aged_database, "purge", "--dry-run")
    assert snapshot(aged_database) == before
    assert dry["applied"] is False
    assert dry["counts"]["anonymised"] == len(group_people(aged_database, 2))
    assert dry["counts"]["contacts_erased"] == len(group_people(aged_database, 1))
    assert {p["name"] for p in dry["people"]} >= {"MULLER Hélène", "BECKER Jérôme"}
    done = run_json(capsys, aged_database, "purge")
    assert done["applied"] is True
    assert done["people"] == dry["people"]
    assert {k: done["counts"][k] for k in dry["counts"] if k != "history_records"} == {
        k: v for k, v in dry["counts"].items() if k != "history_records"
    }
    assert hours_per_group(aged_database) == hours
    code, out, err = run(capsys, aged_database, "purge", "--dry-run")
    assert (code, err) == (0, "")
    assert out == "Rien à purger : aucune donnée n'a dépassé sa durée de conservation.\n"
    [entry] = run_json(capsys, aged_database, "log")
    assert entry["action"] == "purge" and entry["counts"]["anonymised"] == 11
    assert "MULLER" not in json.dumps(entry, ensure_ascii=False)


def test_erase_asks_for_yes_then_limits(
    aged_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    person = group_people(aged_database, 1)[0]
    before = snapshot(aged_database)
    code, out, err = run(capsys, aged_database, "erase", str(person))
    assert code == 1
    assert err == "allervers : erreur : rien n'a été effacé : ajoutez --yes pour confirmer.\n"
    assert "seules les coordonnées de MULLER Hélène" in out
    assert snapshot(aged_database) == before
    code, out, err = run(capsys, aged_database, "erase", str(person), "--yes")
    assert (code, err) == (0, "")
    assert out == (
        "Les feuilles d'émargement et attestations de cette personne doivent être conservées "
        f"jusqu'au {short(KEPT_UNTIL)} : seules ses coordonnées ont été effacées.\n"
    )
    code, out, err = run(capsys, aged_database, "erase", str(person), "--yes")
    assert code == 1 and out == ""
    assert "ses coordonnées ont déjà été effacées le " in err
    code, _out, err = run(capsys, aged_database, "erase", "999", "--yes")
    assert (code, err) == (1, "allervers : erreur : Aucun participant ne porte le numéro 999.\n")
    code, out, _err = run(capsys, aged_database, "log")
    assert code == 0 and "Effacement" in out and "MULLER" not in out


def test_export_writes_both_files(
    aged_database: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "export"
    out_dir.mkdir()
    paths = run_json(capsys, aged_database, "export", "1", "--out", str(out_dir))
    data = json.loads(Path(paths["json"]).read_text(encoding="utf-8"))
    assert data["participant"]["email"] == "helene.muller@exemple.fr"
    workbook = load_workbook(paths["xlsx"], read_only=True)
    try:
        rows = list(workbook["Inscriptions"].iter_rows(values_only=True))
        assert any("Groupe 1" in row for row in rows)
    finally:
        workbook.close()
    code, _out, err = run(capsys, aged_database, "export", "1", "--out", str(tmp_path / "no"))
    assert code == 1 and "n'existe pas" in err


def test_rules_shown_and_changed(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, database, "rules") == {
        "documents_years": 6,
        "contacts_years": 3,
        "imports_months": 12,
        "log_years": 6,
    }
    code, out, err = run(capsys, database, "rules", "--documents-years", "10")
    assert (code, err) == (0, "")
    assert "10 ans" in out and "Durées de conservation enregistrées." in out
    code, _out, err = run(capsys, database, "rules", "--contacts-years", "0")
    assert code == 1
    assert err == (
        "allervers : erreur : « Coordonnées des personnes sans activité » : entre 1 et 10 ans.\n"
    )
    assert run_json(capsys, database, "rules")["documents_years"] == 10


def test_purge_as_a_separate_process(aged_database: Database) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "allervers_desktop", "--db", aged_database.target),
            *("privacy", "purge", "--dry-run"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("La purge ferait : 11 participant(s) anonymisé(s), 10 dont ")
    assert lines[-1] == "Simulation : rien n'a été modifié."
