"""Command line: ``allervers import``, ``export``, ``imports`` and ``undo-import``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from tests.unit.excel.conftest import LISTS, snapshot


def run(database: Database, *args: str) -> int:
    return main(["--db", database.target, *args])


def test_import_json_has_the_documented_keys(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(demo_database, "import", str(LISTS / "employeur-lignes-de-titre.xlsx"), "--json")
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert {
        "created",
        "updated",
        "enrolled",
        "waitlisted",
        "unchanged",
        "skipped",
        "warnings",
    } <= set(result)
    assert (result["created"], result["updated"], result["enrolled"]) == (3, 0, 0)
    assert (result["waitlisted"], result["unchanged"]) == (0, 1)
    assert result["skipped"] == [
        {"row": 10, "reason": "nom manquant"},
        {"row": 11, "reason": "adresse e-mail « hugo.blanc@@foyer » non valide"},
        {"row": 13, "reason": "ligne de total (« Total : 5 inscrits »), pas un participant"},
    ]
    assert {"row": 9, "message": "même personne que la ligne 5 : lignes fusionnées"} in (
        result["warnings"]
    )
    assert isinstance(result["batch_id"], int)


def test_import_with_group_sheet_and_summary(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        demo_database,
        "import",
        str(LISTS / "organisme-sessions.ods"),
        "--sheet",
        "Inscriptions",
        "--group",
        "2",
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        "Fichier « organisme-sessions.ods », feuille « Inscriptions », en-tête en ligne 1.",
        "1 participant créé, 0 participant mis à jour, 3 inscriptions, "
        "0 ligne inchangée, 0 ligne ignorée.",
    ]
    assert "(pour l'annuler : allervers undo-import 1)" in out


def test_dry_run_writes_nothing_and_second_import_says_so(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(demo_database)
    assert run(demo_database, "import", str(LISTS / "conflits.xlsx"), "--dry-run", "--json") == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True and dry["created"] == 0
    assert [c["field"] for c in dry["conflicts"]] == ["phone", "job_title", "employer_id", "email"]
    assert dry["lookalikes"] == [
        {
            "row": 5,
            "participant_id": 4,
            "name": "WEBER Céline",
            "existing_email": "celine.weber@exemple.fr",
            "incoming_email": "celine.weber@nouvelle-adresse.fr",
            "same_person": True,
        }
    ]
    assert snapshot(demo_database) == before
    assert run(demo_database, "import", str(LISTS / "conflits.xlsx")) == 0
    first = capsys.readouterr().out
    assert "Même personne ? (--different-person ID : une nouvelle fiche) :" in first
    assert "ressemble à la fiche n° 4 (« celine.weber@exemple.fr ») : même personne" in first
    assert "Conflits :" in first
    assert "  ligne 2 : MULLER Hélène — Téléphone : « 03 88 10 20 30 » dans la base" in first
    assert run(demo_database, "import", str(LISTS / "conflits.xlsx"), "--json") == 0
    again = json.loads(capsys.readouterr().out)
    assert again["already_imported"] is True
    assert again["message"].startswith("Ce fichier a déjà été importé le ")
    assert (again["created"], again["updated"], again["enrolled"]) == (0, 0, 0)


def test_history_and_undo(demo_database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    run(demo_database, "import", str(LISTS / "capacite.xlsx"), "--group", "1")
    capsys.readouterr()
    assert run(demo_database, "imports", "--json") == 0
    history = json.loads(capsys.readouterr().out)
    assert [(h["id"], h["file_name"], h["status"]) for h in history] == [
        (1, "capacite.xlsx", "applied")
    ]
    assert run(demo_database, "undo-import", "1", "--dry-run") == 0
    assert capsys.readouterr().out.startswith("L'annulation de l'import n° 1 supprimera 8")
    assert run(demo_database, "undo-import", "1") == 0
    assert capsys.readouterr().out == (
        "Import n° 1 annulé : 8 participant(s) et 8 inscription(s) supprimés, "
        "0 fiche(s) rétablie(s).\n"
    )
    assert run(demo_database, "undo-import", "1") == 1
    assert "Cet import a déjà été annulé." in capsys.readouterr().err
    assert run(demo_database, "imports") == 0
    assert "Annulé le" in capsys.readouterr().out


def test_unknown_group_exits_1(demo_database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(demo_database, "import", str(LISTS / "capacite.xlsx"), "--group", "99") == 1
    assert "Aucun groupe ne porte le numéro 99." in capsys.readouterr().err


def test_export_commands(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "groupe.xlsx"
    assert run(demo_database, "export", str(roster), "--group", "1") == 0
    assert capsys.readouterr().out == f"Fichier « {roster} » écrit : 1 feuille, 10 lignes.\n"
    course = tmp_path / "formation.xlsx"
    assert run(demo_database, "export", str(course), "--course", "1", "--json") == 0
    assert json.loads(capsys.readouterr().out)["sheets"] == [
        "Synthèse",
        "Groupe 1 Strasbourg",
        "Groupe 2 Metz",
    ]
    directory = tmp_path / "annuaire.xlsx"
    assert run(demo_database, "export", str(directory), "--participants") == 0
    assert openpyxl.load_workbook(directory).sheetnames == ["Participants"]
    assert run(demo_database, "export", str(tmp_path / "x.csv"), "--participants") == 1
    assert "doit avoir l'extension .xlsx" in capsys.readouterr().err


def test_the_installed_command_runs_import(demo_database: Database) -> None:
    """The real entry point, in a separate process, exit code included."""
    demo_database.close()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "allervers_desktop",
            "--db",
            demo_database.target,
            "import",
            str(LISTS / "liste-utf8-bom.csv"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["created"] == 2
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "allervers_desktop",
            "--db",
            demo_database.target,
            "import",
            str(LISTS.parent / "bad" / "protege.xlsx"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "protégé par un mot de passe" in bad.stderr


def test_excel_commands_keep_heavy_imports_out_of_start_up() -> None:
    heavy = "('openpyxl', 'python_calamine', 'allervers_desktop.excel.importer')"
    code = (
        "import sys, allervers_desktop.cli as c; c.build_parser(); "
        f"print(sorted(m for m in {heavy} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_row_refused_is_said_plainly(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "refusees.csv"
    path.write_text("Nom;Prénom\n" + f"{'X' * 150};Anne\n" + ";Sans nom\n", encoding="utf-8")
    before = snapshot(demo_database)
    assert run(demo_database, "import", str(path)) == 0
    out = capsys.readouterr().out
    assert (
        "Aucun participant importé : les 2 lignes du fichier ont été refusées (motifs "
        "ci-dessous), rien n'a été écrit."
    ) in out
    assert "déjà dans la base" not in out
    assert "ligne 2 : « Nom » trop long (150 caractères, 100 au plus)" in out
    assert snapshot(demo_database) == before
    path.write_text("Nom;Prénom\nMULLER;Hélène\n" + f"{'X' * 150};Anne\n", encoding="utf-8")
    assert run(demo_database, "import", str(path), "--group", "1") == 0
    out = capsys.readouterr().out
    assert (
        "Aucune modification : 1 ligne déjà dans la base, 1 ligne refusée (motifs "
        "ci-dessous), rien n'a été écrit."
    ) in out


def test_a_lookalike_can_be_said_another_person(
    demo_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(LISTS / "conflits.xlsx")
    assert run(demo_database, "import", path, "--different-person", "4", "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["created"] == 1
    assert [look["same_person"] for look in result["lookalikes"]] == [False]
