"""« Historique des imports » driven through the window: list, report, undo, refusal, cancel."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, GroupDay, HalfDay, Participant
from allervers_desktop.excel import history
from allervers_desktop.excel.importer import import_file
from allervers_desktop.services.attendance import set_cell
from allervers_desktop.ui.import_history import (
    COLUMNS,
    NO_IMPORT,
    UNDO_INTERRUPTED,
    ImportHistoryDialog,
    show_import_history,
)
from allervers_desktop.ui.main_window import MainWindow
from tests.unit.excel.conftest import LISTS, snapshot

GROUP_1 = 1
HISTORY_TABLES = ("import_batches", "import_changes")


def imported(database: Database, name: str, **options: Any) -> int:
    report = import_file(database, LISTS / name, **options)
    assert report.batch_id is not None
    return report.batch_id


def without_history(state: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    return {table: rows for table, rows in state.items() if table not in HISTORY_TABLES}


def cells(dialog: ImportHistoryDialog, row: int) -> list[str]:
    return [dialog.model.index(row, column).data() for column in range(len(COLUMNS))]


def open_history(window: MainWindow, prompts, handler: Callable[[ImportHistoryDialog], None]):
    prompts.dialog_handlers.append(handler)
    show_import_history(window.context)


def click_undo(qtbot: Any, dialog: ImportHistoryDialog) -> None:
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    if dialog.task is not None:
        qtbot.waitUntil(lambda: not dialog.task.running, timeout=15000)


def test_lists_every_import_with_its_report(qtbot, window: MainWindow, prompts) -> None:
    first = imported(window.database, "capacite.xlsx", group_id=GROUP_1)
    second = imported(window.database, "employeur-lignes-de-titre.xlsx")
    seen: list[str] = []

    def look(dialog: ImportHistoryDialog) -> None:
        tester = QAbstractItemModelTester(
            dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal
        )
        assert dialog.windowTitle() == "Historique des imports"
        headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(12)]
        assert headers == [
            "N°",
            "Date",
            "Fichier",
            "Feuille",
            "Groupe",
            "Créés",
            "Mis à jour",
            "Inscrits",
            "Liste d'attente",
            "Inchangés",
            "Ignorés",
            "Statut",
        ]
        assert dialog.model.rowCount() == 2
        assert dialog.current_id() == second  # most recent first, selected
        row = cells(dialog, 1)
        assert row[0] == str(first)
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", row[1])
        assert row[2:] == [
            "capacite.xlsx",
            "Liste",
            "Groupe 1",
            "8",
            "0",
            "5",
            "3",
            "0",
            "0",
            "Appliqué",
        ]
        assert cells(dialog, 0)[10] == "3"  # three rows skipped
        seen.append(" ".join(dialog.details.toPlainText().split()))
        dialog.view.selectRow(1)
        seen.append(" ".join(dialog.details.toPlainText().split()))
        assert dialog.count_label.text() == "2 imports"
        assert dialog.undo_button.isEnabled()
        dialog.reject()
        del tester

    open_history(window, prompts, look)
    details, capacity = seen
    assert f"Import n° {second} — employeur-lignes-de-titre.xlsx" in details
    assert "Lignes ignorées (3)" in details
    assert "Ligne 11 : adresse e-mail « hugo.blanc@@foyer » non valide" in details
    assert "Ligne 13 : ligne de total (« Total : 5 inscrits »), pas un participant" in details
    assert "Ligne 9 : même personne que la ligne 5 : lignes fusionnées" in details
    assert f"Fichier {LISTS / 'capacite.xlsx'}" in capacity
    assert "Groupe choisi Groupe 1" in capacity
    assert "Lignes ignorées (0)" in capacity
    assert "complet (15 places) : CAPACITEF Personne6 mis(e) en liste d'attente" in capacity


def test_undo_puts_the_database_back_and_refreshes_the_tabs(
    qtbot, window: MainWindow, prompts
) -> None:
    before = snapshot(window.database)
    batch_id = imported(window.database, "organisme-stagiaire.xls")
    window.show_tab("participants")
    assert window.participants_tab.model.rowCount() == 26
    undone: list[int] = []

    def undo(dialog: ImportHistoryDialog) -> None:
        dialog.importUndone.connect(undone.append)
        prompts.confirm_answers = [True]
        click_undo(qtbot, dialog)
        assert cells(dialog, 0)[11].startswith("Annulé le ")
        assert not dialog.undo_button.isEnabled()
        assert "Statut Annulé le " in dialog.details.toPlainText().replace("\n", " ")
        dialog.reject()

    open_history(window, prompts, undo)
    assert undone == [batch_id]
    question = prompts.messages("confirm")[0]
    assert question.startswith(f"Annuler l'import n° {batch_id} du fichier « organisme-stagiaire")
    assert "supprimera 5 participant(s) et 5 inscription(s)" in question
    assert "1 établissement(s) créé(s) par l'import sera(ont) supprimé(s)." in question
    assert prompts.messages("inform") == [
        f"Import n° {batch_id} annulé : 5 participant(s) et 5 inscription(s) supprimés, "
        "0 fiche(s) rétablie(s)."
    ]
    assert without_history(snapshot(window.database)) == without_history(before)
    assert window.participants_tab.model.rowCount() == 21  # reloaded by the window


def test_saying_no_changes_nothing(qtbot, window: MainWindow, prompts) -> None:
    imported(window.database, "capacite.xlsx", group_id=GROUP_1)
    before = snapshot(window.database)

    def decline(dialog: ImportHistoryDialog) -> None:
        prompts.confirm_answers = [False]
        click_undo(qtbot, dialog)
        assert dialog.task is None
        assert cells(dialog, 0)[11] == "Appliqué"
        dialog.reject()

    open_history(window, prompts, decline)
    assert snapshot(window.database) == before
    assert prompts.buttons == [("Annuler l'import", "Garder l'import")]  # no ambiguous « Annuler »


def _first_half_day(database: Database, group_id: int) -> int:
    with database.session() as session:
        half = session.scalars(
            select(HalfDay)
            .join(GroupDay)
            .where(GroupDay.group_id == group_id)
            .order_by(GroupDay.date, HalfDay.period)
        ).first()
        assert half is not None
        return half.id


def test_undo_refused_when_attendance_depends_on_it(qtbot, window: MainWindow, prompts) -> None:
    batch_id = imported(window.database, "capacite.xlsx", group_id=GROUP_1)
    with window.database.transaction() as session:
        enrollment = session.scalars(
            select(Enrollment)
            .join(Participant)
            .where(Participant.email == "p1@capacite.fr", Enrollment.group_id == GROUP_1)
        ).one()
        set_cell(session, enrollment.id, _first_half_day(window.database, GROUP_1), "present")
    before = snapshot(window.database)

    def try_undo(dialog: ImportHistoryDialog) -> None:
        click_undo(qtbot, dialog)
        assert dialog.task is None
        dialog.reject()

    open_history(window, prompts, try_undo)
    assert prompts.messages("confirm") == []
    assert prompts.messages("error") == [
        f"L'import n° {batch_id} ne peut pas être annulé :\n"
        "Des présences ont été saisies pour CAPACITEA Personne1 (Groupe 1)."
    ]
    assert snapshot(window.database) == before


def test_cancelled_undo_changes_nothing(
    qtbot, window: MainWindow, prompts, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(window.database, "capacite.xlsx", group_id=GROUP_1)
    before = snapshot(window.database)
    reached, release = threading.Event(), threading.Event()
    real = history.undo_batch

    def held(session, batch_id, progress=None):
        reached.set()
        assert release.wait(10)
        return real(session, batch_id, progress)

    monkeypatch.setattr(history, "undo_batch", held)

    def cancel(dialog: ImportHistoryDialog) -> None:
        prompts.confirm_answers = [True]
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
        task = dialog.task
        assert task is not None and reached.wait(10)
        dialog.reject()  # refused while the undo runs
        assert dialog.isVisible()
        button = task.dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Annuler"
        button.click()
        release.set()
        qtbot.waitUntil(lambda: not task.running, timeout=15000)
        assert cells(dialog, 0)[11] == "Appliqué"
        assert dialog.undo_button.isEnabled()
        dialog.reject()

    open_history(window, prompts, cancel)
    assert prompts.messages("inform") == [UNDO_INTERRUPTED]
    assert snapshot(window.database) == before


def test_empty_history(qtbot, window: MainWindow, prompts) -> None:
    def look(dialog: ImportHistoryDialog) -> None:
        assert dialog.model.rowCount() == 0
        assert not dialog.undo_button.isEnabled()
        assert dialog.details.toPlainText() == NO_IMPORT
        assert dialog.count_label.text() == "0 import"
        dialog.reject()

    open_history(window, prompts, look)
