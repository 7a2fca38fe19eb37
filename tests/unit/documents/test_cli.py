"""Command line: attendance, print, certificates and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.services.attendance import attendance_grid
from tests.unit.documents.conftest import pdf_pages, png


def run(database: Database, *args: str) -> int:
    return main(["--db", database.target, *args])


def test_attendance_all_then_mark_then_show(demo_database, capsys):
    assert run(demo_database, "attendance", "1", "--all", "present") == 0
    assert "40 saisie(s) passée(s) à « présent »" in capsys.readouterr().out
    assert run(demo_database, "attendance", "1", "--mark", "1", "2023-09-26", "pm", "absent") == 0
    assert "MULLER Hélène, 26/09/2023 après-midi : absent." in capsys.readouterr().out
    code = run(
        demo_database, "attendance", "1", "--mark", "2", "2023-09-25", "am", "excused",
        "--reason", "médecin",
    )  # fmt: skip
    assert code == 0
    assert run(demo_database, "attendance", "1", "--clear", "3", "2023-09-25", "am") == 0
    capsys.readouterr()
    assert run(demo_database, "attendance", "1") == 0
    out = capsys.readouterr().out
    assert "MULLER Hélène" in out and "10 h 30 / 14 h" in out
    assert "Taux de présence du groupe : 95 %." in out  # 37 of 39 recorded cells attended
    with demo_database.session() as session:
        grid = attendance_grid(session, 1)
    row = next(r for r in grid.rows if r.name == "SCHNEIDER Loïc")
    assert row.cell(grid.columns[0].half_day_id).reason == "médecin"


def test_attendance_all_for_one_half_day_only_empty(demo_database, capsys):
    args = ["attendance", "1", "--all", "absent", "--date", "2023-09-25", "--period", "am"]
    assert run(demo_database, *args) == 0
    assert "10 saisie(s)" in capsys.readouterr().out
    assert run(demo_database, "attendance", "1", "--all", "present", "--only-empty") == 0
    assert "30 saisie(s)" in capsys.readouterr().out


def test_attendance_errors_are_one_french_line(demo_database, capsys):
    assert run(demo_database, "attendance", "1", "--mark", "1", "2023-09-27", "am", "present") == 1
    assert "n'a pas de séance le 27/09/2023" in capsys.readouterr().err
    assert run(demo_database, "attendance", "1", "--mark", "11", "2023-09-25", "am", "present") == 1
    assert "BECKER Jérôme n'est pas inscrit(e) à ce groupe" in capsys.readouterr().err
    assert run(demo_database, "attendance", "1", "--mark", "1", "2023-09-25", "am", "ici") == 1
    assert "Statut inconnu" in capsys.readouterr().err
    assert run(demo_database, "attendance", "1", "--date", "2023-09-25") == 1
    assert "ne s'emploient qu'avec --all" in capsys.readouterr().err
    assert run(demo_database, "attendance", "99") == 1
    assert "Aucun groupe ne porte le numéro 99." in capsys.readouterr().err


def test_print_attestations_and_the_log(demo_database, tmp_path, capsys):
    run(demo_database, "attendance", "1", "--all", "present")
    out_dir = tmp_path / "attestations"
    code = run(
        demo_database, "print", "attestation", "--group", "1", "--out-dir", str(out_dir),
        "--issued-on", "2023-09-27",
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "10 document(s), 10 page(s) ; n° ATT-2023-0001 à ATT-2023-0010." in out
    assert (out_dir / "Attestation - MULLER Hélène - Groupe 1.pdf").exists()
    single = tmp_path / "muller.pdf"
    code = run(
        demo_database, "print", "attestation", "--group", "1", "--participant", "1",
        "--out", str(single), "--issued-on", "2023-09-28",
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr()
    assert "n° ATT-2023-0006 à ATT-2023-0006" in printed.out
    # A reprint keeps the date it was issued with: the new date applies to new documents only.
    assert "a été délivré(e) le 27/09/2023 ; la réimpression garde cette date" in printed.err
    assert "Fait à Strasbourg, le 27/09/2023" in pdf_pages(single)[0]
    assert run(demo_database, "certificates", "--group", "1") == 0
    log = capsys.readouterr().out
    assert "ATT-2023-0006  Attestation de présence  MULLER Hélène" in log
    assert log.count("ATT-2023-") == 10
    assert "27/09/2023 (antidaté)  valide" in log


def test_print_reports_who_gets_nothing(demo_database, tmp_path, capsys):
    code = run(
        demo_database, "print", "realisation", "--group", "2", "--out", str(tmp_path / "r.pdf")
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "allervers : erreur : Aucun document à produire (certificat de réalisation)." in err
    assert "BECKER Jérôme : aucune présence saisie, pas de certificat." in err
    assert not (tmp_path / "r.pdf").exists()


def test_print_other_documents(demo_database, tmp_path, capsys):
    sheet = tmp_path / "emargement.pdf"
    assert run(demo_database, "print", "signin", "--group", "2", "--out", str(sheet)) == 0
    assert "BECKER Jérôme" in pdf_pages(sheet)[0]
    letters = tmp_path / "convocations.pdf"
    assert (
        run(
            demo_database,
            "print",
            "convocation",
            "--group",
            "2",
            "--issued-on",
            "2023-10-02",
            "--out",
            str(letters),
        )
        == 0
    )
    assert len(pdf_pages(letters)) == 22  # 11 letters of two pages (objectives, programme)
    course = tmp_path / "fiche.pdf"
    assert run(demo_database, "print", "course-sheet", "--course", "1", "--out", str(course)) == 0
    assert "FICHE TECHNIQUE" in pdf_pages(course)[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print", "course-sheet", "--out", "x.pdf"], "course-sheet demande --course ID."),
        (["print", "attestation", "--out", "x.pdf"], "attestation demande --group ID."),
        (
            ["print", "attestation", "--group", "1", "--blank", "--out", "x.pdf"],
            "ne s'appliquent qu'à signin",
        ),
    ],
)
def test_print_option_mistakes(demo_database, capsys, args, message):
    assert run(demo_database, *args) == 1
    assert message in capsys.readouterr().err


def test_settings_show_and_set(demo_database, tmp_path, capsys):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    code = run(
        demo_database, "settings", "--organisation", "Opco Santé", "--address",
        "2 rue de Rome\\n67300 Schiltigheim", "--signatory", "Aurore JOANNES",
        "--signatory-title", "Chargée de mission", "--city", "Strasbourg", "--logo", str(logo),
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "Adresse : 2 rue de Rome, 67300 Schiltigheim" in out
    assert "Logo : logo.png" in out
    assert run(demo_database, "settings", "--no-logo", "--city", "Metz") == 0
    out = capsys.readouterr().out
    assert "Fait à : Metz" in out and "Logo : (vide)" in out
    assert "Organisme : Opco Santé" in out
    text = tmp_path / "notes.txt"
    text.write_text("pas une image", encoding="utf-8")
    assert run(demo_database, "settings", "--signature", str(text)) == 1
    assert "n'est pas une image PNG, JPEG, GIF ou BMP" in capsys.readouterr().err


def test_certificate_log_of_a_new_database(tmp_path: Path, capsys) -> None:
    assert main(["--db", str(tmp_path / "vide.sqlite3"), "certificates"]) == 0
    assert "(aucun)" in capsys.readouterr().out


def test_print_a_convocation_dated_after_the_first_day_is_refused(demo_database, tmp_path, capsys):
    letters = tmp_path / "convocations.pdf"
    code = run(
        demo_database, "print", "convocation", "--group", "2", "--issued-on", "2023-10-17",
        "--out", str(letters),
    )  # fmt: skip
    assert code == 1
    assert capsys.readouterr().err == (
        "allervers : erreur : Une convocation ne peut pas être datée du 17/10/2023, après la "
        "première journée du groupe « Groupe 2 » (16/10/2023).\n"
    )
    assert not letters.exists()


def test_printed_certificate_carries_the_provider_edited_on_the_command_line(
    demo_database, tmp_path, capsys
):
    assert run(demo_database, "attendance", "1", "--all", "present") == 0
    assert run(demo_database, "provider", "1", "--representative", "Paul ROTH") == 0
    path = tmp_path / "cr.pdf"
    code = run(
        demo_database, "print", "realisation", "--group", "1", "--participant", "1",
        "--issued-on", "2023-09-27", "--out", str(path),
    )  # fmt: skip
    assert code == 0
    text = pdf_pages(path)[0]
    assert "Je soussigné(e) Paul ROTH, représentant légal du dispensateur" in text
    assert "SIRET 123 456 782 00010 – NDA 44 67 99999 67" in text
