"""Export and import history reached the way a user does: menus and the group's button."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt

from allervers_desktop.ui.excel_actions import CLOSE
from allervers_desktop.ui.import_history import ImportHistoryDialog
from allervers_desktop.ui.main_window import MainWindow


def test_group_detail_button_exports_the_shown_group(
    qtbot, window: MainWindow, prompts, tmp_path: Path
) -> None:
    window.show_tab("groups")
    window.groups_tab.view.selectRow(1)  # Groupe 2, Metz
    prompts.files = [str(tmp_path / "metz.xlsx")]
    prompts.choice_answers = [CLOSE]
    qtbot.mouseClick(window.groups_tab.group_detail.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "metz.xlsx").exists(), timeout=15000)
    qtbot.waitUntil(lambda: any(kind == "choose" for kind, _t, _x in prompts.shown), timeout=15000)
    sheet = openpyxl.load_workbook(tmp_path / "metz.xlsx").active
    assert sheet is not None and sheet["A1"].value == "Liste des participants — Groupe 2 (Metz)"


def test_export_menu_without_selection_explains_what_to_do(window: MainWindow, prompts) -> None:
    window.show_tab("participants")
    window.export_group_action.trigger()
    window.export_course_action.trigger()
    assert prompts.messages("inform") == [
        "Sélectionnez d'abord un groupe dans l'onglet Groupes.",
        "Sélectionnez d'abord une formation (onglet Formations) ou un de ses groupes.",
    ]


def test_course_export_from_a_selected_group(
    qtbot, window: MainWindow, prompts, tmp_path: Path
) -> None:
    window.show_tab("groups")
    window.groups_tab.view.selectRow(0)
    target = tmp_path / "formation.xlsx"
    prompts.files = [str(target)]
    prompts.choice_answers = [CLOSE]
    window.export_course_action.trigger()
    qtbot.waitUntil(lambda: any(kind == "choose" for kind, _t, _x in prompts.shown), timeout=15000)
    assert len(openpyxl.load_workbook(target).sheetnames) == 3  # summary + two groups


def test_history_menu_opens_the_dialog(window: MainWindow, prompts) -> None:
    seen: list[int] = []

    def look(dialog: ImportHistoryDialog) -> None:
        seen.append(dialog.model.rowCount())
        dialog.reject()

    prompts.dialog_handlers.append(look)
    window.history_action.trigger()
    assert seen == [0]
