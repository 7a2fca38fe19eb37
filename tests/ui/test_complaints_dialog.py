"""« Réclamations et actions d'amélioration… » driven like a user: record, filter, close, export."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from allervers_desktop.ui.complaints_dialog import ComplaintsDialog
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts
from tests.ui.helpers import type_into


def test_record_filter_close_export(
    qtbot, window: MainWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    dialog = ComplaintsDialog(window.context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert dialog.count_label.text() == "0 réclamation"

    type_into(qtbot, dialog.date_edit, "27/09/2023")
    dialog.source_combo.setCurrentIndex(dialog.source_combo.findText("Employeur"))
    dialog.group_combo.setCurrentIndex(1)
    group_label = dialog.group_combo.currentText()
    type_into(qtbot, dialog.description_edit, "Convocation reçue la veille")
    type_into(qtbot, dialog.person_edit, "Mme Martin")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert prompts.shown == []
    assert dialog.count_label.text() == "1 réclamation"
    assert dialog.model.index(0, 1).data() == "Employeur"
    assert dialog.model.index(0, 4).data() == "Ouverte"

    # an empty description is refused in French, nothing saved
    type_into(qtbot, dialog.date_edit, "28/09/2023")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1][0] == "error" and "description est obligatoire" in prompts.shown[-1][2]
    assert dialog.model.rowCount() == 1

    dialog.view.selectRow(0)  # close it
    assert dialog.description_edit.toPlainText() == "Convocation reçue la veille"
    type_into(qtbot, dialog.action_edit, "Convocations envoyées 15 jours avant")
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findText("Close"))
    type_into(qtbot, dialog.closed_edit, "02/10/2023")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert (dialog.model.index(0, 4).data(), dialog.model.index(0, 5).data()) == (
        "Close",
        "02/10/2023",
    )
    dialog.status_filter.setCurrentIndex(dialog.status_filter.findText("Ouverte"))
    assert dialog.model.rowCount() == 0
    dialog.status_filter.setCurrentIndex(0)
    dialog.group_filter.setCurrentIndex(dialog.group_filter.findText(group_label))
    assert dialog.model.rowCount() == 1

    target = tmp_path / "registre.xlsx"
    prompts.files.append(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    values = [c for row in openpyxl.load_workbook(target).active.iter_rows(values_only=True)
              for c in row]  # fmt: skip
    assert "Convocations envoyées 15 jours avant" in values and "Close" in values
