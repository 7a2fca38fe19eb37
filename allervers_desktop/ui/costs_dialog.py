"""« Budget du groupe… »: the cost lines of a group, a form to add or edit one, the totals."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.budgets.amounts import euros, parse_amount
from allervers_desktop.budgets.cost_figures import GroupCost
from allervers_desktop.budgets.costs import (
    FUNDER_LABELS,
    KIND_LABELS,
    CostInput,
    CostRow,
    add_cost,
    delete_cost,
    list_costs,
    update_cost,
)
from allervers_desktop.db.models import Funder, Group
from allervers_desktop.services.errors import NotFoundError
from allervers_desktop.stats.compute import compute_stats
from allervers_desktop.stats.filters import StatsFilter
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.list_table_model import Column, ListTableModel
from allervers_desktop.ui.view_state import available_geometry

TITLE = "Budget du groupe"
COLUMNS: list[Column[CostRow]] = [
    Column("Nature", lambda r: r.kind_label),
    Column("Libellé", lambda r: r.label),
    Column("Montant", lambda r: euros(r.amount_cents), right_aligned=True),
    Column("Financeur", lambda r: r.funder_label),
]


@dataclass(frozen=True)
class Budget:
    """What the dialog shows: the group's lines and its computed cost (with its share of the
    course's lines), None while the group is counted nowhere."""

    title: str
    rows: list[CostRow]
    figures: GroupCost | None


def read_budget(session: Session, group_id: int) -> Budget:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("groupe", group_id)
    stats = compute_stats(session, StatsFilter(course_id=group.course_id))
    costs = stats.costs.by_group if stats.costs else []
    figures = next((g for g in costs if g.group_id == group_id), None)
    title = f"{group.label} – {group.city}" if group.city else group.label
    return Budget(
        f"{title} ({group.course.title})", list_costs(session, group_id=group_id), figures
    )


class CostsDialog(QDialog):
    """The list above, the form below (« Ajouter » or « Enregistrer » the selected line)."""

    def __init__(self, context: AppContext, group_id: int, parent: QWidget | None = None):
        super().__init__(parent or context.window)
        self.context = context
        self.group_id = group_id
        self.editing: int | None = None
        self.setWindowTitle(f"{TITLE}…")
        self.heading = QLabel()
        self.model: ListTableModel[CostRow] = ListTableModel(COLUMNS, lambda r: r.id, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        self.totals = QLabel()
        self.totals.setWordWrap(True)

        self.kind_combo = QComboBox()
        for code, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, code)
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("par ex. Salle Kléber")
        self.amount_edit = QLineEdit()
        self.amount_edit.setPlaceholderText("1 234,50")
        self.funder_combo = QComboBox()
        for code, label in FUNDER_LABELS.items():
            self.funder_combo.addItem(label, code)
        self.cofinancer_edit = QLineEdit()
        self.cofinancer_edit.setPlaceholderText("par ex. DGCS")
        form = QFormLayout()
        form.addRow("&Nature", self.kind_combo)
        form.addRow("&Libellé", self.label_edit)
        form.addRow("&Montant (€)", self.amount_edit)
        form.addRow("&Financeur", self.funder_combo)
        form.addRow("&Cofinanceur", self.cofinancer_edit)
        self.save_button = QPushButton("&Ajouter")
        self.new_button = QPushButton("N&ouvelle ligne")
        self.delete_button = QPushButton("&Supprimer la ligne")
        buttons = QHBoxLayout()
        for button in (self.save_button, self.new_button, self.delete_button):
            button.setAutoDefault(False)  # Enter in the amount saves once (returnPressed)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.totals)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(close)

        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.clear_form)
        self.delete_button.clicked.connect(self.delete_selected)
        self.funder_combo.currentIndexChanged.connect(self._funder_changed)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.amount_edit.returnPressed.connect(self.save)
        self.resize(QSize(760, 560).boundedTo(available_geometry(self).size() * 0.95))
        self._funder_changed()
        self.reload()

    def reload(self) -> None:
        done = self.context.operations.read(self, TITLE, lambda s: read_budget(s, self.group_id))
        if done is None:
            return
        budget = done.value
        self.heading.setText(f"<b>{budget.title}</b>")
        self.model.set_rows(budget.rows)
        self.view.resizeColumnsToContents()
        self.totals.setText(self._totals_text(budget))
        self.delete_button.setEnabled(self.editing is not None)

    @staticmethod
    def _totals_text(budget: Budget) -> str:
        own = sum(r.amount_cents for r in budget.rows)
        opco = sum(r.amount_cents for r in budget.rows if r.funder == Funder.OPCO.value)
        lines = [
            f"Total des lignes du groupe : {euros(own)} (Opco {euros(opco)}, "
            f"cofinanceur(s) {euros(own - opco)})"
        ]
        figures = budget.figures
        if figures is not None:
            if figures.course_share_cents:
                lines.append(
                    f"Part des coûts de la formation : {euros(figures.course_share_cents)}"
                )
            lines.append(
                f"Coût du groupe : {euros(figures.total_cents)} (Opco {euros(figures.opco_cents)}, "
                f"cofinanceur(s) {euros(figures.cofinancer_cents)})"
            )
            per_person, per_hour = figures.cost_per_participant, figures.cost_per_trainee_hour
            if per_person is not None and per_hour is not None:
                lines.append(
                    f"Coût par stagiaire formé : {euros(per_person)} "
                    f"({figures.participants_trained} stagiaire(s)) ; "
                    f"par heure-stagiaire : {euros(per_hour)}"
                )
            else:
                lines.append("Coût par stagiaire : pas encore de présence saisie.")
        return "\n".join(lines)

    def _funder_changed(self) -> None:
        self.cofinancer_edit.setEnabled(self.funder_combo.currentData() == Funder.COFINANCER.value)

    def _selected(self) -> None:
        indexes = self.view.selectionModel().selectedRows()
        row = self.model.row_at(indexes[0].row()) if indexes else None
        if row is None:
            return
        self.editing = row.id
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(row.kind))
        self.label_edit.setText(row.label)
        self.amount_edit.setText(euros(row.amount_cents).removesuffix(" €"))
        self.funder_combo.setCurrentIndex(self.funder_combo.findData(row.funder))
        self.cofinancer_edit.setText(row.cofinancer)
        self.save_button.setText("&Enregistrer")
        self.delete_button.setEnabled(True)

    def clear_form(self) -> None:
        self.editing = None
        self.view.clearSelection()
        self.label_edit.clear()
        self.amount_edit.clear()
        self.cofinancer_edit.clear()
        self.save_button.setText("&Ajouter")
        self.delete_button.setEnabled(False)
        self.amount_edit.setFocus()

    def save(self) -> None:
        editing = self.editing
        amount, kind = self.amount_edit.text(), str(self.kind_combo.currentData())
        funder, label = str(self.funder_combo.currentData()), self.label_edit.text()
        cofinancer = self.cofinancer_edit.text()

        def work(session: Session) -> None:
            data = CostInput(kind, parse_amount(amount), funder, cofinancer, label)
            if editing is None:
                add_cost(session, data, group_id=self.group_id)
            else:
                update_cost(session, editing, data)

        if self.context.operations.write(self, TITLE, work) is not None:
            self.clear_form()
            self.reload()

    def delete_selected(self) -> None:
        editing = self.editing
        if editing is None:
            return
        if not self.context.prompts.confirm(self, TITLE, "Supprimer cette ligne de coût ?"):
            return
        if self.context.operations.write(self, TITLE, lambda s: delete_cost(s, editing)):
            self.clear_form()
            self.reload()
