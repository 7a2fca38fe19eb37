"""Batches: one PDF or one file per participant, progress, cancel, worker thread, printer."""

from __future__ import annotations

import threading

import pytest

from allervers_desktop.documents.batch import (
    DocumentRequest,
    export_documents,
    prepare_documents,
    safe_file_name,
    write_documents,
)
from allervers_desktop.documents.model import DocumentError, DocumentKind
from allervers_desktop.documents.render import use_a4
from allervers_desktop.documents.thumbnail import first_page_image, save_first_page_png
from allervers_desktop.files.errors import FileWriteError
from tests.unit.documents.conftest import GROUP_1, ISSUED_ON, pdf_pages

ATTESTATIONS = DocumentRequest(DocumentKind.ATTESTATION, group_id=GROUP_1, issued_on=ISSUED_ON)


def test_one_file_per_participant_named_after_them(attended, tmp_path):
    folder = tmp_path / "attestations"
    result = export_documents(attended.database, ATTESTATIONS, folder, split=True)
    names = sorted(path.name for path in folder.iterdir())
    assert len(names) == 10
    assert "Attestation - MULLER Hélène - Groupe 1.pdf" in names
    assert "Attestation - BAUER Zoé - Groupe 1.pdf" in names
    assert sorted(path.name for path in result.files) == names
    muller = pdf_pages(folder / "Attestation - MULLER Hélène - Groupe 1.pdf")
    assert len(muller) == 1
    assert "Durée suivie : 10 h 30 sur 14 h prévues" in muller[0]
    assert not list(folder.glob("*.partiel"))


def test_split_sign_in_sheets_give_one_file_per_day(identity_database, tmp_path):
    request = DocumentRequest(DocumentKind.SIGNIN, group_id=GROUP_1)
    result = export_documents(identity_database, request, tmp_path / "out", split=True)
    assert [path.name for path in result.files] == [
        "Feuille d'émargement - Groupe 1 - 2023-09-25.pdf",
        "Feuille d'émargement - Groupe 1 - 2023-09-26.pdf",
    ]


def test_progress_reports_every_document(attended, tmp_path):
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return True

    result = export_documents(
        attended.database, ATTESTATIONS, tmp_path / "a.pdf", progress=progress
    )
    assert calls == [(done, 10) for done in range(11)]
    assert result.documents == 10 and not result.cancelled
    assert len(pdf_pages(tmp_path / "a.pdf")) == 10


@pytest.mark.parametrize("split", [False, True])
def test_cancel_removes_every_file_of_the_run(attended, tmp_path, split):
    output = tmp_path / ("dossier" if split else "a.pdf")
    result = export_documents(
        attended.database,
        ATTESTATIONS,
        output,
        split=split,
        progress=lambda done, total: done < 4,
    )
    assert result.cancelled
    assert result.files == []
    assert [path for path in tmp_path.rglob("*") if ".pdf" in path.name] == []
    with attended.database.session() as session:
        from allervers_desktop.documents.register import document_register

        # Numbers were given when preparing, but nothing counts as printed.
        assert {entry.print_count for entry in document_register(session)} == {0}


def test_export_runs_in_a_worker_thread(attended, tmp_path):
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = export_documents(
                attended.database, ATTESTATIONS, tmp_path / "thread.pdf"
            )
        except Exception as exc:  # reported to the test below
            outcome["error"] = exc

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=120)
    assert "error" not in outcome, outcome.get("error")
    pages = pdf_pages(tmp_path / "thread.pdf")
    assert len(pages) == 10
    assert "Madame Hélène MULLER" in " ".join(pages)


def test_same_pages_on_a_printer_as_in_a_pdf_file(attended, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    with attended.database.transaction() as session:
        prepared = prepare_documents(session, ATTESTATIONS)
    direct = write_documents(prepared, tmp_path / "writer.pdf")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    use_a4(printer)
    assert prepared.paint_on(printer) == direct.pages == 10
    assert pdf_pages(tmp_path / "printer.pdf") == pdf_pages(tmp_path / "writer.pdf")


def test_first_page_as_an_image(attended, tmp_path):
    with attended.database.transaction() as session:
        prepared = prepare_documents(session, ATTESTATIONS)
    image = first_page_image(prepared, dpi=50)
    assert (image.width(), image.height()) == (413, 585)
    inked = sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert inked > 100
    folder = tmp_path / "images"
    folder.mkdir()
    path = save_first_page_png(prepared, folder / "apercu.png", dpi=40)
    assert path.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in folder.iterdir()] == ["apercu.png"]  # written beside, renamed


def test_default_file_names(attended):
    with attended.database.transaction() as session:
        group = prepare_documents(session, ATTESTATIONS)
        one = prepare_documents(
            session,
            DocumentRequest(DocumentKind.REALISATION, group_id=GROUP_1, participant_ids=(1,)),
        )
        sheet = prepare_documents(session, DocumentRequest(DocumentKind.COURSE_SHEET, course_id=1))
    assert group.default_file_name == "Attestations - Groupe 1.pdf"
    assert one.default_file_name == "Certificat de réalisation - MULLER Hélène - Groupe 1.pdf"
    assert sheet.default_file_name == (
        "Fiche technique - La pratique de l'Aller Vers les publics.pdf"
    )


def test_same_names_get_a_counter_and_unsafe_characters_go(attended, tmp_path):
    from allervers_desktop.documents.batch import PreparedDocuments

    with attended.database.transaction() as session:
        prepared = prepare_documents(session, ATTESTATIONS)
    twice = PreparedDocuments(
        prepared.kind, prepared.title, prepared.file_stem, [prepared.units[0]] * 2
    )
    result = write_documents(twice, tmp_path / "out", split=True)
    assert [path.name for path in result.files] == [
        "Attestation - BAUER Zoé - Groupe 1.pdf",
        "Attestation - BAUER Zoé - Groupe 1 (2).pdf",
    ]
    assert safe_file_name('Groupe 1/2 : "A" ?') == "Groupe 1-2 - -A- -"
    assert safe_file_name("   ") == "document"


def test_bad_output_places_are_reported(attended, tmp_path):
    with pytest.raises(FileWriteError, match="n'existe pas"):
        export_documents(attended.database, ATTESTATIONS, tmp_path / "absent" / "a.pdf")
    with pytest.raises(FileWriteError, match="absent » n'existe pas"):
        export_documents(
            attended.database, ATTESTATIONS, tmp_path / "absent" / "dossier", split=True
        )
    with pytest.raises(DocumentError, match="Indiquez la formation"):
        export_documents(
            attended.database, DocumentRequest(DocumentKind.COURSE_SHEET), tmp_path / "f.pdf"
        )
    with pytest.raises(DocumentError, match="n'indiquez pas de participant"):
        export_documents(
            attended.database,
            DocumentRequest(DocumentKind.SIGNIN, group_id=GROUP_1, participant_ids=(1,)),
            tmp_path / "s.pdf",
        )


def test_screenshots_of_every_document(attended, tmp_path):
    from allervers_desktop.documents.thumbnail import save_screenshots

    paths = save_screenshots(attended.database, tmp_path, dpi=30)
    assert [path.name for path in paths] == [
        "document-signin.png",
        "document-attestation.png",
        "document-realisation.png",
        "document-convocation.png",
        "document-course-sheet.png",
    ]
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in paths)


def test_blocks_replayed_from_page_to_page_are_complete(attended, tmp_path):
    """Repeated blocks are drawn once and replayed: every page must still have them all."""
    for kind, static in (
        (
            DocumentKind.ATTESTATION,
            [
                "PRAXIS 12 rue du Faubourg National 67000 Strasbourg SIRET 123 456 782 00010",
                "ATTESTATION DE FIN DE FORMATION",
                "Je soussigné(e) Claire FONTAINE, Directrice de PRAXIS, atteste que",
                "Formation La pratique de l'Aller Vers les publics",
                "7. Repenser les organisations",
                "Date Demi-journée Horaires Présence Heures suivies",
                "Fait à Strasbourg, le 27/09/2023 Signature et cachet de l'organisme de formation "
                "Claire FONTAINE",
            ],
        ),
        (
            DocumentKind.REALISATION,
            [
                "CERTIFICAT DE RÉALISATION",
                "SIRET 123 456 782 00010 – NDA 44 67 99999 67",
                "X action de formation bilan de compétences action de VAE",
                "pendant une durée de 3 ans",
                "Cachet et signature du responsable du dispensateur de formation",
            ],
        ),
    ):
        path = tmp_path / f"{kind.value}.pdf"
        request = DocumentRequest(kind, group_id=GROUP_1, issued_on=ISSUED_ON)
        export_documents(attended.database, request, path)
        pages = pdf_pages(path)
        assert len(pages) == 10
        for page in pages:
            for text in static:
                assert text in page, (kind, text)
