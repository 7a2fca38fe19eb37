"""« Rappels à envoyer » : the groups starting within the reminders' delay (J-7 by default)
whose participants have not all had their reminder, soonest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.clock import session_clock
from allervers_desktop.formatting import short_date
from allervers_desktop.mail.reminders import DueReminder, due_reminders, reminder_days
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.list_table_model import Column, ListTableModel
from allervers_desktop.ui.record_list import list_view

if TYPE_CHECKING:
    from collections.abc import Callable

    from allervers_desktop.ui.context import AppContext

COLUMNS: tuple[Column[DueReminder], ...] = (
    Column("Formation", lambda r: r.course_title),
    Column("Groupe", lambda r: r.group_label),
    Column("Ville", lambda r: r.city),
    Column("Premier jour", lambda r: short_date(r.first_date), sort_key=lambda r: r.first_date),
    Column("Rappel prévu le", lambda r: short_date(r.due_on), sort_key=lambda r: r.due_on),
    Column("Sans rappel", lambda r: f"{r.not_reminded} / {r.participants}", right_aligned=True),
)


def load_due(app: AppContext) -> tuple[list[DueReminder], int]:
    with app.database.session() as session:
        today = session_clock(session).now().date()
        return due_reminders(session, today), reminder_days(session)


class RemindersDialog(QDialog):
    """``prepare(group_id, title)`` opens the reminders' preview for the chosen group."""

    def __init__(
        self, app: AppContext, parent: QWidget, prepare: Callable[[int, str], None]
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reminders_dialog")
        self.setWindowTitle("Rappels à envoyer")
        self.app = app
        self.prepare = prepare
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model: ListTableModel[DueReminder] = ListTableModel(
            COLUMNS, lambda r: r.group_id, self
        )
        self.view = list_view(self, "due", self.model)
        self.view.doubleClicked.connect(lambda _index: self.prepare_selected())
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.prepare_button = QPushButton("&Préparer les rappels…", self)
        self.prepare_button.setDefault(True)
        self.prepare_button.clicked.connect(self.prepare_selected)
        close = QPushButton("Fermer", self)
        close.clicked.connect(self.accept)
        buttons.addStretch(1)
        buttons.addWidget(self.prepare_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        app.operations.changed.connect(self._changed)
        self.reload()
        self.resize(860, 380)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)  # buttons visible on a 1366×768 screen at 150 %

    def reload(self) -> None:
        due, days = load_due(self.app)
        self.model.set_rows(due)
        if due:
            self.summary.setText(
                f"Groupes qui commencent dans les {days} prochains jours et dont des "
                "participants n'ont pas encore reçu leur rappel (délai réglable dans "
                "Messages › Paramètres d'envoi)."
            )
            self.view.selectRow(0)
            self.view.resizeColumnsToContents()
        else:
            self.summary.setText(f"Aucun rappel à envoyer dans les {days} prochains jours.")
        self.prepare_button.setEnabled(bool(due))

    def _changed(self, tables: object, _source: object) -> None:
        if isinstance(tables, frozenset) and tables & {"outbox_messages", "enrollments", "groups"}:
            self.reload()

    def prepare_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        chosen = self.model.row_at(rows[0].row()) if rows else None
        if chosen is not None:
            self.prepare(chosen.group_id, f"{chosen.course_title} — {chosen.group_label}")
