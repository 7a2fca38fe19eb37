"""Form to create or edit a training provider: identity, registration numbers, contacts, images."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import TrainingProvider
from allervers_desktop.formatting import format_nda, format_siret
from allervers_desktop.services.providers import (
    IMAGE_KINDS,
    ProviderData,
    create_provider,
    get_provider,
    update_provider,
)
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.settings_form import ImagePicker
from allervers_desktop.ui.forms.widgets import line_edit
from allervers_desktop.ui.prompts import Prompts


def _area(parent: QWidget, text: str, height: int, placeholder: str) -> QPlainTextEdit:
    area = QPlainTextEdit(text, parent)
    area.setFixedHeight(height)
    area.setPlaceholderText(placeholder)
    return area


class ProviderForm(FormDialog):
    """The identity an attestation or a certificat de réalisation is issued under."""

    def __init__(
        self,
        database: Database,
        prompts: Prompts,
        provider_id: int | None,
        parent: QWidget | None = None,
        *,
        name: str = "",
    ) -> None:
        title = (
            "Nouvel organisme de formation"
            if provider_id is None
            else "Modifier l'organisme de formation"
        )
        super().__init__(database, title, parent)
        self.provider_id = provider_id
        self.prompts = prompts
        data = ProviderData(name=name)
        if provider_id is not None:
            with database.session() as session:
                provider = get_provider(session, provider_id)
                data = ProviderData.from_provider(session, provider)
                self.guard(
                    TrainingProvider, provider_id, provider.version, "organisme de formation"
                )
        self.saved_name = data.name

        identity = QGroupBox("Identité", self)
        form = self.new_form_layout()
        self.name_edit = self.register("name", line_edit(identity, data.name, "ex. PRAXIS"))
        self.address_edit = self.register(
            "address", _area(identity, data.address, 48, "Numéro et rue (une ou deux lignes)")
        )
        self.postcode_edit = self.register("postcode", line_edit(identity, data.postcode, "67000"))
        self.postcode_edit.setMaximumWidth(90)
        self.city_edit = self.register("city", line_edit(identity, data.city, "Strasbourg"))
        town = QHBoxLayout()
        town.addWidget(self.postcode_edit)
        town.addWidget(self.city_edit, 1)
        self.siret_edit = self.register(
            "siret", line_edit(identity, format_siret(data.siret), "14 chiffres")
        )
        self.nda_edit = self.register(
            "nda", line_edit(identity, format_nda(data.nda), "11 chiffres")
        )
        self.nda_region_edit = self.register(
            "nda_region", line_edit(identity, data.nda_region, "ex. Grand Est")
        )
        self.representative_edit = self.register(
            "legal_representative", line_edit(identity, data.legal_representative)
        )
        self.representative_title_edit = self.register(
            "legal_representative_title",
            line_edit(identity, data.legal_representative_title, "ex. Directrice"),
        )
        form.addRow("Raison sociale *", self.name_edit)
        form.addRow("Adresse", self.address_edit)
        form.addRow("Code postal, ville", town)
        form.addRow("SIRET", self.siret_edit)
        form.addRow("N° de déclaration d'activité", self.nda_edit)
        form.addRow("Région de la déclaration", self.nda_region_edit)
        form.addRow("Représentant légal", self.representative_edit)
        form.addRow("Qualité", self.representative_title_edit)
        identity.setLayout(form)

        contacts = QGroupBox("Contacts et accueil des stagiaires", self)
        form = self.new_form_layout()
        self.contact_edit = self.register("contact_name", line_edit(contacts, data.contact_name))
        self.contact_email_edit = self.register(
            "contact_email", line_edit(contacts, data.contact_email)
        )
        self.contact_phone_edit = self.register(
            "contact_phone", line_edit(contacts, data.contact_phone)
        )
        self.accessibility_edit = self.register(
            "accessibility_contact",
            _area(contacts, data.accessibility_contact, 44, "Nom, e-mail et téléphone"),
        )
        self.rules_edit = self.register(
            "internal_rules",
            _area(contacts, data.internal_rules, 56, "Adresse web ou texte du règlement"),
        )
        form.addRow("Contact", self.contact_edit)
        form.addRow("E-mail", self.contact_email_edit)
        form.addRow("Téléphone", self.contact_phone_edit)
        form.addRow("Référent handicap", self.accessibility_edit)
        form.addRow("Règlement intérieur", self.rules_edit)
        contacts.setLayout(form)

        images = QGroupBox("Images imprimées sur ses documents", self)
        form = self.new_form_layout()
        self.logo_picker = self.register(
            "logo", ImagePicker(IMAGE_KINDS["logo"], data.logo, prompts, images)
        )
        self.stamp_picker = self.register(
            "stamp", ImagePicker(IMAGE_KINDS["stamp"], data.stamp, prompts, images)
        )
        form.addRow("Logo", self.logo_picker)
        form.addRow("Cachet et signature", self.stamp_picker)
        images.setLayout(form)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(identity)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(contacts)
        right.addWidget(images)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self.body.addLayout(columns)
        self.resize(980, 0)

    def reopened(self) -> ProviderForm | None:
        if self.provider_id is None:
            return None
        return ProviderForm(self.database, self.prompts, self.provider_id, self.parentWidget())

    def data(self) -> ProviderData:
        return ProviderData(
            name=self.name_edit.text(),
            address=self.address_edit.toPlainText(),
            postcode=self.postcode_edit.text(),
            city=self.city_edit.text(),
            siret=self.siret_edit.text(),
            nda=self.nda_edit.text(),
            nda_region=self.nda_region_edit.text(),
            legal_representative=self.representative_edit.text(),
            legal_representative_title=self.representative_title_edit.text(),
            contact_name=self.contact_edit.text(),
            contact_email=self.contact_email_edit.text(),
            contact_phone=self.contact_phone_edit.text(),
            accessibility_contact=self.accessibility_edit.toPlainText(),
            internal_rules=self.rules_edit.toPlainText(),
            logo=self.logo_picker.image,
            stamp=self.stamp_picker.image,
        )

    def save(self, session: Session) -> int:
        if self.provider_id is None:
            provider = create_provider(session, self.data())
        else:
            provider = update_provider(session, self.provider_id, self.data())
        self.saved_name = provider.name
        return provider.id
