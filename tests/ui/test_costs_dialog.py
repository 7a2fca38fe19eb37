"""« Budget du groupe… » driven like a user: a line typed in the form, the totals, a refusal."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from allervers_desktop.budgets.costs import list_costs
from allervers_desktop.db.models import Group
from allervers_desktop.ui.costs_dialog import CostsDialog
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts
from tests.ui.helpers import type_into


def test_add_edit_delete_a_line(qtbot, window: MainWindow, prompts: ScriptedPrompts) -> None:
    context = window.context
    with context.database.session() as session:
        group_id = session.scalars(select(Group.id).order_by(Group.id)).first()
    assert group_id is not None
    dialog = CostsDialog(context, group_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QAbstractItemModelTester(dialog.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert dialog.model.rowCount() == 0

    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findText("Salle"))
    type_into(qtbot, dialog.label_edit, "Salle Kléber")
    dialog.funder_combo.setCurrentIndex(dialog.funder_combo.findText("Cofinanceur"))
    type_into(qtbot, dialog.cofinancer_edit, "DGCS")
    type_into(qtbot, dialog.amount_edit, "1 234,50 €")
    qtbot.keyClick(dialog.amount_edit, Qt.Key.Key_Return)
    assert prompts.shown == []
    assert dialog.model.rowCount() == 1
    assert [dialog.model.index(0, c).data() for c in range(4)] == [
        "Salle",
        "Salle Kléber",
        "1 234,50 €",
        "Cofinanceur (DGCS)",
    ]
    assert "Total des lignes du groupe : 1 234,50 € (Opco 0,00 €, cofinanceur(s) 1 234,50 €)" in (
        dialog.totals.text()
    )
    assert "Coût du groupe : 1 234,50 €" in dialog.totals.text()

    type_into(qtbot, dialog.amount_edit, "12,345")  # refused in French, nothing saved
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert prompts.shown[-1][0] == "error" and "deux décimales" in prompts.shown[-1][2]
    assert dialog.model.rowCount() == 1

    dialog.view.selectRow(0)  # edit it: the form is filled from the line
    assert dialog.amount_edit.text() == "1 234,50"
    assert dialog.save_button.text() == "&Enregistrer"
    dialog.funder_combo.setCurrentIndex(dialog.funder_combo.findText("Opco"))
    assert not dialog.cofinancer_edit.isEnabled()
    type_into(qtbot, dialog.amount_edit, "800")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.model.index(0, 2).data() == "800,00 €"
    assert "(Opco 800,00 €, cofinanceur(s) 0,00 €)" in dialog.totals.text()
    with context.database.session() as session:
        (row,) = list_costs(session, group_id=group_id)
    assert (row.amount_cents, row.funder, row.cofinancer) == (80000, "opco", "")

    dialog.view.selectRow(0)
    prompts.confirm_answers.append(True)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0
    with context.database.session() as session:
        assert list_costs(session, group_id=group_id) == []


def test_from_the_menu_then_in_the_dashboard(
    qtbot, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    """Édition › Budget du groupe… for the group shown; the dashboard then shows the cost;
    without a group, the menu says what to do."""
    window.budget_action.trigger()
    assert prompts.messages("inform") == [
        "Sélectionnez d'abord un groupe dans l'onglet Groupes."
    ]
    window.show_tab("groups").view.selectRow(0)
    qtbot.waitUntil(lambda: window.mail_menu.group_id is not None)
    seen: dict[str, object] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, CostsDialog)
        seen["group"] = dialog.group_id
        type_into(qtbot, dialog.label_edit, "Salle Kléber")
        type_into(qtbot, dialog.amount_edit, "1 500")
        qtbot.keyClick(dialog.amount_edit, Qt.Key.Key_Return)

    prompts.dialog_handlers.append(handle)
    window.budget_action.trigger()
    assert seen["group"] == window.mail_menu.group_id
    dashboard = window.show_dashboard()
    qtbot.waitUntil(lambda: dashboard.stats is not None, timeout=10000)
    assert dashboard.figures["Coût total"].text() == "1 500,00 €"
    assert dashboard.figures["Part Opco"].text() == "1 500,00 €"


def test_complaints_from_the_file_menu(window: MainWindow, prompts: ScriptedPrompts) -> None:
    seen: list[str] = []
    prompts.dialog_handlers.append(lambda dialog: seen.append(dialog.windowTitle()))
    window.complaints_action.trigger()
    assert seen and seen[0].startswith("Réclamations et actions d'amélioration")
