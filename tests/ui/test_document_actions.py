"""Documents from the window: PDF files, per-participant folders, preview, print, the log."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QLineEdit
from sqlalchemy import func, select

from allervers_desktop.db.models import IssuedDocument
from allervers_desktop.documents import batch
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.documents.register import document_register
from allervers_desktop.services import attendance
from allervers_desktop.services.settings import DocumentIdentity, save_identity
from allervers_desktop.ui import document_actions
from allervers_desktop.ui.certificate_log import CertificateLogDialog
from allervers_desktop.ui.document_actions import (
    CANCEL,
    CLOSE,
    CONTINUE,
    MENU_TITLES,
    NO_GROUP,
    OPEN_FILE,
    OPEN_FOLDER,
    OPEN_PROVIDER,
    DocumentMenu,
    Operation,
    group_request,
    numbers_line,
    preview_documents,
    print_documents,
    save_documents,
)
from allervers_desktop.ui.list_table_model import ListTableModel
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.prompts import READ_ONLY_TITLE
from allervers_desktop.ui.tasks import BackgroundTask
from tests.conftest import TEST_NOW
from tests.ui.helpers import click_save, type_into

GROUP_1 = 1  # Strasbourg, 25-26/09/2023, 10 participants, 4 half-days of 3,5 h
YEAR = TEST_NOW.year  # numbers are of the year of issue, by the test clock
IDENTITY = DocumentIdentity(
    organisation_name="Opco Santé – Délégation Grand Est",
    address="2 rue de Rome\n67300 Schiltigheim",
    signatory_name="Aurore JOANNES",
    signatory_title="Chargée de mission formation",
    city="Strasbourg",
)


# --- helpers ---------------------------------------------------------------------------------
def finish(qtbot: Any, task: BackgroundTask | None) -> None:
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=30000)


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def mark_all(window: MainWindow) -> None:
    with window.database.transaction() as session:
        attendance.mark_all(session, GROUP_1)


def set_identity(window: MainWindow) -> None:
    with window.database.transaction() as session:
        save_identity(session, IDENTITY)


def issued(window: MainWindow) -> dict[str, tuple[str, int]]:
    """Participant name -> (number, print count) of the attestations issued."""
    with window.database.session() as session:
        return {
            entry.participant_name: (entry.number, entry.print_count)
            for entry in document_register(session, GROUP_1, DocumentKind.ATTESTATION)
        }


def attestations(window: MainWindow, enrollment_ids: list[int] | None = None):
    return group_request(window.context, DocumentKind.ATTESTATION, GROUP_1, enrollment_ids)


def group_menu(window: MainWindow) -> DocumentMenu:
    """The Groupes tab on Groupe 1, and a « Documents » menu following it."""
    window.show_tab("groups")
    window.groups_tab.view.selectRow(0)
    menu = window.documents_menu  # it follows the group shown in the tab
    menu.ensure_built()
    assert menu.group_id == GROUP_1
    return menu


@pytest.fixture
def ready(window: MainWindow) -> MainWindow:
    """Example data with the identity filled in and everyone present on every half-day."""
    set_identity(window)
    mark_all(window)
    return window


# --- one PDF, a folder of PDFs ---------------------------------------------------------------
def test_attestations_saved_as_one_pdf_and_opened(
    qtbot, ready: MainWindow, prompts, tmp_path, monkeypatch
):
    target = tmp_path / "attestations"  # typed without .pdf
    suggested: list[str] = []

    def save_file(parent: Any, title: str, proposed: str, filters: str) -> str:
        suggested.append(proposed)
        return str(target)

    monkeypatch.setattr(prompts, "save_file", save_file)
    prompts.choice_answers = [OPEN_FILE]
    finish(qtbot, save_documents(ready.context, attestations(ready)))
    written = tmp_path / "attestations.pdf"
    assert Path(suggested[0]).name == "Attestations - Groupe 1.pdf"
    pages = pdf_pages(written)
    assert len(pages) == 10
    assert "Madame Zoé BAUER" in pages[0]
    assert "Madame Hélène MULLER" in " ".join(pages)
    assert all("Durée suivie : 14 h sur 14 h prévues" in page for page in pages)
    assert f"N° ATT-{YEAR}-0001" in pages[0]
    assert f"ATT-{YEAR}-0010" in pages[9]
    message = prompts.messages("choose")[0]
    assert message.startswith("« attestations.pdf » : 10 attestations, 10 pages.")
    assert f"N° ATT-{YEAR}-0001 à ATT-{YEAR}-0010 (10 numéros)." in message
    assert prompts.opened == [written]
    assert {count for _number, count in issued(ready).values()} == {1}
    assert not list(tmp_path.glob("*.partiel"))


def test_one_pdf_per_participant_in_a_folder(qtbot, ready: MainWindow, prompts, tmp_path):
    folder = tmp_path / "envoi"
    folder.mkdir()
    prompts.files = [str(folder)]
    prompts.choice_answers = [OPEN_FOLDER]
    finish(qtbot, save_documents(ready.context, attestations(ready), split=True))
    names = sorted(path.name for path in folder.iterdir())
    assert len(names) == 10
    assert "Attestation - MULLER Hélène - Groupe 1.pdf" in names
    muller = pdf_pages(folder / "Attestation - MULLER Hélène - Groupe 1.pdf")
    assert len(muller) == 1
    assert "Madame Hélène MULLER" in muller[0]
    assert "14 h" in muller[0]
    number, count = issued(ready)["MULLER Hélène"]
    assert f"Attestation n° {number}" in muller[0]
    assert count == 1
    assert prompts.messages("choose")[0].startswith(f"10 fichiers PDF dans « {folder} »")
    assert prompts.opened == [folder]


def test_existing_files_in_the_folder_are_replaced_only_if_confirmed(
    qtbot, ready: MainWindow, prompts, tmp_path
):
    old = tmp_path / "Attestation - BAUER Zoé - Groupe 1.pdf"
    old.write_bytes(b"ancien")
    prompts.files = [str(tmp_path)]
    prompts.confirm_answers = [False]
    assert save_documents(ready.context, attestations(ready), split=True) is None
    assert old.read_bytes() == b"ancien"
    assert "1 fichier existe déjà" in prompts.messages("confirm")[0]
    assert issued(ready) == {}  # asking where to write numbers nothing


def test_reprint_keeps_the_number(qtbot, ready: MainWindow, prompts, tmp_path):
    prompts.files = [str(tmp_path / "premier.pdf"), str(tmp_path / "second.pdf")]
    prompts.choice_answers = [CLOSE, CLOSE]
    finish(qtbot, save_documents(ready.context, attestations(ready)))
    first = issued(ready)
    finish(qtbot, save_documents(ready.context, attestations(ready)))
    second = issued(ready)
    assert {name: number for name, (number, _c) in second.items()} == {
        name: number for name, (number, _c) in first.items()
    }
    assert {count for _number, count in second.values()} == {2}
    assert pdf_pages(tmp_path / "premier.pdf") == pdf_pages(tmp_path / "second.pdf")


def test_selected_participants_only(qtbot, ready: MainWindow, prompts, tmp_path):
    menu = group_menu(ready)
    detail = ready.groups_tab.group_detail
    view = detail.enrollments_view
    view.selectRow(0)
    view.selectionModel().select(
        detail.enrollments.index(2, 0),
        view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
    )
    chosen = [
        f"{detail.enrollments.index(row, 0).data()} {detail.enrollments.index(row, 1).data()}"
        for row in (0, 2)
    ]
    menu.refresh_scope()  # as when the menu is about to show
    assert menu.scope_action.text() == "Groupe 1 – Strasbourg : 2 participants sélectionnés"
    assert menu.kind_menus[DocumentKind.SIGNIN].title() == "Feuilles d'émargement (tout le groupe)"
    prompts.files = [str(tmp_path / "deux.pdf")]
    prompts.choice_answers = [CLOSE]
    menu.operation_actions[(DocumentKind.ATTESTATION, Operation.PDF)].trigger()
    finish(qtbot, menu.task)
    pages = pdf_pages(tmp_path / "deux.pdf")
    assert len(pages) == 2
    text = " ".join(pages)
    assert all(name.split()[0] in text for name in chosen)
    assert sorted(issued(ready)) == sorted(chosen)
    view.clearSelection()
    assert menu.scope_text() == "Groupe 1 – Strasbourg : tout le groupe (10 inscrits)"


def test_people_without_attendance_are_reported_not_given_zero_hours(
    qtbot, window: MainWindow, prompts, tmp_path
):
    set_identity(window)
    prompts.files = []
    save_documents(window.context, attestations(window))
    assert prompts.messages("inform")[0].startswith(
        "Aucun document à produire (attestation de présence)."
    )
    assert (
        "BAUER Zoé : aucune présence saisie, pas d'attestation." in (prompts.messages("inform")[0])
    )
    mark_all(window)
    with window.database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        bauer = next(row for row in grid.rows if row.name == "BAUER Zoé")
        for column in grid.columns:
            attendance.clear_cell(session, bauer.enrollment_id, column.half_day_id)
    prompts.files = [str(tmp_path / "neuf.pdf")]
    prompts.choice_answers = [CLOSE]
    finish(qtbot, save_documents(window.context, attestations(window)))
    assert len(pdf_pages(tmp_path / "neuf.pdf")) == 9
    assert (
        "• BAUER Zoé : aucune présence saisie, pas d'attestation."
        in (prompts.messages("choose")[0])
    )
    assert "BAUER Zoé" not in issued(window)


def test_cancel_leaves_no_file(qtbot, ready: MainWindow, prompts, tmp_path, monkeypatch):
    """The user clicks « Annuler » while the fourth attestation is being written."""
    reached, resume = threading.Event(), threading.Event()
    real_export = batch.export_documents

    def gated_export(database, request, output, *, split=False, progress=None, **options):
        def gated(done: int, total: int) -> bool:
            if done == 3:
                reached.set()
                resume.wait(10)
            return bool(progress(done, total))

        return real_export(database, request, output, split=split, progress=gated, **options)

    monkeypatch.setattr(batch, "export_documents", gated_export)
    prompts.files = [str(tmp_path / "annule.pdf")]
    task = save_documents(ready.context, attestations(ready))
    assert task is not None
    qtbot.waitUntil(reached.is_set, timeout=15000)
    task.dialog.canceled.emit()  # what the « Annuler » button sends
    resume.set()
    finish(qtbot, task)
    assert [path.name for path in tmp_path.iterdir() if ".pdf" in path.name] == []
    assert prompts.messages("choose") == []
    assert ready.statusBar().currentMessage() == (
        "Enregistrement annulé : aucun fichier n'a été écrit."
    )
    assert {count for _number, count in issued(ready).values()} == {0}


# --- identity of the training provider, who issues the certificates ---------------------------
def _forget_representative(window: MainWindow) -> None:
    from allervers_desktop.db.models import TrainingProvider

    with window.database.transaction() as session:
        provider = session.get(TrainingProvider, 1)
        assert provider is not None
        provider.legal_representative = ""
        provider.city = ""


def test_missing_identity_is_named_and_can_be_left(qtbot, window: MainWindow, prompts):
    mark_all(window)
    _forget_representative(window)
    prompts.choice_answers = [CANCEL]
    assert save_documents(window.context, attestations(window)) is None
    assert prompts.messages("choose") == [
        "L'organisme de formation « PRAXIS » délivre les attestations ; sa fiche est "
        "incomplète. Il manque : représentant légal, ville."
    ]
    assert issued(window) == {}


def test_missing_identity_opens_the_provider_then_goes_on(
    qtbot, window: MainWindow, prompts, tmp_path
):
    from allervers_desktop.ui.forms.provider_form import ProviderForm

    mark_all(window)
    _forget_representative(window)
    with window.database.transaction() as session:
        save_identity(session, IDENTITY)

    def fill(form: ProviderForm) -> None:
        type_into(qtbot, form.representative_edit, "Claire Dubois")
        type_into(qtbot, form.city_edit, "Strasbourg")
        click_save(qtbot, form)

    prompts.choice_answers = [OPEN_PROVIDER, CLOSE]
    prompts.dialog_handlers = [fill]
    prompts.files = [str(tmp_path / "a.pdf")]
    finish(qtbot, save_documents(window.context, attestations(window)))
    assert "Il manque : représentant légal, ville." in prompts.messages("choose")[0]
    page = pdf_pages(tmp_path / "a.pdf")[0]
    assert "Je soussigné(e) Claire Dubois, Directrice de PRAXIS" in page
    assert "Fait à Strasbourg" in page
    assert "Aurore JOANNES" not in page  # « Paramètres » is the Opco's, not the issuer


def test_continuing_without_identity_still_writes(qtbot, window: MainWindow, prompts, tmp_path):
    mark_all(window)
    _forget_representative(window)
    prompts.choice_answers = [CONTINUE, CLOSE]
    prompts.files = [str(tmp_path / "a.pdf")]
    finish(qtbot, save_documents(window.context, attestations(window)))
    pages = pdf_pages(tmp_path / "a.pdf")
    assert len(pages) == 10
    assert "Je soussigné(e) ……………………………, Directrice de PRAXIS" in pages[0]
    assert "Identité de l'organisme de formation incomplète" in prompts.messages("choose")[1]


# --- preview and print -----------------------------------------------------------------------
def test_preview_paints_the_pages_of_the_pdf_and_counts_a_print(
    qtbot, ready: MainWindow, prompts, tmp_path
):
    prompts.files = [str(tmp_path / "fichier.pdf")]
    prompts.choice_answers = [CLOSE]
    finish(qtbot, save_documents(ready.context, attestations(ready)))
    seen: dict[str, int] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, QPrintPreviewDialog)
        widget = dialog.findChild(QPrintPreviewWidget)
        assert widget is not None
        qtbot.waitUntil(lambda: widget.pageCount() > 0)
        seen["preview"] = widget.pageCount()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "apercu.pdf"))
        dialog.paintRequested.emit(printer)  # what the preview paints, on a PDF file
        dialog.accept()  # « Imprimer » from the preview

    prompts.dialog_handlers = [look]
    assert preview_documents(ready.context, attestations(ready))
    assert seen["preview"] == 10
    assert pdf_pages(tmp_path / "apercu.pdf") == pdf_pages(tmp_path / "fichier.pdf")
    assert {count for _number, count in issued(ready).values()} == {2}
    assert ready.statusBar().currentMessage() == ("Impression envoyée : 10 attestations, 10 pages.")


def test_printing_to_a_file_from_the_preview_writes_it_whole_or_not_at_all(
    qtbot, ready: MainWindow, prompts, tmp_path
):
    folder = tmp_path / "sortie"
    folder.mkdir()
    target = folder / "apercu.pdf"

    def print_to_file(dialog: QDialog) -> None:
        # « Imprimer » in the preview, the print dialog answered « Imprimer dans un fichier »:
        # the preview's own printer then paints for the file (not for the screen).
        assert isinstance(dialog, QPrintPreviewDialog)
        widget = dialog.findChild(QPrintPreviewWidget)
        assert widget is not None
        qtbot.waitUntil(lambda: widget.pageCount() == 10)
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        widget.print_()
        dialog.accept()

    prompts.dialog_handlers = [print_to_file]
    assert preview_documents(ready.context, attestations(ready))
    assert len(pdf_pages(target)) == 10
    assert sorted(path.name for path in folder.iterdir()) == ["apercu.pdf"]  # no leftover
    assert {count for _number, count in issued(ready).values()} == {1}

    # A read-only file the user keeps: nothing is painted into it, no print is counted.
    before = target.read_bytes()
    target.chmod(0o444)
    prompts.dialog_handlers = [print_to_file]
    prompts.confirm_answers = [False]
    assert not preview_documents(ready.context, attestations(ready))
    assert prompts.shown[-1][1] == READ_ONLY_TITLE
    assert target.read_bytes() == before
    assert sorted(path.name for path in folder.iterdir()) == ["apercu.pdf"]
    assert {count for _number, count in issued(ready).values()} == {1}


def test_closing_the_preview_prints_nothing(qtbot, ready: MainWindow, prompts):
    def close(dialog: QDialog) -> None:
        widget = dialog.findChild(QPrintPreviewWidget)
        assert widget is not None
        qtbot.waitUntil(lambda: widget.pageCount() == 2)  # one sign-in sheet a day
        dialog.reject()

    prompts.dialog_handlers = [close]
    request = group_request(ready.context, DocumentKind.SIGNIN, GROUP_1)
    assert not preview_documents(ready.context, request)


def test_print_through_the_print_dialog(qtbot, ready: MainWindow, prompts, tmp_path):
    target = tmp_path / "imprimante.pdf"

    def choose_file(dialog: QDialog) -> None:
        field = dialog.findChild(QLineEdit, "filename")  # « Imprimer dans un fichier »
        assert field is not None
        field.setText(str(target))
        dialog.accept()

    prompts.dialog_handlers = [choose_file]
    finish(qtbot, print_documents(ready.context, attestations(ready)))
    pages = pdf_pages(target)
    assert len(pages) == 10
    assert "Madame Zoé BAUER" in pages[0]
    assert {count for _number, count in issued(ready).values()} == {1}


def test_print_cancelled_midway_to_a_file_leaves_nothing(
    qtbot, ready: MainWindow, prompts, tmp_path, monkeypatch
):
    target = tmp_path / "imprimante.pdf"
    reached, resume = threading.Event(), threading.Event()
    real_paint = document_actions.paint_with_progress

    def gated_paint(prepared, printer, progress):
        def gated(done: int, total: int) -> bool:
            if done == 3:
                reached.set()
                resume.wait(10)
            return bool(progress(done, total))

        return real_paint(prepared, printer, gated)

    def choose_file(dialog: QDialog) -> None:
        field = dialog.findChild(QLineEdit, "filename")
        assert field is not None
        field.setText(str(target))
        dialog.accept()

    monkeypatch.setattr(document_actions, "paint_with_progress", gated_paint)
    prompts.dialog_handlers = [choose_file]
    task = print_documents(ready.context, attestations(ready))
    assert task is not None
    qtbot.waitUntil(reached.is_set, timeout=15000)
    task.dialog.canceled.emit()
    resume.set()
    finish(qtbot, task)
    assert not target.exists()
    assert ready.statusBar().currentMessage() == (
        "Impression annulée : aucun fichier n'a été écrit."
    )
    assert {count for _number, count in issued(ready).values()} == {0}


def test_cancelled_print_dialog_prints_nothing(qtbot, ready: MainWindow, prompts):
    prompts.dialog_handlers = [lambda dialog: dialog.reject()]
    assert print_documents(ready.context, attestations(ready)) is None
    assert {count for _number, count in issued(ready).values()} == {0}


# --- sign-in sheets, course sheet, menu ------------------------------------------------------
def test_blank_sign_in_sheets_for_walk_ins(qtbot, ready: MainWindow, prompts, tmp_path):
    menu = group_menu(ready)
    prompts.texts = ["abc", "6"]
    menu.blank_actions[Operation.PDF].trigger()
    assert "« abc » n'est pas un nombre de lignes valable" in prompts.messages("error")[0]
    prompts.files = [str(tmp_path / "vierges.pdf")]
    prompts.choice_answers = [CLOSE]
    menu.blank_actions[Operation.PDF].trigger()
    finish(qtbot, menu.task)
    pages = pdf_pages(tmp_path / "vierges.pdf")
    assert len(pages) == 2
    assert "Lundi 25 septembre 2023" in pages[0] and "Mardi 26 septembre 2023" in pages[1]
    assert "BAUER" not in pages[0]
    assert "17 h 00 1 2 3 4 5 6 Signature de l'intervenant(e)" in pages[0]  # six empty rows


def test_sign_in_sheets_one_pdf_per_day(qtbot, ready: MainWindow, prompts, tmp_path):
    menu = group_menu(ready)
    ready.groups_tab.group_detail.enrollments_view.selectRow(0)  # ignored: the whole group
    prompts.files = [str(tmp_path)]
    prompts.choice_answers = [CLOSE]
    menu.operation_actions[(DocumentKind.SIGNIN, Operation.SPLIT)].trigger()
    finish(qtbot, menu.task)
    day = tmp_path / "Feuille d'émargement - Groupe 1 - 2023-09-25.pdf"
    assert sorted(path.name for path in tmp_path.glob("*.pdf")) == [
        day.name,
        "Feuille d'émargement - Groupe 1 - 2023-09-26.pdf",
    ]
    assert "10 WEBER Céline" in pdf_pages(day)[0]


def test_course_sheet_of_the_group(qtbot, ready: MainWindow, prompts, tmp_path):
    menu = group_menu(ready)
    prompts.files = [str(tmp_path / "fiche.pdf")]
    prompts.choice_answers = [CLOSE]
    menu.course_sheet_action.trigger()
    finish(qtbot, menu.task)
    text = " ".join(pdf_pages(tmp_path / "fiche.pdf"))
    assert "La pratique de l'Aller Vers les publics" in text
    assert "Groupe 1 STRASBOURG" in text and "Groupe 2 METZ" in text


def test_menu_without_a_group_offers_only_the_log(window: MainWindow):
    menu = DocumentMenu(window.context)
    assert [action.text() for action in menu.actions()] == [NO_GROUP]  # built when opened
    menu.aboutToShow.emit()
    assert [action.text() for action in menu.actions() if action.menu()] == [
        "Feuilles d'émargement",
        "Attestations de présence",
        "Certificats de réalisation",
        "Convocations",
    ]
    assert all(not sub.menuAction().isEnabled() for sub in menu.kind_menus.values())
    assert not menu.course_sheet_action.isEnabled()
    assert menu.log_action.isEnabled()
    assert menu.scope_action.text() == "Sélectionnez un groupe dans l'onglet Groupes"
    labels = [action.text() for action in menu.kind_menus[DocumentKind.ATTESTATION].actions()]
    assert labels == [
        "Aperçu avant impression…",
        "Imprimer…",
        "Enregistrer en PDF…",
        "Un PDF par participant…",
        "Enregistrer en PDF avec une date de délivrance…",
    ]
    menu.set_group(GROUP_1)
    assert all(sub.menuAction().isEnabled() for sub in menu.kind_menus.values())


# --- the certificate log ---------------------------------------------------------------------
def test_certificate_log_lists_what_was_issued(
    qtbot, qtmodeltester, ready: MainWindow, prompts, tmp_path
):
    prompts.files = [str(tmp_path / "a.pdf"), str(tmp_path / "c.pdf")]
    prompts.choice_answers = [CLOSE, CLOSE]
    finish(qtbot, save_documents(ready.context, attestations(ready)))
    realisation = group_request(ready.context, DocumentKind.REALISATION, GROUP_1)
    finish(qtbot, save_documents(ready.context, realisation))
    checked: list[bool] = []

    def inspect(dialog: QDialog) -> None:
        assert isinstance(dialog, CertificateLogDialog)
        qtmodeltester.check(dialog.model)
        assert isinstance(dialog.model, ListTableModel)
        numbers = dialog.displayed_numbers()
        assert len(numbers) == 20
        assert numbers[0] == f"ATT-{YEAR}-0001" and numbers[-1] == f"CR-{YEAR}-0010"
        assert dialog.count_label.text() == "20 versions délivrées"
        dialog.kind_filter.setCurrentIndex(2)  # certificats de réalisation
        assert dialog.displayed_numbers() == [f"CR-{YEAR}-{n:04d}" for n in range(1, 11)]
        dialog.kind_filter.setCurrentIndex(0)
        qtbot.keyClicks(dialog.search, "muller")
        assert dialog.count_label.text() == "2 sur 20 versions"
        row = [dialog.proxy.index(0, column).data() for column in range(4)]
        assert row[1:3] == ["Attestation de présence", "MULLER Hélène"]
        assert dialog.proxy.index(0, 6).data() == "valide"  # état
        assert dialog.proxy.index(0, 9).data() == "1"  # impressions
        assert dialog.proxy.index(0, 10).data() == "14 h"  # heures
        dialog.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        assert dialog.displayed_numbers()[0].startswith("CR-")
        checked.append(True)
        dialog.reject()

    prompts.dialog_handlers = [inspect]
    group_menu(ready).log_action.trigger()
    assert checked == [True]


def test_empty_certificate_log(window: MainWindow, prompts):
    def inspect(dialog: QDialog) -> None:
        assert isinstance(dialog, CertificateLogDialog)
        assert dialog.displayed_numbers() == []
        assert dialog.count_label.text() == "Aucun document numéroté n'a encore été délivré."
        assert not dialog.group_only.isVisible()
        dialog.reject()

    prompts.dialog_handlers = [inspect]
    assert not document_actions.show_certificate_log(window.context)
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(IssuedDocument)) == 0


def test_menu_keys_are_document_kinds() -> None:
    assert set(MENU_TITLES) <= {kind.value for kind in DocumentKind}
    assert set(document_actions.NOUNS) == {kind.value for kind in DocumentKind}


def test_numbers_line() -> None:
    assert numbers_line([]) == ""
    assert numbers_line(["ATT-2023-0002", "ATT-2023-0001"]) == "N° ATT-2023-0001, ATT-2023-0002."
    assert numbers_line([f"CR-2023-{n:04d}" for n in range(1, 6)]) == (
        "N° CR-2023-0001 à CR-2023-0005 (5 numéros)."
    )


def test_documents_button_of_the_group_panel_uses_the_shown_group(window: MainWindow) -> None:
    window.show_tab("groups")
    window.groups_tab.view.selectRow(1)
    detail = window.groups_tab.group_detail
    assert detail.documents_button.menu() is window.documents_menu
    assert window.documents_menu.group_id == 2
