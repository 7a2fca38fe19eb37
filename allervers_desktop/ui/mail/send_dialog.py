"""« Envoyer les convocations… » and the other messages of a group: every message shown with
its real text and attachments before anything goes, then sent, queued or written as drafts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QStringListModel, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.mail.compose import ComposedMessage, Composition, MailKind
from allervers_desktop.services.deletion import plural
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.list_table_model import Column, ListTableModel
from allervers_desktop.ui.mail.sending import (
    OUTBOX_TABLES,
    password_for,
    send_outbox,
    sending_settings,
)
from allervers_desktop.ui.operations import failure_message
from allervers_desktop.ui.record_list import list_view
from allervers_desktop.ui.tasks import BackgroundTask, ProgressCallback, run_in_background

if TYPE_CHECKING:
    from allervers_desktop.mail.templates import Template
    from allervers_desktop.ui.context import AppContext

TITLES = {
    MailKind.CONVOCATION: "Envoyer les convocations",
    MailKind.EMPLOYER_LIST: "Envoyer la liste des inscrits aux établissements",
    MailKind.REMINDER: "Relancer les participants",
    MailKind.CERTIFICATES: "Envoyer les attestations aux établissements",
    MailKind.FREE: "Message libre aux participants",
}
OPEN_FOLDER, CLOSE = "Ouvrir le dossier", "Fermer"
ERROR_STYLE = "color: #b71c1c;"


def _attachments(message: ComposedMessage) -> str:
    return ", ".join(a.file_name for a in message.attachments) or "(aucune)"


COLUMNS: tuple[Column[ComposedMessage], ...] = (
    Column("Destinataire", lambda m: str(m.message["To"])),
    Column("Copie", lambda m: str(m.message["Cc"] or "")),
    Column("Objet", lambda m: str(m.message["Subject"])),
    Column("Pièces jointes", lambda m: str(len(m.attachments)), right_aligned=True,
           tooltip=_attachments),
)  # fmt: skip


def preview_of(message: ComposedMessage) -> str:
    """The message as the recipient will read it: headers, attachments, text."""
    lines = [f"À : {message.message['To']}"]
    if message.message["Cc"]:
        lines.append(f"Copie : {message.message['Cc']}")
    lines.append(f"Objet : {message.message['Subject']}")
    lines.append(f"Pièces jointes : {_attachments(message)}")
    body = message.message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    return "\n".join(lines) + "\n\n" + str(text).rstrip()


class SendDialog(QDialog):
    """The messages of ``kind`` for one group. The composition runs off the GUI thread when the
    dialog opens (the free message: once its text is written); nothing is queued before the
    user chooses how the messages go."""

    def __init__(
        self, app: AppContext, kind: MailKind, group_id: int, group_title: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mail_send_dialog")
        self.app = app
        self.kind = kind
        self.group_id = group_id
        self.composition: Composition | None = None
        self.task: BackgroundTask | None = None
        self.setWindowTitle(f"{TITLES[kind]} — {group_title}")
        layout = QVBoxLayout(self)
        self.subject: QLineEdit | None = None
        self.body: QPlainTextEdit | None = None
        if kind is MailKind.FREE:
            self._free_fields(layout)
        self.summary = QLabel("Préparation des messages…", self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.model: ListTableModel[ComposedMessage] = ListTableModel(
            COLUMNS, lambda m: m.message_id, self
        )
        self.view = list_view(splitter, "messages", self.model)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.preview = QPlainTextEdit(splitter)
        self.preview.setObjectName("preview")
        self.preview.setReadOnly(True)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.not_reached_label = QLabel(self)
        self.not_reached_label.setStyleSheet(ERROR_STYLE)
        self.not_reached_model = QStringListModel(self)
        self.not_reached_view = QListView(self)
        self.not_reached_view.setObjectName("not_reached")
        self.not_reached_view.setModel(self.not_reached_model)
        self.not_reached_view.setMaximumHeight(110)
        for widget in (self.not_reached_label, self.not_reached_view):
            widget.hide()
            layout.addWidget(widget)
        buttons = QHBoxLayout()
        self.send_button = QPushButton("&Envoyer maintenant", self)
        self.queue_button = QPushButton("Mettre dans la &boîte d'envoi", self)
        self.drafts_button = QPushButton("Écrire des &brouillons (.eml)…", self)
        self.close_button = QPushButton("Fermer", self)
        self.send_button.setToolTip("Les messages partent par le serveur d'envoi des paramètres.")
        self.queue_button.setToolTip(
            "Les messages attendent dans la boîte d'envoi (hors connexion) : « Envoyer » les "
            "fera partir plus tard."
        )
        self.drafts_button.setToolTip(
            "Un fichier .eml par message, qu'Outlook ou Thunderbird ouvrent comme un brouillon "
            "prêt à envoyer."
        )
        self.send_button.clicked.connect(self.send_now)
        self.queue_button.clicked.connect(self.queue_only)
        self.drafts_button.clicked.connect(self.write_drafts)
        self.close_button.clicked.connect(self.reject)
        buttons.addStretch(1)
        for button in (self.send_button, self.queue_button, self.drafts_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._enable(False)
        self.resize(980, 600)
        if kind is not MailKind.FREE:
            self.prepare()
        else:
            self.summary.setText("Écrivez l'objet et le texte, puis « Préparer les messages ».")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)  # buttons visible on a 1366×768 screen at 150 %

    def _free_fields(self, layout: QVBoxLayout) -> None:
        from allervers_desktop.mail.templates import DEFAULTS, TemplateKind

        default = DEFAULTS[TemplateKind.FREE]
        form = QFormLayout()
        self.subject = QLineEdit(default.subject, self)
        self.subject.setObjectName("subject")
        self.body = QPlainTextEdit(default.body, self)
        self.body.setObjectName("body")
        self.body.setFixedHeight(130)
        form.addRow("Objet", self.subject)
        form.addRow("Texte", self.body)
        fields = QLabel(
            "Champs possibles : {civilite} {prenom} {nom} {etablissement} {formation} {groupe} "
            "{dates} {horaires} {lieu} {contact_opco}",
            self,
        )
        fields.setWordWrap(True)
        form.addRow("", fields)
        self.prepare_button = QPushButton("&Préparer les messages", self)
        self.prepare_button.clicked.connect(self.prepare)
        form.addRow("", self.prepare_button)
        layout.addLayout(form)

    def _template(self) -> Template | None:
        if self.subject is None or self.body is None:
            return None
        from allervers_desktop.mail.templates import Template

        return Template(self.subject.text(), self.body.toPlainText())

    def _enable(self, ready: bool) -> None:
        has_messages = ready and self.composition is not None and bool(self.composition.messages)
        for button in (self.send_button, self.queue_button, self.drafts_button):
            button.setEnabled(has_messages)

    # --- composing --------------------------------------------------------------------------
    def prepare(self) -> None:
        """Compose the messages off the GUI thread (the PDFs are painted there)."""
        from allervers_desktop.documents.fonts import prepare_fonts
        from allervers_desktop.mail.compose import compose

        prepare_fonts()  # on the GUI thread, before the worker paints the PDFs
        database, kind, group_id, template = (
            self.app.database,
            self.kind,
            self.group_id,
            (self._template()),
        )
        self.composition = None
        self.model.set_rows([])
        self.preview.clear()
        self._enable(False)
        self.summary.setStyleSheet("")
        self.summary.setText("Préparation des messages…")

        def work(progress: ProgressCallback) -> Composition:
            progress(0, 0)
            with database.session() as session:
                return compose(session, kind, group_id, template)

        self.task = run_in_background(
            self, self.windowTitle(), "Préparation des messages et des pièces jointes…", work,
            self._composed, self._refused, self._not_composed,
        )  # fmt: skip

    def _composed(self, composition: Composition) -> None:
        self.task = None
        self.composition = composition
        self.model.set_rows(composition.messages)
        count = len(composition.messages)
        text = f"{plural(count, 'message', 'messages')} à envoyer."
        if composition.not_reached:
            text += (
                f" {plural(len(composition.not_reached), 'destinataire', 'destinataires')} "
                "sans adresse utilisable (ci-dessous) : à joindre autrement."
            )
        self.summary.setText(text)
        self.not_reached_label.setText(
            f"Non joints ({len(composition.not_reached)}) : corrigez l'adresse dans la fiche, "
            "puis préparez à nouveau les messages."
        )
        self.not_reached_model.setStringList(composition.not_reached)
        for widget in (self.not_reached_label, self.not_reached_view):
            widget.setVisible(bool(composition.not_reached))
        if count:
            self.view.selectRow(0)
            self.view.resizeColumnsToContents()
        self._enable(True)

    def _refused(self, error: BaseException) -> None:
        self.task = None
        message = failure_message(error)
        self.summary.setStyleSheet(ERROR_STYLE)
        if message is None:  # a bug: the last-resort handler logs it and shows the details
            self.summary.setText("La préparation des messages a échoué (erreur inattendue).")
            raise error
        self.summary.setText(message)

    def _not_composed(self) -> None:
        self.task = None
        self.summary.setText("Préparation annulée.")

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        message = self.model.row_at(rows[0].row()) if rows else None
        self.preview.setPlainText(preview_of(message) if message is not None else "")

    # --- the three ways out ------------------------------------------------------------------
    def _queue(self) -> list[int] | None:
        from allervers_desktop.mail.outbox import queue

        composition = self.composition
        if composition is None or not composition.messages:
            return None
        done = self.app.operations.write(
            self, self.windowTitle(), lambda session: queue(session, composition.messages)
        )
        if done is None:
            return None
        self.composition = None  # queued once: the same messages are never queued twice
        self._enable(False)
        return done.value

    def queue_only(self) -> None:
        ids = self._queue()
        if ids is None:
            return
        self.app.status(
            f"{plural(len(ids), 'message mis', 'messages mis')} dans la boîte d'envoi "
            "(Messages › Boîte d'envoi).",
            8000,
        )
        self.accept()

    def send_now(self) -> None:
        settings = sending_settings(self.app, self)
        if settings is None:
            return
        password = password_for(self.app, self, settings)
        if not password[0]:
            return
        ids = self._queue()
        if ids is None:
            return
        self.task = send_outbox(
            self.app, self, ids, lambda _report: self.accept(), settings=settings,
            password=password,
        )  # fmt: skip
        if self.task is None:  # queued all the same: they wait in the outbox
            self.app.operations.announce(OUTBOX_TABLES, None)
            self.accept()

    def write_drafts(self) -> None:
        from allervers_desktop.mail.drafts import write_drafts

        composition = self.composition
        if composition is None:
            return
        folder = self.app.prompts.choose_directory(self, "Dossier des brouillons")
        if folder is None:
            return
        try:
            files = write_drafts(composition.messages, Path(folder))
        except Exception as error:
            message = failure_message(error)
            if message is None:
                raise
            self.app.prompts.error(self, self.windowTitle(), message)
            return
        answer = self.app.prompts.choose(
            self,
            self.windowTitle(),
            f"{plural(len(files), 'brouillon écrit', 'brouillons écrits')} dans « {folder} ». "
            "Ouvrez-les avec Outlook ou Thunderbird pour les envoyer.",
            [OPEN_FOLDER, CLOSE],
            result=True,
        )
        if answer == OPEN_FOLDER:
            self.app.prompts.open_path(Path(folder))
        self.accept()
