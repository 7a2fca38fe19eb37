"""Dialog to pick existing participants (searchable) to enroll in a group.

People already enrolled in the group (any status but « annulé ») are not listed. Enter
enrolls the selected rows, or the only match of the search when nothing is selected; Down
from the search goes to the list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment, EnrollmentStatus, Participant
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.lazy_table_model import ID_ROLE, AnySelect
from allervers_desktop.ui.tabs.participants_tab import ParticipantsModel


class CandidatesModel(ParticipantsModel):
    """The participants not yet enrolled in ``group_id`` (a cancelled enrollment does not count)."""

    def __init__(self, database: Database, group_id: int | None, parent: QObject) -> None:
        self.group_id = group_id
        super().__init__(database, parent)

    def _enrolled(self) -> AnySelect:
        return select(Enrollment.participant_id).where(
            Enrollment.group_id == self.group_id,
            Enrollment.status != EnrollmentStatus.CANCELLED,
        )

    def query(self) -> AnySelect:
        base = super().query()
        if self.group_id is None:
            return base
        return base.where(Participant.id.not_in(self._enrolled()))

    def count_query(self) -> AnySelect:
        base = super().count_query()
        if self.group_id is None:
            return base
        return base.where(Participant.id.not_in(self._enrolled()))


class EnrollDialog(QDialog):
    def __init__(
        self, database: Database, parent: QWidget | None = None, group_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inscrire des participants")
        if group_id is None:  # the group detail pane that opens us knows its group
            group_id = getattr(parent, "group_id", None)
        self.model = CandidatesModel(database, group_id, self)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Nom, prénom, e-mail ou établissement…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_search)
        self.search.installEventFilter(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Inscrire")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.enroll_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.enroll_button.setObjectName("enroll")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choisissez un ou plusieurs participants (Ctrl+clic) :", self))
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.model.set_search("")
        self.view.resizeColumnsToContents()
        self.resize(820, 480)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self.view.setFocus()
            if not self.view.selectionModel().hasSelection():
                self.view.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        """Enter: the selected rows, else the only match; with neither, nothing happens."""
        if not self.view.selectionModel().hasSelection():
            if self.model.rowCount() != 1:
                return
            self.view.selectRow(0)
        super().accept()

    def selected_participant_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [int(self.model.index(row, 0).data(ID_ROLE)) for row in rows]
