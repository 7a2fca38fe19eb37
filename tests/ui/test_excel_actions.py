"""Excel exports from the window: target asked, file written off the GUI thread, open offered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QPushButton

from allervers_desktop.excel import export as excel_export
from allervers_desktop.excel.export import ROSTER_HEADERS
from allervers_desktop.ui import excel_actions
from allervers_desktop.ui.excel_actions import (
    CLOSE,
    EXPORT_CANCELLED,
    OPEN_FILE,
    OPEN_FOLDER,
    XLSX_FILTER,
    course_file_name,
    safe_file_name,
    with_xlsx_suffix,
)
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import BackgroundTask

GROUP_1, COURSE = 1, 1
HEADER_ROW = 9  # heading, 6 title lines, a blank line


def finish(qtbot: Any, task: BackgroundTask | None) -> None:
    assert task is not None
    qtbot.waitUntil(lambda: not task.running, timeout=15000)


def ask_for(monkeypatch: pytest.MonkeyPatch, prompts: Any, answer: Path) -> list[tuple[str, str]]:
    """Answer the save dialog with ``answer``; record what it suggested and its filter."""
    asked: list[tuple[str, str]] = []

    def save_file(parent: Any, title: str, suggested: str, filters: str) -> str:
        asked.append((suggested, filters))
        return str(answer)

    monkeypatch.setattr(prompts, "save_file", save_file)
    return asked


def cancel_button(task: BackgroundTask) -> QPushButton:
    button = task.dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Annuler"
    return button


def test_roster_is_written_and_the_file_opened(
    qtbot, window: MainWindow, prompts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = ask_for(monkeypatch, prompts, tmp_path / "liste du groupe")  # no extension typed
    prompts.choice_answers = [OPEN_FILE]
    finish(qtbot, excel_actions.export_group_roster(window.context, GROUP_1))

    suggested, filters = asked[0]
    assert Path(suggested).name == "Groupe 1 - Strasbourg - liste.xlsx"
    assert filters == XLSX_FILTER == "Classeur Excel (*.xlsx)"
    target = tmp_path / "liste du groupe.xlsx"
    assert prompts.opened == [target]
    done = "Fichier « " + str(target) + " » écrit : 1 feuille, 10 lignes."
    assert prompts.shown[-1] == ("choose", "Export terminé", done)
    assert prompts.result_titles == ["Export terminé"]  # work done: no « ? » icon
    assert window.statusBar().currentMessage() == done
    assert prompts.messages("error") == []

    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Groupe 1 Strasbourg"]
    sheet = workbook["Groupe 1 Strasbourg"]
    assert sheet["A1"].value == "Liste des participants — Groupe 1 (Strasbourg)"
    assert [sheet.cell(4, c).value for c in (1, 2)] == ["Groupe", "Groupe 1"]
    assert [cell.value for cell in sheet[HEADER_ROW]] == ROSTER_HEADERS
    assert [cell.value for cell in sheet[HEADER_ROW + 1]] == [
        "Mme",
        "BAUER",
        "Zoé",
        "Conseillère en économie sociale et familiale",
        "Foyer Saint-Éloi",
        "Colmar",
        "zoe.bauer@exemple.fr",
        "03 88 15 25 35",
        "Confirmé",
    ]
    assert sheet.max_row == HEADER_ROW + 10
    # The next export is proposed in the same folder.
    asked_again = ask_for(monkeypatch, prompts, tmp_path / "encore.xlsx")
    prompts.choice_answers = [CLOSE]
    finish(qtbot, excel_actions.export_group_roster(window.context, 2))
    assert Path(asked_again[0][0]) == tmp_path / "Groupe 2 - Metz - liste.xlsx"


def test_course_workbook_then_folder_opened_and_directory(
    qtbot, window: MainWindow, prompts, tmp_path: Path
) -> None:
    prompts.files = [str(tmp_path / "formation.xlsx"), str(tmp_path / "annuaire.XLSX")]
    prompts.choice_answers = [OPEN_FOLDER, CLOSE]
    finish(qtbot, excel_actions.export_course_workbook(window.context, COURSE))
    assert prompts.opened == [tmp_path]
    workbook = openpyxl.load_workbook(tmp_path / "formation.xlsx")
    assert workbook.sheetnames == ["Synthèse", "Groupe 1 Strasbourg", "Groupe 2 Metz"]
    summary = workbook["Synthèse"]
    labels = [summary.cell(row, 1).value for row in range(1, summary.max_row + 1)]
    assert labels[-2:] == ["Groupe 1", "Groupe 2"]

    finish(qtbot, excel_actions.export_participants(window.context))
    assert prompts.opened == [tmp_path]  # « Fermer » opens nothing
    directory = openpyxl.load_workbook(tmp_path / "annuaire.XLSX")["Participants"]
    emails = [directory.cell(row, 7).value for row in range(1, directory.max_row + 1)]
    assert "helene.muller@exemple.fr" in emails
    assert sum(1 for email in emails if str(email).endswith("@exemple.fr")) == 21


def test_no_target_chosen_does_nothing(qtbot, window: MainWindow, prompts, tmp_path) -> None:
    prompts.files = [None]
    assert excel_actions.export_participants(window.context) is None
    assert prompts.shown == []
    assert list(tmp_path.glob("*.xlsx")) == []


def _gate(monkeypatch: pytest.MonkeyPatch, saved: bool) -> tuple[threading.Event, threading.Event]:
    """Hold the real roster export until released: before it starts, or at its last progress
    report (every row written, the file about to be saved)."""
    reached, release = threading.Event(), threading.Event()
    real = excel_export.export_group_roster

    def held(session, group_id, target, progress, **options):
        def watched(done: int, total: int) -> bool:
            if saved and total and done >= total and not reached.is_set():
                reached.set()
                assert release.wait(10)
            return bool(progress(done, total))

        if not saved:
            reached.set()
            assert release.wait(10)
        return real(session, group_id, target, watched, **options)

    monkeypatch.setattr(excel_export, "export_group_roster", held)
    return reached, release


@pytest.mark.parametrize("existing", [False, True])
def test_cancel_writes_nothing_and_keeps_an_existing_file(
    qtbot,
    window: MainWindow,
    prompts,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    existing: bool,
) -> None:
    target = tmp_path / "groupe.xlsx"
    if existing:
        target.write_bytes(b"version precedente")
    reached, release = _gate(monkeypatch, saved=False)
    prompts.files = [str(target)]
    task = excel_actions.export_group_roster(window.context, GROUP_1)
    assert task is not None and reached.wait(10)
    cancel_button(task).click()
    release.set()
    finish(qtbot, task)
    assert window.statusBar().currentMessage() == EXPORT_CANCELLED
    assert prompts.shown == []  # neither « Export terminé » nor an error
    if existing:
        assert target.read_bytes() == b"version precedente"
    else:
        assert not target.exists()
    leftovers = [p.name for p in tmp_path.iterdir() if ".xlsx" in p.name and p != target]
    assert leftovers == []


def test_cancel_too_late_reports_the_written_file(
    qtbot, window: MainWindow, prompts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« Annuler » clicked once every row is written: the export saves and reports the file."""
    target = tmp_path / "groupe.xlsx"
    reached, release = _gate(monkeypatch, saved=True)
    prompts.files = [str(target)]
    prompts.choice_answers = [CLOSE]
    task = excel_actions.export_group_roster(window.context, GROUP_1)
    assert task is not None and reached.wait(10)
    cancel_button(task).click()
    release.set()
    finish(qtbot, task)
    assert target.exists()
    assert [kind for kind, _title, _text in prompts.shown] == ["choose"]
    assert window.statusBar().currentMessage().endswith("1 feuille, 10 lignes.")


def test_missing_folder_is_reported_in_french(
    qtbot, window: MainWindow, prompts, tmp_path: Path
) -> None:
    missing = tmp_path / "n'existe pas"
    prompts.files = [str(missing / "groupe.xlsx")]
    finish(qtbot, excel_actions.export_group_roster(window.context, GROUP_1))
    assert prompts.messages("error") == [f"Le dossier « {missing} » n'existe pas."]
    assert not missing.exists()
    assert prompts.opened == []


def test_target_that_is_a_folder_is_refused_and_left_alone(
    qtbot, window: MainWindow, prompts, tmp_path: Path
) -> None:
    folder = tmp_path / "rosters.xlsx"
    folder.mkdir()
    (folder / "dedans.txt").write_text("garde-moi")
    prompts.files = [str(folder)]
    finish(qtbot, excel_actions.export_group_roster(window.context, GROUP_1))
    assert prompts.messages("error") == [f"« {folder} » est un dossier."]
    assert (folder / "dedans.txt").read_text() == "garde-moi"


def test_deleted_group_is_reported(qtbot, window: MainWindow, prompts, tmp_path: Path) -> None:
    prompts.files = [str(tmp_path / "groupe.xlsx")]
    finish(qtbot, excel_actions.export_group_roster(window.context, 999))
    assert prompts.messages("error") == ["Aucun groupe ne porte le numéro 999."]
    assert not (tmp_path / "groupe.xlsx").exists()


def test_file_names() -> None:
    assert safe_file_name('Groupe 1/2 : "Metz"?') == "Groupe 1 2 Metz"
    assert safe_file_name(" ... ") == "export"
    assert with_xlsx_suffix(Path("/tmp/a.xls")) == Path("/tmp/a.xls.xlsx")
    assert with_xlsx_suffix(Path("/tmp/a.XLSX")) == Path("/tmp/a.XLSX")


def test_course_file_name_is_short(window: MainWindow) -> None:
    with window.database.session() as session:
        name = course_file_name(session, COURSE)
    assert name == "La pratique de l'Aller Vers les publics - Module 1 - groupes.xlsx"


def _answer_box(qtbot: Any, act: Callable[[QMessageBox], None]) -> None:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        act(box)

    QTimer.singleShot(0, answer)


def _button(box: QMessageBox, text: str) -> QAbstractButton:
    return next(button for button in box.buttons() if button.text() == text)


def test_real_choose_returns_the_clicked_button_and_escape_the_last(qtbot) -> None:
    choices = [OPEN_FILE, OPEN_FOLDER, CLOSE]
    _answer_box(qtbot, lambda box: _button(box, OPEN_FOLDER).click())
    assert Prompts().choose(None, "Export terminé", "Écrit.", choices) == OPEN_FOLDER
    _answer_box(qtbot, lambda box: qtbot.keyClick(box, Qt.Key.Key_Escape))
    assert Prompts().choose(None, "Export terminé", "Écrit.", choices) == CLOSE
    icons: list[QMessageBox.Icon] = []

    def look(box: QMessageBox) -> None:
        icons.append(box.icon())
        _button(box, CLOSE).click()

    _answer_box(qtbot, look)
    Prompts().choose(None, "Export terminé", "Écrit.", choices, result=True)
    _answer_box(qtbot, look)
    Prompts().choose(None, "Abandonner ?", "Vraiment ?", choices)
    assert icons == [QMessageBox.Icon.Information, QMessageBox.Icon.Question]


class _FileUrls(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_real_open_path_asks_the_desktop(qtbot, tmp_path: Path) -> None:
    handler = _FileUrls()
    QDesktopServices.setUrlHandler("file", handler, "open")  # type: ignore[arg-type]
    try:
        Prompts().open_path(tmp_path / "liste.xlsx")
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in handler.urls] == [str(tmp_path / "liste.xlsx")]
