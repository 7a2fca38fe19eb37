"""Feuille d'émargement: one sheet per day, header on every page, no row split."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from allervers_desktop.db.database import Database
from allervers_desktop.documents.batch import DocumentRequest, export_documents
from allervers_desktop.documents.model import DocumentError, DocumentKind
from tests.unit.documents.conftest import GROUP_1, big_group, pdf_pages


def _print(database: Database, tmp_path: Path, group_id: int, **options: Any) -> list[str]:
    path = tmp_path / "emargement.pdf"
    request = DocumentRequest(DocumentKind.SIGNIN, group_id=group_id, **options)
    result = export_documents(database, request, path)
    assert result.files == [path]
    pages = pdf_pages(path)
    assert result.pages == len(pages)
    return pages


def test_example_group_one_page_per_day(identity_database, tmp_path):
    pages = _print(identity_database, tmp_path, GROUP_1)
    assert len(pages) == 2
    first, second = pages
    for text in (
        "FEUILLE D'ÉMARGEMENT",
        "Lundi 25 septembre 2023",
        "Opco Santé – Délégation Grand Est",
        "La pratique de l'Aller Vers les publics",
        "Module 1 « Aller vers : une nécessaire préparation »",
        "PRAXIS",
        "Groupe 1 – Strasbourg",
        "12 rue du Faubourg National, 67000 Strasbourg",
        "Matin : 9 h 00 – 12 h 30",
        "Après-midi : 13 h 30 – 17 h 00",
        "Chantal CORNIER, Jean-Xavier COUROT",
        "Opco Santé – Fonds mutualisé de Branche – Cofinancement : DGCS",
        "MULLER Hélène",
        "Association Le Relais de l'Ill (Strasbourg)",
        "Signature de l'intervenant(e)",
        "Fait pour valoir ce que de droit.",
        "25/09/2023 – page 1 / 1",
    ):
        assert text in first, text
    assert "Mardi 26 septembre 2023" in second
    assert "26/09/2023 – page 1 / 1" in second
    # Registered and confirmed participants of group 1 only, each once per day.
    for page in pages:
        assert page.count("MULLER Hélène") == 1
        assert "BECKER Jérôme" not in page  # group 2


def _rows(page: str) -> list[int]:
    return [int(number) for number in re.findall(r"(\d+) ŒUVRÉ-\d{3} Zoé", page)]


@pytest.mark.parametrize(
    ("participants", "pages_per_day"),
    [(20, 2), (35, 2), (80, 5)],
)
def test_pagination_repeats_the_header_and_never_splits_a_row(
    identity_database, tmp_path, participants, pages_per_day
):
    group_id = big_group(identity_database, participants)
    pages = _print(identity_database, tmp_path, group_id)
    assert len(pages) == 2 * pages_per_day
    for day, date in enumerate(("11/03/2024", "12/03/2024")):
        sheet = pages[day * pages_per_day : (day + 1) * pages_per_day]
        numbers: list[int] = []
        for index, page in enumerate(sheet, start=1):
            # The full header on every page.
            assert "FEUILLE D'ÉMARGEMENT" in page
            assert "La pratique de l'Aller Vers les publics" in page
            assert f"Groupe {participants} – Nancy" in page
            assert f"{date} – page {index} / {pages_per_day}" in page
            rows = _rows(page)
            numbers += rows
            # A row is whole: its number, name and employer are on the same page.
            for number in rows:
                name = f"ŒUVRÉ-{number:03d} Zoé{number:03d}"
                assert f"{number} {name}" in page
                assert f"Établissement n° {(number - 1) % 7 + 1} (Nancy)" in page
            # The trainers' block ends the last page only, with participants above it.
            last = index == pages_per_day
            assert ("Signature de l'intervenant(e)" in page) is last
            assert ("Fait pour valoir ce que de droit" in page) is last
            assert rows, "no page without participant rows"
        assert numbers == list(range(1, participants + 1))
    # The second day has no afternoon session.
    assert "pas de séance" in pages[pages_per_day]
    assert "pas de séance" not in pages[0]


def test_blank_rows_for_walk_ins(identity_database, tmp_path):
    pages = _print(identity_database, tmp_path, GROUP_1, blank_rows=5, days=(dt.date(2023, 9, 25),))
    assert len(pages) == 1
    assert "MULLER Hélène" in pages[0]
    assert re.search(r"WEBER Céline Foyer Saint-Éloi \(Colmar\) 11 12 13 14 15", pages[0])


def test_blank_sheet_without_participants(identity_database, tmp_path):
    pages = _print(identity_database, tmp_path, GROUP_1, blank_sheet=True)
    assert len(pages) == 2
    assert "MULLER" not in pages[0]
    assert " ".join(str(n) for n in range(1, 16)) in pages[0]
    assert "Chantal CORNIER" in pages[0]


def test_a_day_outside_the_schedule_is_refused(identity_database, tmp_path):
    with pytest.raises(DocumentError, match="pas de séance le 27/09/2023"):
        _print(identity_database, tmp_path, GROUP_1, days=(dt.date(2023, 9, 27),))


def test_a_group_without_days_is_refused(identity_database, tmp_path):
    from allervers_desktop.services.groups import GroupData, create_group

    with identity_database.transaction() as session:
        group = create_group(session, GroupData(course_id=1, label="Groupe 3"))
        group_id = group.id
    with pytest.raises(DocumentError, match="aucune journée planifiée"):
        _print(identity_database, tmp_path, group_id)
