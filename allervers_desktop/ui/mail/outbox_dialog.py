"""« Boîte d'envoi » and the sent log: the messages waiting, failed, interrupted or sent, each
with what it said; sending, retrying and taking unsent messages out from here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Group, OutboxMessage, OutboxStatus
from allervers_desktop.mail.outbox import STATUS_LABELS
from allervers_desktop.services.deletion import plural
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.lazy_table_model import AnySelect, Column, LazyTableModel
from allervers_desktop.ui.mail.sending import send_outbox
from allervers_desktop.ui.record_list import search_field, set_up_view
from allervers_desktop.ui.tasks import BackgroundTask

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

TITLE = "Boîte d'envoi"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
KIND_LABELS = {
    "convocation": "Convocation",
    "employer_list": "Liste des inscrits",
    "reminder": "Rappel",
    "certificates": "Attestations",
    "free": "Message libre",
}
# The filter's choices: label -> statuses (None: all).
SHOWN: dict[str, tuple[str, ...] | None] = {
    "Tous les messages": None,
    "À envoyer (en attente)": (OutboxStatus.PENDING.value,),
    "En échec": (OutboxStatus.FAILED.value,),
    "Envoi interrompu (à vérifier)": (OutboxStatus.SENDING.value,),
    "Envoyés (journal)": (OutboxStatus.SENT.value,),
}
STATUS_COLOURS = {
    OutboxStatus.FAILED.value: "#b71c1c",
    OutboxStatus.SENDING.value: "#e65100",
    OutboxStatus.SENT.value: "#1b5e20",
}


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


class OutboxModel(LazyTableModel):
    """The outbox's rows, without their stored content (read only for the selected one)."""

    columns = (
        Column("N°", OutboxMessage.id, RIGHT),
        Column("État", OutboxMessage.status),
        Column("Message", OutboxMessage.kind),
        Column("Groupe", Group.label),
        Column("Destinataire", OutboxMessage.to_addresses),
        Column("Objet", OutboxMessage.subject),
        Column("Mis en boîte le", OutboxMessage.queued_at),
        Column("Envoyé le", OutboxMessage.sent_at),
        Column("Dernière erreur", OutboxMessage.last_error),
    )
    search_column = func.lower(
        OutboxMessage.to_addresses + " " + OutboxMessage.cc_addresses + " " + OutboxMessage.subject
    )
    default_sort = (0, Qt.SortOrder.DescendingOrder)

    def __init__(self, database: Any, parent: Any = None) -> None:
        super().__init__(database, parent)
        self.statuses: tuple[str, ...] | None = None
        self.group_id: int | None = None
        self.participant_id: int | None = None

    def query(self) -> AnySelect:
        return (
            select(
                OutboxMessage.id,
                OutboxMessage.status,
                OutboxMessage.kind,
                Group.label,
                Group.city,
                OutboxMessage.to_addresses,
                OutboxMessage.subject,
                OutboxMessage.queued_at,
                OutboxMessage.sent_at,
                OutboxMessage.last_error,
            )
            .select_from(OutboxMessage)
            .outerjoin(Group, OutboxMessage.group_id == Group.id)
        )

    def count_query(self) -> AnySelect:
        return select(OutboxMessage.id)

    def extra_filter(self) -> ColumnElement[bool] | None:
        conditions: list[ColumnElement[bool]] = []
        if self.statuses is not None:
            conditions.append(OutboxMessage.status.in_(self.statuses))
        if self.group_id is not None:
            conditions.append(OutboxMessage.group_id == self.group_id)
        if self.participant_id is not None:
            conditions.append(OutboxMessage.participant_id == self.participant_id)
        return and_(*conditions) if conditions else None

    def display(self, row: Any) -> list[str]:
        number, status, kind, label, city, to, subject, queued, sent, error = row
        group = f"{label} – {city}" if label and city else label or ""
        return [
            str(number),
            STATUS_LABELS.get(status, status),
            KIND_LABELS.get(kind, kind),
            group,
            to,
            subject,
            _when(queued),
            _when(sent),
            " ".join(error.split()),
        ]

    def extra_data(self, raw: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            colour = STATUS_COLOURS.get(raw[1])
            return QColor(colour) if colour else None
        return None

    def status_of(self, row: int) -> str | None:
        return self._rows[row][2][1] if 0 <= row < len(self._rows) else None


def message_text(session: Session, message_id: int) -> str:
    """What one stored message said (headers, attachments, text), for the preview pane."""
    row = session.get(OutboxMessage, message_id)
    if row is None:
        return ""
    lines = [f"De : {row.sender}", f"À : {row.to_addresses}"]
    if row.cc_addresses:
        lines.append(f"Copie : {row.cc_addresses}")
    lines.append(f"Objet : {row.subject}")
    names = [name for name in row.attachment_names.split("\n") if name]
    lines.append(f"Pièces jointes : {', '.join(names) or '(aucune)'}")
    lines.append(f"Message-ID : {row.message_id}")
    if row.attempts:
        lines.append(f"Tentatives : {row.attempts}")
    if row.last_error:
        lines.append(f"Réponse du serveur : {row.last_error}")
    return "\n".join(lines) + "\n\n" + row.body.rstrip()


class OutboxDialog(QDialog):
    """The whole outbox, or one group's / one person's messages (their sent log)."""

    def __init__(
        self,
        app: AppContext,
        parent: QWidget,
        *,
        group_id: int | None = None,
        participant_id: int | None = None,
        scope: str = "",
        shown: str = "Tous les messages",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_dialog")
        self.app = app
        self.task: BackgroundTask | None = None
        self.setWindowTitle(f"{TITLE} — {scope}" if scope else TITLE)
        self.model = OutboxModel(app.database, self)
        self.model.group_id = group_id
        self.model.participant_id = participant_id
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.filter = QComboBox(self)
        self.filter.setObjectName("shown")
        self.filter.addItems(list(SHOWN))
        self.filter.setCurrentText(shown)
        self.model.statuses = SHOWN[shown]
        self.filter.currentTextChanged.connect(self._filter_changed)
        self.search = search_field(self, self.model, "Rechercher un destinataire, un objet…")
        self.count = QLabel(self)
        bar.addWidget(QLabel("Afficher", self))
        bar.addWidget(self.filter)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.view = QTableView(splitter)
        self.view.setObjectName("outbox")
        set_up_view(self.view, self.model, several=True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.preview = QPlainTextEdit(splitter)
        self.preview.setObjectName("preview")
        self.preview.setReadOnly(True)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        self.send_button = QPushButton("&Envoyer les messages en attente", self)
        self.retry_button = QPushButton("&Réessayer", self)
        self.retry_button.setToolTip("Remettre en attente les messages en échec sélectionnés.")
        self.resend_button = QPushButton("Remettre en &attente…", self)
        self.resend_button.setToolTip(
            "Un envoi interrompu a pu arriver : vérifiez auprès du destinataire avant de le "
            "renvoyer."
        )
        self.discard_button = QPushButton("Retirer de la boîte d'envoi…", self)
        self.close_button = QPushButton("Fermer", self)
        self.send_button.clicked.connect(self.send_pending)
        self.retry_button.clicked.connect(self.retry_selected)
        self.resend_button.clicked.connect(self.resend_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.close_button.clicked.connect(self.accept)
        for button in (self.send_button, self.retry_button, self.resend_button):
            buttons.addWidget(button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.model.countChanged.connect(self._count_changed)
        self.model.modelReset.connect(self._update_buttons)
        app.operations.changed.connect(self._changed)
        self.model.load()
        self.view.resizeColumnsToContents()
        self.resize(1100, 620)

    # --- showing -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)  # buttons visible on a 1366×768 screen at 150 %

    def _filter_changed(self, text: str) -> None:
        self.model.statuses = SHOWN.get(text)
        self.model.reload()

    def _count_changed(self, total: int) -> None:
        self.count.setText(plural(total, "message", "messages"))

    def _changed(self, tables: object, _source: object) -> None:
        if isinstance(tables, frozenset) and "outbox_messages" in tables:
            self.model.reload()

    def selected_ids(self) -> list[int]:
        ids = [self.model.id_at(index.row()) for index in self.view.selectionModel().selectedRows()]
        return sorted(i for i in ids if i is not None)

    def _selected_statuses(self) -> set[str]:
        rows = self.view.selectionModel().selectedRows()
        return {s for s in (self.model.status_of(index.row()) for index in rows) if s}

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            done = self.app.operations.read(
                self, TITLE, lambda session: message_text(session, ids[0])
            )
            self.preview.setPlainText(done.value if done is not None else "")
        else:
            self.preview.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        statuses = self._selected_statuses()
        self.retry_button.setEnabled(OutboxStatus.FAILED.value in statuses)
        self.resend_button.setEnabled(statuses == {OutboxStatus.SENDING.value})
        unsent = {OutboxStatus.PENDING.value, OutboxStatus.FAILED.value}
        self.discard_button.setEnabled(bool(statuses) and statuses <= unsent)

    # --- acting ------------------------------------------------------------------------------
    def _pending_ids(self) -> list[int]:
        stmt = select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.PENDING.value)
        if self.model.group_id is not None:
            stmt = stmt.where(OutboxMessage.group_id == self.model.group_id)
        if self.model.participant_id is not None:
            stmt = stmt.where(OutboxMessage.participant_id == self.model.participant_id)
        done = self.app.operations.read(
            self, TITLE, lambda session: list(session.scalars(stmt.order_by(OutboxMessage.id)))
        )
        return done.value if done is not None else []

    def send_pending(self) -> None:
        ids = self._pending_ids()
        if not ids:
            self.app.prompts.inform(self, TITLE, "Aucun message en attente.")
            return
        self.task = send_outbox(self.app, self, ids, lambda _report: self._sent())

    def _sent(self) -> None:
        self.task = None

    def retry_selected(self) -> None:
        ids = self.selected_ids()

        from allervers_desktop.mail.outbox import retry_failed

        done = self.app.operations.write(self, TITLE, lambda session: retry_failed(session, ids))
        if done is not None and done.value:
            self.app.status(
                f"{plural(done.value, 'message remis', 'messages remis')} en attente.", 5000
            )
            self.model.reload()

    def resend_selected(self) -> None:
        from allervers_desktop.mail.outbox import resend

        ids = self.selected_ids()
        if not ids or not self.app.prompts.confirm(
            self,
            "Remettre en attente ?",
            f"L'envoi de {plural(len(ids), 'ce message', 'ces messages')} a été interrompu : "
            "le serveur a pu le recevoir sans avoir répondu. Vérifiez auprès du destinataire "
            "qu'il n'est pas arrivé avant de le renvoyer.",
            "Le même identifiant de message permet à la plupart des messageries d'écarter un "
            "doublon.",
        ):
            return

        def work(session: Session) -> None:
            for message_id in ids:
                resend(session, message_id)

        if self.app.operations.write(self, TITLE, work) is not None:
            self.model.reload()

    def discard_selected(self) -> None:
        from allervers_desktop.mail.outbox import discard

        ids = self.selected_ids()
        what = plural(
            len(ids), "message non envoyé sera retiré", "messages non envoyés seront retirés"
        )
        if not ids or not self.app.prompts.confirm_destructive(
            self,
            "Retirer de la boîte d'envoi ?",
            f"{what} de la boîte d'envoi : {'il' if len(ids) == 1 else 'ils'} ne "
            f"{'partira' if len(ids) == 1 else 'partiront'} pas.",
            action="Retirer",
        ):
            return
        done = self.app.operations.write(self, TITLE, lambda session: discard(session, ids))
        if done is not None:
            self.app.status(
                f"{plural(done.value, 'message retiré', 'messages retirés')} de la boîte d'envoi.",
                5000,
            )
            self.model.reload()
