"""Fonts: embedded in every PDF, and every French character extracts back as written."""

from __future__ import annotations

import unicodedata
from typing import Any

from pypdf import PdfReader

from allervers_desktop.documents.batch import DocumentRequest, export_documents
from allervers_desktop.documents.fonts import prepare_fonts
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.resources import FONT_FILES, font
from allervers_desktop.services.courses import CourseData, create_course
from tests.unit.documents.conftest import pdf_pages

FRENCH = "Œuvre « ça », l’élève à l’été : où, déjà, naïf, cœur, Noël, fiançailles, efficace"


def test_font_files_ship_with_their_licence():
    for name in FONT_FILES:
        assert len(font(name).read_bytes()) > 100_000
    assert "Apache License" in font("LICENSE-Roboto.txt").read_text(encoding="utf-8")
    assert prepare_fonts() == "Roboto"


def test_french_characters_render_and_extract_back(database, tmp_path):
    with database.transaction() as session:
        course = create_course(
            session,
            CourseData(
                title=FRENCH,
                module="Module « Œdipe » — l’être et le paraître",
                context="Première ligne : « Aller vers », c’est-à-dire hors les murs.",
                objectives=["Déceler l’œuvre", "Être à l’écoute, réfléchir ensemble"],
            ),
        )
        course_id = course.id
    path = tmp_path / "fiche.pdf"
    export_documents(
        database, DocumentRequest(DocumentKind.COURSE_SHEET, course_id=course_id), path
    )
    text = " ".join(pdf_pages(path))
    assert unicodedata.normalize("NFC", text) == text
    for expected in (
        FRENCH,  # ligatures (fi, ffi) are turned off, so words extract as typed
        "Module « Œdipe » — l’être et le paraître",
        "Première ligne : « Aller vers », c’est-à-dire hors les murs.",
        "Déceler l’œuvre",
        "Être à l’écoute, réfléchir ensemble",
    ):
        assert expected in text, expected
    assert "\t" not in PdfReader(str(path)).pages[0].extract_text()


def test_fonts_are_embedded_subsets_of_roboto(identity_database, tmp_path):
    path = tmp_path / "emargement.pdf"
    export_documents(identity_database, DocumentRequest(DocumentKind.SIGNIN, group_id=1), path)
    reader = PdfReader(str(path))
    resources: Any = reader.pages[0]["/Resources"]
    fonts = resources["/Font"]
    names = []
    for reference in fonts.values():
        font = reference.get_object()
        names.append(str(font["/BaseFont"]))
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, "font program embedded"
        assert "/ToUnicode" in font
    assert names and all("Roboto" in name for name in names)
