"""« Données personnelles (RGPD) »: the rules in force, what « Purger » would remove, the log."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.db.database import Database
from allervers_desktop.formatting import short_date
from allervers_desktop.privacy import log
from allervers_desktop.privacy.purge import ANONYMISE, PurgePlan, apply_purge, plan_purge
from allervers_desktop.privacy.rules import describe_rules
from allervers_desktop.ui.lazy_table_model import ID_ROLE
from allervers_desktop.ui.operations import failure_message
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_until_committed

DIALOG_TITLE = "Données personnelles (RGPD)"
PURGE_TITLE = "Purger les données"
ACTION_LABELS = {ANONYMISE: "Anonymisé(e)", "contacts": "Coordonnées effacées"}
AnyIndex = QModelIndex | QPersistentModelIndex

_log = logging.getLogger(__name__)


class RowsModel(QAbstractTableModel):
    """A read-only table of French texts, each row keyed by an id (ID_ROLE)."""

    def __init__(self, headers: list[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[int, list[str]]] = []

    def set_rows(self, rows: list[tuple[int, list[str]]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record_id, cells = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells[index.column()]
        if role == ID_ROLE:
            return record_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


def _table(model: RowsModel, parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class PrivacyDialog(QDialog):
    """Shows the purge that the rules call for today, runs it, and shows the log."""

    def __init__(
        self,
        database: Database,
        prompts: Prompts,
        on_changed: Callable[[], None],
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.prompts = prompts
        self.on_changed = on_changed
        self.today = today
        self.task: BackgroundTask | None = None
        self.plan: PurgePlan | None = None
        self.setWindowTitle(DIALOG_TITLE)
        self.resize(980, 640)

        self.rules_label = QLabel(self)
        self.rules_label.setObjectName("rules")
        self.rules_label.setWordWrap(True)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("summary")
        self.summary_label.setWordWrap(True)
        self.people_model = RowsModel(
            [
                "N°",
                "Participant",
                "Ce que la purge fait",
                "Dernière activité",
                "Documents jusqu'au",
            ],
            self,
        )
        self.people_view = _table(self.people_model, self, "people")
        self.log_model = RowsModel(["Date", "Action", "Par", "Participant", "Résumé"], self)
        self.log_view = _table(self.log_model, self, "log")
        self.purge_button = QPushButton("Purger…", self)
        self.purge_button.setObjectName("purge")
        self.purge_button.clicked.connect(self.purge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.rules_label)
        when = f"le {short_date(today)}" if today is not None else "aujourd'hui"
        layout.addWidget(QLabel(f"<b>Ce que la purge ferait {when}</b>", self))
        layout.addWidget(self.summary_label)
        layout.addWidget(self.people_view, 3)
        layout.addWidget(QLabel("<b>Journal des purges, effacements et exports</b>", self))
        layout.addWidget(self.log_view, 2)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.purge_button)
        bottom.addSpacing(12)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.reload()

    def reload(self) -> None:
        with self.database.session() as session:
            self.plan = plan_purge(session, self.today)
            lines = log.entries(session)
        plan = self.plan
        self.rules_label.setText(
            "Durées de conservation (Fichier › Paramètres) : "
            + " ; ".join(describe_rules(plan.rules))
            + "."
        )
        extra = [batch.describe() for batch in plan.batches]
        self.summary_label.setText(
            plan.summary() + (f"\nDétail d'import effacé : {', '.join(extra)}." if extra else "")
        )
        self.people_model.set_rows(
            [
                (
                    person.participant_id,
                    [
                        str(person.participant_id),
                        person.name,
                        ACTION_LABELS.get(person.action, person.action),
                        short_date(person.last_activity),
                        short_date(person.kept_until),
                    ],
                )
                for person in plan.people
            ]
        )
        self.log_model.set_rows(
            [
                (
                    line.id,
                    [
                        line.performed_at.strftime("%d/%m/%Y %H:%M"),
                        line.action_label,
                        line.performed_by,
                        str(line.participant_id or ""),
                        line.summary,
                    ],
                )
                for line in lines
            ]
        )
        running = self.task is not None and self.task.running
        self.purge_button.setEnabled(not plan.is_empty and not running)

    def purge(self) -> None:
        plan = self.plan
        if plan is None or plan.is_empty or (self.task is not None and self.task.running):
            return
        detail = "\n".join(plan.lines()[1:31])
        if not self.prompts.confirm_destructive(
            self,
            PURGE_TITLE,
            plan.summary() + "\nC'est définitif (les statistiques restent justes).",
            detail,
        ):
            return
        database, today = self.database, self.today

        def work(progress: ProgressCallback) -> PurgePlan:
            with database.transaction() as session:
                return apply_purge(session, today, progress)

        self.purge_button.setEnabled(False)
        self.task = run_until_committed(
            self, PURGE_TITLE, "Purge en cours…", work, self._done, self._failed, self._cancelled
        )

    def _done(self, plan: PurgePlan) -> None:
        self.reload()
        self.on_changed()
        self.prompts.inform(self, PURGE_TITLE, plan.summary())

    def _failed(self, error: BaseException) -> None:
        self.reload()
        message = failure_message(error)
        if message is None:  # a bug: logged with its traceback, and said
            _log.error("Purge", exc_info=error)
            message = (
                f"La purge n'a pas pu être faite ({error.__class__.__name__}) : "
                "rien n'a été modifié."
            )
        self.prompts.error(self, PURGE_TITLE, message)

    def _cancelled(self) -> None:
        self.reload()
        self.prompts.inform(self, PURGE_TITLE, "Purge interrompue : rien n'a été modifié.")

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            return
        super().reject()
