"""« Contrôle » of a group: what a funder's check would flag, one finding per row."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.db.database import Database
from allervers_desktop.documents.check import Finding, check_group
from allervers_desktop.services.deletion import plural
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.list_table_model import Column, ListTableModel

RULE_LABELS = {
    "sheet_missing": "Feuille signée manquante",
    "hours_differ": "Heures différentes",
    "data_changed": "Document à réémettre",
    "provider_missing": "Organisme incomplet",
}


def findings_model(parent: QWidget | None = None) -> ListTableModel[Finding]:
    """Rows: the findings, the rule's label then the message."""
    return ListTableModel(
        (
            Column[Finding]("Point de contrôle", lambda f: RULE_LABELS.get(f.code, f.code)),
            Column[Finding]("Détail", lambda f: f.message),
        ),
        parent=parent,
    )


class ControlPanel(QWidget):
    """The findings of the group shown; « Actualiser » reads them again."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.group_id: int | None = None
        self.model = findings_model(self)
        self.view = QTableView(self)
        self.view.setObjectName("control_findings")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("control_summary")
        self.summary.setWordWrap(True)
        refresh = QPushButton("Actualiser", self)
        refresh.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def show_group(self, group_id: int | None) -> None:
        """Read the findings now when shown, else when the panel is next shown."""
        self.group_id = group_id
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Attendance or documents may have changed in the other pages: read again."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        findings: list[Finding] = []
        if self.group_id is not None:
            try:
                with self.database.session() as session:
                    findings = check_group(session, self.group_id)
            except ServiceError as exc:
                self.model.set_rows([])
                self.summary.setText(exc.message)
                return
        self.model.set_rows(findings)
        self.view.resizeColumnToContents(0)
        self.view.resizeRowsToContents()
        if self.group_id is None:
            self.summary.clear()
        elif findings:
            self.summary.setText(
                f"{plural(len(findings), 'point', 'points')} qu'un contrôle de service fait "
                "relèverait :"
            )
        else:
            self.summary.setText("Aucun point à signaler pour ce groupe.")

    def messages(self) -> list[str]:
        return [finding.message for finding in self.model.rows]
