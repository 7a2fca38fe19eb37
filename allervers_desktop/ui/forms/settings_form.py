"""« Paramètres »: the identity printed on documents, with logo and signature images."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.images import decode_image, drawing_problem
from allervers_desktop.privacy.rules import PREFIX, get_rules, save_rules
from allervers_desktop.services.backups import backup_dir, default_backup_dir, set_backup_dir
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.settings import (
    DocumentIdentity,
    StoredImage,
    get_identity,
    read_image_file,
    save_identity,
)
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.retention_fields import RetentionFields
from allervers_desktop.ui.forms.widgets import line_edit
from allervers_desktop.ui.prompts import Prompts

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.bmp)"


class ImagePicker(QWidget):
    """A preview with « Choisir… » and « Retirer » buttons."""

    def __init__(
        self, what: str, image: StoredImage | None, prompts: Prompts, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.what = what
        self.image = image
        self.prompts = prompts
        self.preview = QLabel(self)
        self.preview.setFixedSize(180, 70)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("border: 1px solid #ccc; background: white;")
        self.choose_button = QPushButton("Choisir…", self)
        self.remove_button = QPushButton("Retirer", self)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self._show()

    def choose(self) -> None:
        path = self.prompts.open_file(self, f"Choisir l'image de {self.what}", IMAGE_FILTER)
        if not path:
            return
        try:
            self.image = read_image_file(Path(path), self.what)
        except ServiceError as exc:
            self.prompts.error(self, "Image refusée", exc.message)
            return
        self._show()

    def remove(self) -> None:
        self.image = None
        self._show()

    def _show(self) -> None:
        self.remove_button.setEnabled(self.image is not None)
        if self.image is None:
            self.preview.setText("Aucune image")
            return
        pixmap = QPixmap.fromImage(decode_image(self.image.content))
        if pixmap.isNull():
            problem = drawing_problem(self.image.content) or "illisible"
            self.preview.setText(f"Image inutilisable : {problem}")
            self.preview.setToolTip(self.image.file_name)
            return
        self.preview.setPixmap(
            pixmap.scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.preview.setToolTip(self.image.file_name)


class FolderPicker(QWidget):
    """The backup folder: its path, « Choisir… » and « Par défaut »."""

    def __init__(self, folder: Path, prompts: Prompts, parent: QWidget) -> None:
        super().__init__(parent)
        self.prompts = prompts
        self.folder: Path | None = None if folder == default_backup_dir() else folder
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("Choisir…", self)
        self.default_button = QPushButton("Par défaut", self)
        self.choose_button.clicked.connect(self.choose)
        self.default_button.clicked.connect(self.reset)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.default_button)
        self._show()

    def choose(self) -> None:
        chosen = self.prompts.choose_directory(self, "Dossier des sauvegardes")
        if chosen:
            self.folder = Path(chosen)
            self._show()

    def reset(self) -> None:
        self.folder = None
        self._show()

    def _show(self) -> None:
        shown = self.folder or default_backup_dir()
        self.label.setText(str(shown) + ("" if self.folder else " (par défaut)"))
        self.default_button.setEnabled(self.folder is not None)


class SettingsForm(FormDialog):
    def __init__(self, database: Database, prompts: Prompts, parent: QWidget | None = None):
        super().__init__(database, "Paramètres — identité imprimée sur les documents", parent)
        with database.session() as session:
            identity = get_identity(session)
            rules = get_rules(session)
        self.identity = identity
        intro = QLabel(
            "L'identité de l'Opco figure sur les convocations, les feuilles d'émargement et les "
            "fiches techniques. Les attestations et les certificats de réalisation sont délivrés "
            "par l'organisme de formation, avec son identité (Fichier › Organismes de formation).",
            self,
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        form = self.new_form_layout()
        self.organisation = self.register(
            "organisation_name",
            line_edit(self, identity.organisation_name, "ex. Opco Santé – Délégation Grand Est"),
        )
        self.address = self.register("address", QPlainTextEdit(identity.address, self))
        self.address.setFixedHeight(64)
        self.signatory_name = self.register(
            "signatory_name", line_edit(self, identity.signatory_name)
        )
        self.signatory_title = self.register(
            "signatory_title", line_edit(self, identity.signatory_title, "ex. Directrice")
        )
        self.city = self.register("city", line_edit(self, identity.city, "ex. Strasbourg"))
        self.logo = self.register("logo", ImagePicker("logo", identity.logo, prompts, self))
        self.signature = self.register(
            "signature", ImagePicker("signature", identity.signature, prompts, self)
        )
        form.addRow("Organisme", self.organisation)
        form.addRow("Adresse", self.address)
        form.addRow("Signataire", self.signatory_name)
        form.addRow("Qualité du signataire", self.signatory_title)
        form.addRow("Fait à (ville)", self.city)
        form.addRow("Logo", self.logo)
        form.addRow("Signature", self.signature)
        self.body.addLayout(form)
        self.retention = RetentionFields(rules, self)
        for name, spin in self.retention.spins.items():
            self.register(PREFIX + name, spin)
        self.body.addWidget(self.retention)
        with database.session() as session:
            folder = backup_dir(session)
        backup_form = self.new_form_layout()
        self.backup_folder = self.register("backup_folder", FolderPicker(folder, prompts, self))
        backup_form.addRow("Dossier des sauvegardes", self.backup_folder)
        note = QLabel(
            "Une sauvegarde vérifiée y est faite à la fermeture (au plus une par jour) ; "
            "on garde les 7 derniers jours, 4 semaines et 12 mois.",
            self,
        )
        note.setWordWrap(True)
        backup_form.addRow("", note)
        self.body.addLayout(backup_form)
        self.resize(560, 0)

    def data(self) -> DocumentIdentity:
        return replace(
            self.identity,
            organisation_name=self.organisation.text(),
            address=self.address.toPlainText(),
            signatory_name=self.signatory_name.text(),
            signatory_title=self.signatory_title.text(),
            city=self.city.text(),
            logo=self.logo.image,
            signature=self.signature.image,
        )

    def save(self, session: Session) -> int:
        save_identity(session, self.data())
        save_rules(session, self.retention.rules())
        set_backup_dir(session, self.backup_folder.folder)
        return 0
