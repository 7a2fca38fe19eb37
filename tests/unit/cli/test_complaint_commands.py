"""The ``complaint`` command: add, list, close, export; exit codes and French errors."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", database.target, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_close_list_export(
    capsys: pytest.CaptureFixture[str], database: Database, tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, database, "complaint", "add", "--date", "27/09/2024", "--source", "stagiaire",
        "--description", "Salle trop petite", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    complaint_id = json.loads(out)["id"]
    code, out, err = run(
        capsys, database, "complaint", "close", str(complaint_id), "--date", "05/10/2024",
        "--action", "Autre salle",
    )  # fmt: skip
    assert (code, err, out) == (0, "", f"Réclamation n° {complaint_id} close le 05/10/2024.\n")
    code, out, err = run(capsys, database, "complaint", "list", "--status", "close", "--json")
    assert [(r["status"], r["closed_on"], r["action_taken"]) for r in json.loads(out)] == [
        ("closed", "2024-10-05", "Autre salle")
    ]
    code, out, err = run(capsys, database, "complaint", "list", "--status", "ouverte", "--json")
    assert json.loads(out) == []
    target = tmp_path / "registre.xlsx"
    code, out, err = run(capsys, database, "complaint", "export", "--out", str(target))
    assert (code, err) == (0, "") and "1 réclamation(s) exportée(s)" in out
    values = [c for row in openpyxl.load_workbook(target).active.iter_rows(values_only=True)
              for c in row]  # fmt: skip
    assert "Salle trop petite" in values and "Autre salle" in values


def test_errors(capsys: pytest.CaptureFixture[str], database: Database) -> None:
    code, _out, err = run(capsys, database, "complaint", "close", "3")
    assert (code, err) == (1, "allervers : erreur : Aucune réclamation ne porte le numéro 3.\n")
    code, _out, err = run(
        capsys, database, "complaint", "add", "--source", "voisin", "--description", "Bruit"
    )
    assert code == 1 and "Origine inconnue « voisin »" in err
    code, _out, err = run(capsys, database, "complaint", "list", "--status", "finie")
    assert code == 1 and "Statut inconnu « finie »" in err
