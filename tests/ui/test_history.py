"""« Modifié par … » in the detail panes and the « Historique » dialog, through the window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog

from allervers_desktop.ui.forms.participant_form import ParticipantForm
from allervers_desktop.ui.history_dialog import HISTORY_LINK, HistoryDialog
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts
from tests.ui.helpers import click_save, type_into, type_text


def cells(dialog: HistoryDialog) -> list[list[str]]:
    model = dialog.model
    return [
        [str(model.index(row, column).data()) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_a_participants_history(qtbot: Any, window: MainWindow, prompts: ScriptedPrompts) -> None:
    tab = window.show_tab("participants")
    type_text(qtbot, tab.search_field, "muller")
    tab.view.selectRow(0)
    user = window.database.user
    # Loaded with the example data, by this computer's user.
    assert (
        tab.detail_browser.toPlainText()
        .rstrip()
        .endswith(f"Modifié par {user} le 03/06/2024 à 10:00 · Historique")
    )

    def edit(form: QDialog) -> None:
        assert isinstance(form, ParticipantForm)
        type_into(qtbot, form.job_title, "Cheffe de service")
        click_save(qtbot, form)

    seen: list[list[list[str]]] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, HistoryDialog)
        assert dialog.windowTitle() == "Historique — MULLER Hélène"
        seen.append(cells(dialog))

    prompts.dialog_handlers = [edit, look]
    window.edit_action.trigger()
    tab.detail_browser.anchorClicked.emit(QUrl(HISTORY_LINK))
    [rows] = seen
    assert rows == [
        [
            "03/06/2024 10:00",
            user,
            "Modification",
            "Fonction",
            "Éducatrice spécialisée",
            "Cheffe de service",
        ],
        ["03/06/2024 10:00", user, "Création", "", "", ""],
    ]


def test_a_groups_history_link(qtbot: Any, window: MainWindow, prompts: ScriptedPrompts) -> None:
    tab = window.show_tab("groups")
    tab.view.selectRow(0)
    seen: list[int] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, HistoryDialog)
        assert dialog.windowTitle().startswith("Historique — ")
        seen.append(dialog.model.rowCount())

    prompts.dialog_handlers = [look]
    tab.detail_browser.anchorClicked.emit(QUrl(HISTORY_LINK))
    assert seen == [1]  # its creation, with the example data
