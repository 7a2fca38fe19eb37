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
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.settings import (
    DocumentIdentity,
    StoredImage,
    get_identity,
    read_image_file,
    save_identity,
)
from allervers_desktop.ui.forms.form_dialog import FormDialog
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


class SettingsForm(FormDialog):
    def __init__(self, database: Database, prompts: Prompts, parent: QWidget | None = None):
        super().__init__(database, "Paramètres — identité imprimée sur les documents", parent)
        with database.session() as session:
            identity = get_identity(session)
        self.identity = identity
        intro = QLabel(
            "Ces informations figurent sur les feuilles d'émargement, les attestations, les "
            "certificats de réalisation et les convocations.",
            self,
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        form = self.new_form_layout()
        self.organisation = self.register(
            "organisation_name",
            line_edit(self, identity.organisation_name, "ex. PRAXIS ou Opco Santé Grand Est"),
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
        return 0
