"""The register, corrected versions, backdating, signed sheets and « Contrôle » in the window."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.documents.register import document_register
from allervers_desktop.services import attendance
from allervers_desktop.services.settings import DocumentIdentity, save_identity
from allervers_desktop.ui.certificate_log import (
    COL_NUMBER,
    COL_REPLACED_BY,
    COL_REPLACES,
    COL_STATE,
    CertificateLogDialog,
)
from allervers_desktop.ui.document_actions import (
    CANCEL,
    CLOSE,
    REISSUE,
    REPRINT,
    DocumentMenu,
    Operation,
    group_request,
    save_documents,
)
from allervers_desktop.ui.issue_date_dialog import IssueDateDialog
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tasks import BackgroundTask
from tests.conftest import TEST_NOW
from tests.ui.helpers import type_into
from tests.ui.test_document_actions import pdf_pages

GROUP_1 = 1
YEAR = TEST_NOW.date().year
MULLER = "MULLER Hélène"
PDF_SCAN = b"%PDF-1.4\n% feuille signee\n%%EOF\n"


def finish(qtbot: Any, task: BackgroundTask | object | None) -> None:
    assert isinstance(task, BackgroundTask)
    qtbot.waitUntil(lambda: not task.running, timeout=30000)


def prepared(window: MainWindow) -> MainWindow:
    with window.database.transaction() as session:
        save_identity(
            session,
            DocumentIdentity(
                organisation_name="Opco Santé", signatory_name="Aurore JOANNES", city="Strasbourg"
            ),
        )
        attendance.mark_all(session, GROUP_1)
    return window


def muller_absent_on_the_last_afternoon(window: MainWindow) -> None:
    with window.database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        row = next(row for row in grid.rows if row.name == MULLER)
        attendance.set_cell(session, row.enrollment_id, grid.columns[3].half_day_id, "absent")


def group_menu(window: MainWindow) -> DocumentMenu:
    window.show_tab("groups")
    window.groups_tab.view.selectRow(0)
    menu = window.documents_menu  # it follows the group shown in the tab
    menu.ensure_built()
    assert menu.group_id == GROUP_1
    return menu


def test_changed_data_asks_then_reprints_identically_or_reissues(
    qtbot, window: MainWindow, prompts, tmp_path: Path
):
    prepared(window)
    attestations = group_request(window.context, DocumentKind.ATTESTATION, GROUP_1)
    prompts.files = [str(tmp_path / "premier.pdf")]
    prompts.choice_answers = [CLOSE]
    finish(qtbot, save_documents(window.context, attestations))
    assert not any("Données modifiées" in title for _kind, title, _text in prompts.shown)
    muller_absent_on_the_last_afternoon(window)

    prompts.choice_answers = [CANCEL]
    assert save_documents(window.context, attestations) is None  # nothing asked, nothing written
    question = prompts.messages("choose")[-1]
    assert f"• {MULLER} : ATT-{YEAR}-0006 (heures : 14 h → 10 h 30, présences)" in question

    prompts.files = [str(tmp_path / "second.pdf")]
    prompts.choice_answers = [REPRINT, CLOSE]
    finish(qtbot, save_documents(window.context, attestations))
    assert pdf_pages(tmp_path / "second.pdf") == pdf_pages(tmp_path / "premier.pdf")

    prompts.files = [str(tmp_path / "corrige.pdf")]
    prompts.choice_answers = [REISSUE, CLOSE]
    finish(qtbot, save_documents(window.context, attestations))
    pages = pdf_pages(tmp_path / "corrige.pdf")
    muller = next(page for page in pages if "Hélène MULLER" in page)
    assert f"N° ATT-{YEAR}-0011" in muller
    assert f"Annule et remplace le n° ATT-{YEAR}-0006" in muller
    assert "Durée suivie : 10 h 30 sur 14 h prévues" in muller
    assert sum("Annule et remplace" in page for page in pages) == 1

    # The register shows both versions; its Excel export reads back the same.
    target = tmp_path / "journal.xlsx"
    seen: list[bool] = []

    def inspect(dialog: QDialog) -> None:
        assert isinstance(dialog, CertificateLogDialog)
        assert dialog.windowTitle() == "Journal des documents"
        qtbot.keyClicks(dialog.search, "muller")
        rows = [
            [dialog.proxy.index(row, column).data() for column in range(dialog.proxy.columnCount())]
            for row in range(dialog.proxy.rowCount())
        ]
        assert [
            (r[COL_NUMBER], r[COL_STATE], r[COL_REPLACES], r[COL_REPLACED_BY]) for r in rows
        ] == [
            (f"ATT-{YEAR}-0006", "annulé", "", f"ATT-{YEAR}-0011"),
            (f"ATT-{YEAR}-0011", "valide", f"ATT-{YEAR}-0006", ""),
        ]
        prompts.files = [str(target)]
        prompts.choice_answers = [CLOSE]
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        finish(qtbot, dialog.export_task)
        seen.append(True)
        dialog.reject()

    prompts.dialog_handlers = [inspect]
    group_menu(window).log_action.trigger()
    assert seen == [True]
    sheet = load_workbook(target).active
    assert sheet is not None
    values = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    numbers = [row[0] for row in values if str(row[0]).startswith("ATT-")]
    assert len(numbers) == 11
    cancelled = next(row for row in values if row[0] == f"ATT-{YEAR}-0006")
    assert "annulé" in cancelled and f"ATT-{YEAR}-0011" in cancelled
    assert prompts.messages("choose")[-1].startswith("Fichier « ")


def test_backdating_goes_through_the_issue_date_dialog(
    qtbot, window: MainWindow, prompts, tmp_path: Path
):
    prepared(window)
    menu = group_menu(window)
    looked: list[bool] = []

    def backdate(dialog: QDialog) -> None:
        assert isinstance(dialog, IssueDateDialog)
        assert not dialog.backdate.isChecked() and not dialog.date_edit.isEnabled()
        assert dialog.date_edit.maximum == TEST_NOW.date()
        dialog.backdate.setFocus()
        qtbot.keyClick(dialog.backdate, Qt.Key.Key_Space)
        assert dialog.date_edit.isEnabled()
        type_into(qtbot, dialog.date_edit.edit, "27092023")
        looked.append(True)
        dialog.accept()

    prompts.dialog_handlers = [backdate]
    prompts.files = [str(tmp_path / "antidate.pdf")]
    prompts.choice_answers = [CLOSE]
    menu.dated_actions[DocumentKind.REALISATION].trigger()
    finish(qtbot, menu.task)
    assert looked == [True]
    assert "Le : 27/09/2023" in pdf_pages(tmp_path / "antidate.pdf")[0]
    with window.database.session() as session:
        entries = document_register(session, GROUP_1)
    assert len(entries) == 10
    assert all(entry.backdated and entry.issued_on == dt.date(2023, 9, 27) for entry in entries)
    assert all(entry.created_at.date() == TEST_NOW.date() for entry in entries)
    assert entries[0].number == "CR-2023-0001"

    # Without ticking, the date is today's and nothing is backdated.
    prompts.dialog_handlers = [lambda dialog: dialog.accept()]
    prompts.files = [str(tmp_path / "du-jour.pdf")]
    prompts.choice_answers = [CLOSE]
    menu.dated_actions[DocumentKind.ATTESTATION].trigger()
    finish(qtbot, menu.task)
    with window.database.session() as session:
        attestations = document_register(session, GROUP_1, DocumentKind.ATTESTATION)
    assert {(e.issued_on, e.backdated) for e in attestations} == {(TEST_NOW.date(), False)}


def test_signed_sheets_are_attached_listed_and_opened(
    qtbot, window: MainWindow, prompts, tmp_path: Path
):
    prepared(window)
    window.show_tab("groups")
    window.groups_tab.view.selectRow(0)
    detail = window.groups_tab.group_detail
    detail.pages.setCurrentWidget(detail.sheets)
    panel = detail.sheets
    assert panel.model.rowCount() == 2
    assert panel.model.index(0, 2).data() == "à joindre (présences saisies)"
    assert not panel.attach_button.isEnabled()
    panel.view.selectRow(0)
    assert panel.attach_button.isEnabled() and not panel.open_button.isEnabled()

    notes = tmp_path / "notes.txt"
    notes.write_text("pas un scan", encoding="utf-8")
    prompts.files = [str(notes)]
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    assert "n'est ni un PDF ni une image" in prompts.messages("error")[-1]

    scan = tmp_path / "lundi signé.pdf"
    scan.write_bytes(PDF_SCAN)
    prompts.files = [str(scan)]
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    assert panel.model.index(0, 2).data() == "lundi signé.pdf (1 Ko)"
    assert panel.summary.text() == "1 journée(s) sur 2 avec une feuille signée"
    assert panel.selected_date() == dt.date(2023, 9, 25)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    (opened,) = prompts.opened
    assert opened.name == "2023-09-25 - lundi signé.pdf"
    assert opened.read_bytes() == PDF_SCAN
    assert not list(opened.parent.glob(".*partiel"))

    # The « Contrôle » page now lists only the second day's half-days.
    detail.pages.setCurrentWidget(detail.control)
    qtbot.waitUntil(detail.control.isVisible)
    messages = detail.control.messages()
    assert [m for m in messages if "feuille d'émargement signée" in m] == [
        "26/09/2023 matin : présences saisies, mais aucune feuille d'émargement signée n'est "
        "jointe pour ce jour.",
        "26/09/2023 après-midi : présences saisies, mais aucune feuille d'émargement signée "
        "n'est jointe pour ce jour.",
    ]


def test_control_page_lists_the_findings(qtbot, window: MainWindow, prompts, tmp_path: Path):
    prepared(window)
    realisations = group_request(window.context, DocumentKind.REALISATION, GROUP_1)
    prompts.files = [str(tmp_path / "cr.pdf")]
    prompts.choice_answers = [CLOSE]
    finish(qtbot, save_documents(window.context, realisations))
    assert (
        "Aucune feuille d'émargement signée n'est jointe pour : 25/09/2023, 26/09/2023"
        in (prompts.messages("choose")[-1])
    )
    muller_absent_on_the_last_afternoon(window)
    window.show_tab("groups")
    window.groups_tab.view.selectRow(0)
    detail = window.groups_tab.group_detail
    detail.pages.setCurrentWidget(detail.control)
    panel = detail.control
    qtbot.waitUntil(panel.isVisible)
    codes = [finding.code for finding in panel.model.rows]
    assert codes == ["sheet_missing"] * 4 + ["hours_differ", "data_changed"]
    assert panel.summary.text() == "6 points qu'un contrôle de service fait relèverait :"
    assert panel.model.index(4, 0).data() == "Heures différentes"
    assert panel.model.index(4, 1).data() == (
        f"{MULLER} : 10 h 30 sur la grille des présences, 14 h sur le certificat de "
        f"réalisation n° CR-{YEAR}-0006."
    )


def test_convocations_of_a_started_group_take_the_sending_date(
    qtbot, window: MainWindow, prompts, tmp_path: Path
):
    prepared(window)
    menu = group_menu(window)
    with window.database.session() as session:
        from allervers_desktop.db.models import Group

        group = session.get(Group, GROUP_1)
        assert group is not None
        first_day = min(group.dates)
    assert first_day < TEST_NOW.date()

    # Dated today, a convocation to a group under way or over is refused, saying what to do.
    prompts.files = [str(tmp_path / "refusee.pdf")]
    menu.operation_actions[(DocumentKind.CONVOCATION, Operation.PDF)].trigger()
    if menu.task is not None:
        finish(qtbot, menu.task)
    assert "indiquez sa date d'envoi" in " ".join(text for _kind, _title, text in prompts.shown)
    assert not (tmp_path / "refusee.pdf").exists()

    seen: list[dt.date | None] = []
    sent_on = first_day - dt.timedelta(days=7)

    def sending_date(dialog: QDialog) -> None:
        assert isinstance(dialog, IssueDateDialog)
        assert dialog.windowTitle() == "Date d'envoi"
        assert dialog.date_edit.isEnabled() and dialog.backdate.isHidden()
        seen.append(dialog.date_edit.maximum)
        dialog.date_edit.set_date(sent_on)
        dialog.accept()

    prompts.dialog_handlers = [sending_date]
    prompts.files = [str(tmp_path / "convocations.pdf")]
    prompts.choice_answers = [CLOSE]
    menu.dated_actions[DocumentKind.CONVOCATION].trigger()
    finish(qtbot, menu.task)
    assert seen == [first_day]
    sent = sent_on.strftime("%d/%m/%Y")
    pages = pdf_pages(tmp_path / "convocations.pdf")
    text = " ".join(pages)
    assert f"Strasbourg, le {sent}" in pages[0]
    assert text.count(f"Strasbourg, le {sent}") == text.count("Objet : convocation")
    assert TEST_NOW.strftime("%d/%m/%Y") not in text
