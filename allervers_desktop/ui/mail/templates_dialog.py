"""« Modèles des messages » : the French templates, their placeholders, a check as one types,
and a preview with the real values of the group shown in the Groupes tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtGui import QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.mail.compose import MailKind, preview_text
from allervers_desktop.mail.templates import (
    DEFAULTS,
    PLACEHOLDERS,
    Template,
    TemplateKind,
    check_template,
    load_template,
    save_template,
)
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.operations import attempt

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

KIND_TITLES = {
    TemplateKind.CONVOCATION: "Convocation",
    TemplateKind.EMPLOYER_LIST: "Liste des inscrits",
    TemplateKind.REMINDER: "Rappel",
    TemplateKind.CERTIFICATES: "Attestations",
    TemplateKind.FREE: "Message libre",
}
KIND_TIPS = {
    TemplateKind.CONVOCATION: "À chaque participant, en copie à l'établissement",
    TemplateKind.EMPLOYER_LIST: "À chaque établissement, la liste de ses inscrits",
    TemplateKind.REMINDER: "À chaque participant, avant le premier jour",
    TemplateKind.CERTIFICATES: "À chaque établissement, après la session",
    TemplateKind.FREE: "Le texte proposé pour un message libre",
}
KINDS = list(KIND_TITLES)
ERROR_STYLE = "color: #b71c1c;"
PREVIEW_DELAY_MS = 300


class TemplatesDialog(QDialog):
    """All the templates edited at once; « Enregistrer » stores the changed ones in one
    transaction, after checking each (a template that does not read is named)."""

    def __init__(
        self, app: AppContext, parent: QWidget, group_id: int | None, group_title: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mail_templates")
        self.setWindowTitle("Modèles des messages")
        self.app = app
        self.group_id = group_id
        with app.database.session() as session:
            self.stored = {kind: load_template(session, kind) for kind in KINDS}
        self.edited = dict(self.stored)
        self.kind = KINDS[0]
        layout = QHBoxLayout(self)
        self.kinds = QListView(self)
        self.kinds.setObjectName("kinds")
        kinds_model = QStandardItemModel(self)
        for kind in KINDS:
            item = QStandardItem(KIND_TITLES[kind])
            item.setToolTip(KIND_TIPS[kind])
            item.setEditable(False)
            kinds_model.appendRow(item)
        self.kinds.setModel(kinds_model)
        self.kinds.setMaximumWidth(180)
        self.kinds.selectionModel().currentChanged.connect(self._kind_chosen)
        layout.addWidget(self.kinds)
        right = QVBoxLayout()
        form = QFormLayout()
        self.subject = QLineEdit(self)
        self.subject.setObjectName("subject")
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("body")
        form.addRow("Objet", self.subject)
        form.addRow("Texte", self.body)
        right.addLayout(form, 2)
        self.check = QLabel(self)
        self.check.setObjectName("check")
        self.check.setWordWrap(True)
        right.addWidget(self.check)
        fields_row = QHBoxLayout()
        fields_column = QVBoxLayout()
        fields_column.addWidget(QLabel("Champs (double-clic : insérer)", self))
        self.fields = QListView(self)
        self.fields.setObjectName("placeholders")
        fields_model = QStandardItemModel(self)
        for name, text in PLACEHOLDERS.items():
            item = QStandardItem("{" + name + "}")
            item.setToolTip(text)
            item.setEditable(False)
            fields_model.appendRow(item)
        self.fields.setModel(fields_model)
        self.fields.setMaximumWidth(180)
        self.fields.activated.connect(self._insert_field)
        fields_column.addWidget(self.fields)
        fields_row.addLayout(fields_column)
        preview_column = QVBoxLayout()
        preview_column.addWidget(
            QLabel("Aperçu" + (f" avec « {group_title} »" if group_title else ""), self)
        )
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("preview")
        self.preview.setReadOnly(True)
        preview_column.addWidget(self.preview)
        fields_row.addLayout(preview_column, 1)
        right.addLayout(fields_row, 2)
        buttons = QHBoxLayout()
        self.default_button = QPushButton("Rétablir le texte par &défaut", self)
        self.default_button.clicked.connect(self.restore_default)
        self.save_button = QPushButton("&Enregistrer", self)
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton("Fermer", self)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        right.addLayout(buttons)
        layout.addLayout(right, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(PREVIEW_DELAY_MS)
        self.timer.timeout.connect(self.refresh_preview)
        self.subject.textEdited.connect(self._edited)
        self.body.textChanged.connect(self._edited)
        self._loading = False
        self.kinds.setCurrentIndex(self.kinds.model().index(0, 0))
        self._show_kind(self.kind)
        self.resize(1050, 620)

    # --- editing -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)  # buttons visible on a 1366×768 screen at 150 %

    def _kind_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_kind(KINDS[current.row()])

    def _show_kind(self, kind: TemplateKind) -> None:
        self.kind = kind
        self._loading = True
        template = self.edited[kind]
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self._loading = False
        self._check()
        self.refresh_preview()

    def current(self) -> Template:
        return Template(self.subject.text(), self.body.toPlainText())

    def _edited(self) -> None:
        if self._loading:
            return
        self.edited[self.kind] = self.current()
        self._check()
        self.timer.start()

    def _check(self) -> bool:
        try:
            check_template(self.current())
        except ServiceError as exc:
            self.check.setStyleSheet(ERROR_STYLE)
            self.check.setText(exc.message)
            return False
        self.check.setStyleSheet("color: #1b5e20;")
        self.check.setText("Le modèle est correct.")
        return True

    def _insert_field(self, index: QModelIndex) -> None:
        name = list(PLACEHOLDERS)[index.row()]
        self.body.insertPlainText("{" + name + "}")
        self.body.setFocus()

    def restore_default(self) -> None:
        default = DEFAULTS[self.kind]
        self.subject.setText(default.subject)
        self.body.setPlainText(default.body)  # textChanged records it
        self.edited[self.kind] = default

    def refresh_preview(self) -> None:
        """The current kind filled with the group's first recipient (text only)."""
        if self.group_id is None:
            self.preview.setPlainText(
                "Choisissez un groupe dans l'onglet Groupes pour voir l'aperçu avec ses valeurs."
            )
            return
        kind, group_id, template = MailKind(self.kind.value), self.group_id, self.current()
        shown: list[str] = []

        def work(session: Session) -> str:
            text = preview_text(session, kind, group_id, template)
            return f"À : {text.recipient}\nObjet : {text.subject}\n\n{text.body}"

        done = attempt(self.app.database, work, shown.append, write=False)
        if done is not None:
            self.preview.setPlainText(done.value)
        else:
            self.preview.setPlainText("Aperçu impossible : " + shown[0])

    # --- saving ------------------------------------------------------------------------------
    def changed_kinds(self) -> list[TemplateKind]:
        return [kind for kind in KINDS if self.edited[kind] != self.stored[kind]]

    def save(self) -> None:
        changed = self.changed_kinds()
        for kind in changed:
            try:
                check_template(self.edited[kind])
            except ServiceError as exc:
                self.kinds.setCurrentIndex(self.kinds.model().index(KINDS.index(kind), 0))
                self.app.prompts.error(
                    self, self.windowTitle(), f"{KIND_TITLES[kind]} : {exc.message}"
                )
                return

        def work(session: Session) -> None:
            for kind in changed:
                save_template(session, kind, self.edited[kind])

        if changed and self.app.operations.write(self, self.windowTitle(), work) is None:
            return
        self.stored = dict(self.edited)
        self.app.status(
            f"{len(changed)} modèle(s) enregistré(s)." if changed else "Aucun changement.", 5000
        )
        self.accept()

    def reject(self) -> None:
        if self.changed_kinds() and not self.app.prompts.confirm(
            self,
            "Abandonner les modifications ?",
            "Les modèles modifiés ne sont pas enregistrés.",
        ):
            return
        super().reject()
