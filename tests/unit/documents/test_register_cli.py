"""Command line: reprint / --reissue, the register, signed sheets and the « Contrôle »."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import update

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import TrainingProvider
from allervers_desktop.services.signed_sheets import MAX_SHEET_BYTES
from tests.conftest import TEST_NOW
from tests.unit.documents.conftest import pdf_pages, png

YEAR = TEST_NOW.date().year
PDF_SCAN = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def run(database: Database, *args: str) -> int:
    return main(["--db", database.target, *args])


def test_reprint_then_reissue_from_the_command_line(demo_database, tmp_path, capsys):
    run(demo_database, "attendance", "1", "--all", "present")
    first = tmp_path / "premier.pdf"
    assert run(demo_database, "print", "attestation", "--group", "1", "--participant", "1",
               "--out", str(first)) == 0  # fmt: skip
    capsys.readouterr()
    run(demo_database, "attendance", "1", "--mark", "1", "2023-09-26", "pm", "absent")
    capsys.readouterr()
    again = tmp_path / "second.pdf"
    assert run(demo_database, "print", "attestation", "--group", "1", "--participant", "1",
               "--out", str(again)) == 0  # fmt: skip
    err = capsys.readouterr().err
    assert "allervers : note : 1 document(s) réimprimé(s) à l'identique" in err
    assert f"MULLER Hélène : ATT-{YEAR}-0001 (heures : 14 h → 10 h 30, présences)" in err
    assert "Relancez avec --reissue" in err
    assert pdf_pages(again) == pdf_pages(first)
    corrected = tmp_path / "corrige.pdf"
    assert run(demo_database, "print", "attestation", "--group", "1", "--participant", "1",
               "--out", str(corrected), "--reissue") == 0  # fmt: skip
    out = capsys.readouterr()
    assert f"n° ATT-{YEAR}-0002" in out.out
    page = pdf_pages(corrected)[0]
    assert f"Annule et remplace le n° ATT-{YEAR}-0001" in page
    assert "Durée suivie : 10 h 30 sur 14 h prévues" in page
    assert run(demo_database, "documents", "--group", "1", "--json") == 0
    entries = json.loads(capsys.readouterr().out)
    assert [(e["number"], e["state"], e["replaces"], e["replaced_by"]) for e in entries] == [
        (f"ATT-{YEAR}-0001", "cancelled", None, f"ATT-{YEAR}-0002"),
        (f"ATT-{YEAR}-0002", "valid", f"ATT-{YEAR}-0001", None),
    ]
    assert [e["hours_attended"] for e in entries] == [14, 10.5]
    assert entries[1]["issued_on"] == TEST_NOW.date().isoformat()
    assert entries[1]["participant"] == "MULLER Hélène" and entries[1]["kind"] == "attestation"
    assert run(demo_database, "documents") == 0
    table = capsys.readouterr().out
    assert "annulé" in table and "valide" in table


def test_issue_date_must_not_be_in_the_future(demo_database, tmp_path, capsys):
    run(demo_database, "attendance", "1", "--all", "present")
    tomorrow = (TEST_NOW.date() + dt.timedelta(days=1)).isoformat()
    out = tmp_path / "a.pdf"
    assert run(demo_database, "print", "attestation", "--group", "1", "--out", str(out),
               "--issue-date", tomorrow) == 1  # fmt: skip
    assert "ne peut pas être postérieure à aujourd'hui" in capsys.readouterr().err
    assert not out.exists()
    assert run(demo_database, "print", "signin", "--group", "1", "--out", str(out),
               "--reissue") == 1  # fmt: skip
    assert "ne s'applique qu'aux attestations et certificats" in capsys.readouterr().err


def test_sheets_attach_and_list(demo_database, tmp_path, capsys):
    scan = tmp_path / "lundi signé.pdf"
    scan.write_bytes(PDF_SCAN)
    photo = tmp_path / "mardi.png"
    photo.write_bytes(png())
    assert run(demo_database, "sheets", "attach", "1", "2023-09-25", str(scan)) == 0
    assert "Feuille signée « lundi signé.pdf » (1 Ko) jointe au 25/09/2023" in (
        capsys.readouterr().out
    )
    assert run(demo_database, "sheets", "attach", "1", "2023-09-26", str(photo)) == 0
    capsys.readouterr()
    assert run(demo_database, "sheets", "list", "1", "--json") == 0
    sheets = json.loads(capsys.readouterr().out)
    assert [(s["date"], s["file_name"], s["media_type"]) for s in sheets] == [
        ("2023-09-25", "lundi signé.pdf", "application/pdf"),
        ("2023-09-26", "mardi.png", "image/png"),
    ]
    assert sheets[0]["size"] == len(PDF_SCAN)
    assert run(demo_database, "sheets", "list", "1") == 0
    assert "lundi signé.pdf" in capsys.readouterr().out


def test_sheets_refusals_are_french_and_store_nothing(demo_database, tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("pas un scan", encoding="utf-8")
    assert run(demo_database, "sheets", "attach", "1", "2023-09-25", str(text)) == 1
    assert "n'est ni un PDF ni une image (PNG, JPEG, TIFF)" in capsys.readouterr().err
    empty = tmp_path / "vide.pdf"
    empty.write_bytes(b"")
    assert run(demo_database, "sheets", "attach", "1", "2023-09-25", str(empty)) == 1
    assert "est vide" in capsys.readouterr().err
    big = tmp_path / "enorme.pdf"
    with big.open("wb") as handle:
        handle.write(b"%PDF-1.4\n")
        handle.truncate(MAX_SHEET_BYTES + 1)
    assert run(demo_database, "sheets", "attach", "1", "2023-09-25", str(big)) == 1
    assert "est trop lourd : 20 Mo au plus" in capsys.readouterr().err
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF_SCAN)
    assert run(demo_database, "sheets", "attach", "1", "2023-09-27", str(scan)) == 1
    assert "n'a pas de séance le 27/09/2023" in capsys.readouterr().err
    assert run(demo_database, "sheets", "attach", "1", "2023-09-25", str(tmp_path / "x.pdf")) == 1
    assert "ne peut pas être lu : fichier ou dossier introuvable" in capsys.readouterr().err
    assert run(demo_database, "sheets", "list", "1", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_check_lists_what_a_funder_would_flag(demo_database, tmp_path, capsys):
    database = demo_database
    run(database, "attendance", "1", "--all", "present")
    scan = tmp_path / "lundi.pdf"
    scan.write_bytes(PDF_SCAN)
    run(database, "sheets", "attach", "1", "2023-09-25", str(scan))
    run(database, "print", "realisation", "--group", "1", "--participant", "1",
        "--out", str(tmp_path / "cr.pdf"))  # fmt: skip
    run(database, "attendance", "1", "--mark", "1", "2023-09-26", "pm", "absent")
    capsys.readouterr()
    assert run(database, "check", "1") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "26/09/2023 matin : présences saisies, mais aucune feuille d'émargement signée n'est "
        "jointe pour ce jour.",
        "26/09/2023 après-midi : présences saisies, mais aucune feuille d'émargement signée "
        "n'est jointe pour ce jour.",
        f"MULLER Hélène : 10 h 30 sur la grille des présences, 14 h sur le certificat de "
        f"réalisation n° CR-{YEAR}-0001.",
        f"MULLER Hélène : CR-{YEAR}-0001 délivré(e) avant une modification des données "
        "(heures : 14 h → 10 h 30, présences) : réémettez une version corrigée.",
    ]
    assert run(database, "check", "1", "--json") == 0
    findings = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in findings] == [
        "sheet_missing",
        "sheet_missing",
        "hours_differ",
        "data_changed",
    ]
    assert findings[0]["date"] == "2023-09-26"
    assert findings[2]["number"] == f"CR-{YEAR}-0001"
    assert run(database, "check", "99") == 1
    assert "Aucun groupe ne porte le numéro 99." in capsys.readouterr().err


def test_check_of_a_group_in_order(demo_database, capsys):
    assert run(demo_database, "check", "2") == 0  # no attendance recorded yet
    assert capsys.readouterr().out == "Aucun point à signaler.\n"
    with demo_database.transaction() as session:
        session.execute(update(TrainingProvider).values(address="", siret=""))
    assert run(demo_database, "check", "2") == 0
    assert capsys.readouterr().out == (
        "Organisme de formation « PRAXIS » : SIRET non renseigné(e).\n"
        "Organisme de formation « PRAXIS » : adresse non renseigné(e).\n"
    )


def test_documents_of_an_unknown_group(demo_database, capsys, tmp_path: Path):
    assert run(demo_database, "documents", "--group", "42") == 1
    assert "Aucun groupe ne porte le numéro 42." in capsys.readouterr().err
