"""« Réclamations et actions d'amélioration… »: the log filtered by status and group, a form to
record or edit one, « Exporter… » to a workbook (Qualiopi 31–32)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, Group
from allervers_desktop.formatting import parse_date, short_date
from allervers_desktop.services.complaints import (
    SOURCE_LABELS,
    STATUS_LABELS,
    ComplaintData,
    ComplaintRow,
    add_complaint,
    export_complaints,
    list_complaints,
    update_complaint,
)
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.list_table_model import Column, ListTableModel
from allervers_desktop.ui.view_state import available_geometry

TITLE = "Réclamations et actions d'amélioration"
COLUMNS: list[Column[ComplaintRow]] = [
    Column("Reçue le", lambda r: short_date(r.received_on), sort_key=lambda r: r.received_on),
    Column("Origine", lambda r: r.source_label),
    Column("Groupe", lambda r: r.group),
    Column("Description", lambda r: r.description.replace("\n", " ")),
    Column("Statut", lambda r: r.status_label),
    Column("Close le", lambda r: short_date(r.closed_on)),
]


def _groups(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Group.id, Group.label, Group.city, Course.title)
        .join(Course, Course.id == Group.course_id)
        .order_by(Course.title, Group.first_date, Group.label)
    )
    return [(gid, f"{label} – {city} ({title})" if city else f"{label} ({title})")
            for gid, label, city, title in rows]  # fmt: skip


class ComplaintsDialog(QDialog):
    """The filtered list above, the form below (« Enregistrer » adds or updates)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent or context.window)
        self.context = context
        self.editing: int | None = None
        self.setWindowTitle(f"{TITLE}…")
        self.status_filter = QComboBox()
        self.status_filter.addItem("Tous les statuts", None)
        self.group_filter = QComboBox()
        self.group_filter.addItem("Tous les groupes", None)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Statut"))
        filters.addWidget(self.status_filter)
        filters.addWidget(QLabel("Groupe"))
        filters.addWidget(self.group_filter, 1)
        self.model: ListTableModel[ComplaintRow] = ListTableModel(COLUMNS, lambda r: r.id, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        self.count_label = QLabel()

        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText("JJ/MM/AAAA")
        self.source_combo = QComboBox()
        self.group_combo = QComboBox()
        self.group_combo.addItem("Aucun groupe", None)
        self.status_combo = QComboBox()
        for code, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, code)
            self.status_combo.addItem(label, code)
        for code, label in SOURCE_LABELS.items():
            self.source_combo.addItem(label, code)
        self.description_edit = QPlainTextEdit()
        self.analysis_edit = QPlainTextEdit()
        self.action_edit = QPlainTextEdit()
        for edit in (self.description_edit, self.analysis_edit, self.action_edit):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 2 + 12)
        self.person_edit = QLineEdit()
        self.closed_edit = QLineEdit()
        self.closed_edit.setPlaceholderText("JJ/MM/AAAA (aujourd'hui si vide)")
        form = QFormLayout()
        form.addRow("Reçue &le", self.date_edit)
        form.addRow("&Origine", self.source_combo)
        form.addRow("&Groupe", self.group_combo)
        form.addRow("&Description", self.description_edit)
        form.addRow("&Analyse", self.analysis_edit)
        form.addRow("Action &menée", self.action_edit)
        form.addRow("&Responsable", self.person_edit)
        form.addRow("&Statut", self.status_combo)
        form.addRow("Close l&e", self.closed_edit)
        self.save_button = QPushButton("&Enregistrer")
        self.new_button = QPushButton("&Nouvelle réclamation")
        self.export_button = QPushButton("E&xporter…")
        buttons = QHBoxLayout()
        for button in (self.save_button, self.new_button, self.export_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        close.rejected.connect(self.reject)
        buttons.addWidget(close)

        # The list on the left, the form on the right in a scroll area: both fit a laptop's
        # screen at 150 %.
        left = QVBoxLayout()
        left.addLayout(filters)
        left.addWidget(self.view, 1)
        left.addWidget(self.count_label)
        form_widget = QWidget()
        form_widget.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(
            form_widget.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        )
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(scroll, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)

        for combo in (self.group_filter, self.group_combo):  # long names must not widen it
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        self.view.setMinimumWidth(240)
        done = context.operations.read(self, TITLE, _groups)
        for group_id, label in done.value if done else []:
            self.group_filter.addItem(label, group_id)
            self.group_combo.addItem(label, group_id)
        self.status_filter.currentIndexChanged.connect(self.reload)
        self.group_filter.currentIndexChanged.connect(self.reload)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.clear_form)
        self.export_button.clicked.connect(self.export)
        self.resize(QSize(1100, 640).boundedTo(available_geometry(self).size() * 0.95))
        self.clear_form()
        self.reload()

    def _filters(self) -> tuple[str | None, int | None]:
        return self.status_filter.currentData(), self.group_filter.currentData()

    def reload(self) -> None:
        status, group_id = self._filters()
        done = self.context.operations.read(
            self, TITLE, lambda s: list_complaints(s, status=status, group_id=group_id)
        )
        if done is None:
            return
        self.model.set_rows(done.value)
        self.view.resizeColumnsToContents()
        count = len(done.value)
        self.count_label.setText(f"{count} réclamation{'s' if count > 1 else ''}")

    def _selected(self) -> None:
        indexes = self.view.selectionModel().selectedRows()
        row = self.model.row_at(indexes[0].row()) if indexes else None
        if row is None:
            return
        self.editing = row.id
        self.date_edit.setText(short_date(row.received_on))
        self.source_combo.setCurrentIndex(self.source_combo.findData(row.source))
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(row.group_id)))
        self.description_edit.setPlainText(row.description)
        self.analysis_edit.setPlainText(row.analysis)
        self.action_edit.setPlainText(row.action_taken)
        self.person_edit.setText(row.person_in_charge)
        self.status_combo.setCurrentIndex(self.status_combo.findData(row.status))
        self.closed_edit.setText(short_date(row.closed_on))

    def clear_form(self) -> None:
        self.editing = None
        self.view.clearSelection()
        self.date_edit.clear()
        for edit in (self.description_edit, self.analysis_edit, self.action_edit):
            edit.clear()
        self.person_edit.clear()
        self.closed_edit.clear()
        self.source_combo.setCurrentIndex(0)
        self.group_combo.setCurrentIndex(0)
        self.status_combo.setCurrentIndex(0)
        self.date_edit.setFocus()

    def _date(self, text: str, what: str) -> dt.date | None:
        if not text.strip():
            return None
        value = parse_date(text)
        if value is None:
            raise ServiceError(f"{what} illisible : « {text.strip()} » (JJ/MM/AAAA).")
        return value

    def save(self) -> None:
        editing = self.editing
        received_text, closed_text = self.date_edit.text(), self.closed_edit.text()
        source, group_id = str(self.source_combo.currentData()), self.group_combo.currentData()
        status = str(self.status_combo.currentData())
        texts = (
            self.description_edit.toPlainText(),
            self.analysis_edit.toPlainText(),
            self.action_edit.toPlainText(),
            self.person_edit.text(),
        )

        def work(session: Session) -> None:
            from allervers_desktop.clock import now

            received = self._date(received_text, "Date de réception") or now(session).date()
            data = ComplaintData(
                received_on=received,
                source=source,
                description=texts[0],
                group_id=group_id,
                analysis=texts[1],
                action_taken=texts[2],
                person_in_charge=texts[3],
                status=status,
                closed_on=self._date(closed_text, "Date de clôture"),
            )
            if editing is None:
                add_complaint(session, data)
            else:
                update_complaint(session, editing, data)

        if self.context.operations.write(self, TITLE, work) is not None:
            self.clear_form()
            self.reload()

    def export(self) -> None:
        path = self.context.prompts.save_file(
            self, f"{TITLE} : exporter", "reclamations.xlsx", "Classeur Excel (*.xlsx)"
        )
        if not path:
            return
        status, group_id = self._filters()
        done = self.context.operations.read(
            self,
            TITLE,
            lambda s: export_complaints(s, path, status=status, group_id=group_id),
        )
        if done is not None:
            self.context.status(f"{done.value} réclamation(s) exportée(s) dans « {path} ».", 5000)
