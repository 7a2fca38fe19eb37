"""Files that cannot be imported: one clear French message each, and an untouched database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.importer import import_file
from allervers_desktop.excel.reading import MAX_FILE_BYTES, MAX_ROWS
from tests.unit.excel.conftest import BAD, LISTS, snapshot

PASSWORD = "protégé par un mot de passe"
DAMAGED = "endommagé ou incomplet (archive tronquée ou corrompue)"
NO_HEADER = "Aucune ligne d'en-tête reconnue dans les 20 premières lignes"

# (file in tests/data/bad, what the message must say)
BAD_FILES = [
    ("vide.xlsx", "Le fichier « vide.xlsx » est vide."),
    ("espaces.csv", "Le fichier « espaces.csv » est vide."),
    ("document-pdf.xlsx", "est un document PDF, pas un tableur."),
    ("image.xls", "est une image, pas un tableur."),
    ("tronque.xlsx", DAMAGED),
    ("tronque.ods", DAMAGED),
    ("corrompu.xlsx", "est endommagé ou n'est pas un tableur lisible"),
    ("document-word.xlsx", "est un document Word, pas un tableur."),
    ("archive.xlsx", "est une archive ZIP, pas un tableur."),
    ("protege.xlsx", PASSWORD),
    ("protege.xls", PASSWORD),
    ("feuille-vide.xlsx", "ne contient aucune donnée (ses feuilles sont vides)."),
    ("sans-en-tete.xlsx", NO_HEADER),
    ("sans-colonne-nom.xlsx", NO_HEADER),
    ("titres-seulement.xlsx", NO_HEADER),
    ("trop-de-lignes.xlsx", "compte plus de 50 000 lignes, la limite d'un import"),
    ("binaire.csv", "n'est ni un tableur ni un fichier CSV lisible (son contenu est binaire)."),
    ("page-web.xls", "est une page web (HTML) et non un vrai classeur"),
    ("xml-2003.xls", "format non pris en charge : enregistrez-le au format .xlsx"),
]


def test_the_bad_corpus_has_at_least_fifteen_kinds() -> None:
    assert len(BAD_FILES) >= 15
    assert {name for name, _ in BAD_FILES} == {path.name for path in BAD.iterdir()}


def test_the_row_limit_is_fifty_thousand() -> None:
    assert MAX_ROWS == 50_000


@pytest.mark.parametrize(("name", "expected"), BAD_FILES)
def test_bad_file_is_refused_with_a_message_and_nothing_written(
    demo_database: Database, name: str, expected: str
) -> None:
    before = snapshot(demo_database)
    with pytest.raises(UnreadableFileError) as caught:
        import_file(demo_database, BAD / name)
    assert expected in caught.value.message
    assert "\n" not in caught.value.message
    assert snapshot(demo_database) == before


@pytest.mark.parametrize(("name", "expected"), BAD_FILES[:6])
def test_command_line_exits_2_on_a_bad_file(
    demo_database: Database,
    capsys: pytest.CaptureFixture[str],
    name: str,
    expected: str,
) -> None:
    before = snapshot(demo_database)
    code = main(["--db", demo_database.target, "import", str(BAD / name), "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert expected in captured.err
    assert captured.err.startswith("allervers : erreur : ")
    assert snapshot(demo_database) == before


def test_missing_file(demo_database: Database, tmp_path: Path) -> None:
    before = snapshot(demo_database)
    with pytest.raises(UnreadableFileError, match="n'existe pas"):
        import_file(demo_database, tmp_path / "absent.xlsx")
    assert snapshot(demo_database) == before


def test_folder_instead_of_file(demo_database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "liste.xlsx"
    folder.mkdir()
    with pytest.raises(UnreadableFileError, match="est un dossier, pas un fichier"):
        import_file(demo_database, folder)


def test_file_too_large(demo_database: Database, tmp_path: Path) -> None:
    big = tmp_path / "enorme.csv"
    with big.open("wb") as handle:  # sparse: takes no room on disk
        handle.truncate(MAX_FILE_BYTES + 1)
    before = snapshot(demo_database)
    with pytest.raises(UnreadableFileError, match=r"trop volumineux \(100 Mo ; la limite est"):
        import_file(demo_database, big)
    assert snapshot(demo_database) == before


def test_unknown_sheet_lists_the_sheets(demo_database: Database) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        import_file(demo_database, LISTS / "organisme-sessions.ods", sheet="Feuil9")
    assert caught.value.message == (
        "Le fichier « organisme-sessions.ods » n'a pas de feuille « Feuil9 » "
        "(feuilles : « Consignes », « Inscriptions »)."
    )


def test_chosen_sheet_without_header(demo_database: Database) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        import_file(demo_database, LISTS / "organisme-sessions.ods", sheet="Consignes")
    assert caught.value.message.startswith(
        f"{NO_HEADER} de la feuille « Consignes » du fichier « organisme-sessions.ods »"
    )


def test_a_spreadsheet_with_a_wrong_extension_is_still_read(
    demo_database: Database, tmp_path: Path
) -> None:
    renamed = tmp_path / "liste.xls"
    shutil.copy(LISTS / "capacite.xlsx", renamed)
    report = import_file(demo_database, renamed, dry_run=True)
    assert report.counts.created == 8
