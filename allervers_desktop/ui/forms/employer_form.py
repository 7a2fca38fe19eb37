"""Form to edit an établissement: name, city, address, SIRET, FINESS and its contact."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer
from allervers_desktop.formatting import format_siret
from allervers_desktop.services.employer_directory import EmployerData, save_employer
from allervers_desktop.services.employers import get_employer
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.widgets import line_edit


class EmployerForm(FormDialog):
    """The service checks the SIRET and FINESS keys and refuses a name already taken."""

    def __init__(self, database: Database, employer_id: int, parent: QWidget | None = None):
        super().__init__(database, "Modifier l'établissement", parent)
        self.employer_id = employer_id
        with database.session() as session:
            employer = get_employer(session, employer_id)
            data = EmployerData.from_employer(employer)
            self.guard(Employer, employer_id, employer.version, "établissement")
        form = self.new_form_layout()
        self.name_edit = self.register("name", line_edit(self, data.name, "ex. Foyer Saint-Éloi"))
        self.city_edit = self.register("city", line_edit(self, data.city, "ex. Colmar"))
        self.address_edit = self.register("address", QPlainTextEdit(data.address, self))
        self.address_edit.setFixedHeight(52)
        self.address_edit.setPlaceholderText("Numéro et rue, code postal")
        self.siret_edit = self.register(
            "siret", line_edit(self, format_siret(data.siret), "14 chiffres")
        )
        self.finess_edit = self.register("finess", line_edit(self, data.finess, "9 caractères"))
        self.contact_edit = self.register("contact_name", line_edit(self, data.contact_name))
        self.contact_email_edit = self.register(
            "contact_email", line_edit(self, data.contact_email, "ex. rh@etablissement.fr")
        )
        form.addRow("Établissement *", self.name_edit)
        form.addRow("Ville", self.city_edit)
        form.addRow("Adresse", self.address_edit)
        form.addRow("SIRET", self.siret_edit)
        form.addRow("FINESS", self.finess_edit)
        form.addRow("Personne à contacter", self.contact_edit)
        form.addRow("E-mail du contact", self.contact_email_edit)
        self.body.addLayout(form)
        self.resize(560, 0)

    def reopened(self) -> EmployerForm:
        return EmployerForm(self.database, self.employer_id, self.parentWidget())

    def data(self) -> EmployerData:
        return EmployerData(
            name=self.name_edit.text(),
            city=self.city_edit.text(),
            address=self.address_edit.toPlainText(),
            siret=self.siret_edit.text(),
            finess=self.finess_edit.text(),
            contact_name=self.contact_edit.text(),
            contact_email=self.contact_email_edit.text(),
        )

    def save(self, session: Session) -> int:
        return save_employer(session, self.employer_id, self.data()).id
