"""Form to create or edit a participant, with their employer picked or created."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QRadioButton, QWidget
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Participant
from allervers_desktop.services.employers import employer_choices
from allervers_desktop.services.participants import (
    ParticipantData,
    create_participant,
    get_participant,
    update_participant,
)
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.widgets import civility_combo, line_edit


class ParticipantForm(FormDialog):
    def __init__(
        self, database: Database, participant_id: int | None, parent: QWidget | None = None
    ) -> None:
        title = "Nouveau participant" if participant_id is None else "Modifier le participant"
        super().__init__(database, title, parent)
        self.participant_id = participant_id
        data = ParticipantData("")
        with database.session() as session:
            if participant_id is not None:
                participant = get_participant(session, participant_id)
                data = ParticipantData.from_participant(participant)
                self.guard(Participant, participant_id, participant.version, "participant")
            employers = employer_choices(session)
        form = self.new_form_layout()
        self.civility = self.register("civility", civility_combo(self, data.civility))
        self.last_name = self.register("last_name", line_edit(self, data.last_name))
        self.first_name = self.register("first_name", line_edit(self, data.first_name))
        self.email = self.register("email", line_edit(self, data.email, "prenom.nom@exemple.fr"))
        self.phone = self.register("phone", line_edit(self, data.phone))
        self.job_title = self.register(
            "job_title", line_edit(self, data.job_title, "ex. Éducatrice spécialisée")
        )

        self.existing_employer = QRadioButton("Établissement existant", self)
        self.existing_employer.setObjectName("existing_employer")
        self.new_employer = QRadioButton("Nouvel établissement", self)
        self.new_employer.setObjectName("new_employer")
        self.employer = self.register("employer", QComboBox(self))
        self.employer.addItem("— Aucun —", None)
        for employer_id, label in employers:
            self.employer.addItem(label, employer_id)
        self.employer.setEditable(True)
        self.employer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.employer.completer()
        completer.setFilterMode(completer.filterMode().MatchContains)
        self.employer.setCurrentIndex(max(0, self.employer.findData(data.employer_id)))
        self.employer_name = self.register("employer_name", line_edit(self, "", "Nom"))
        self.employer_city = self.register("employer_city", line_edit(self, "", "Ville"))
        self.existing_employer.setChecked(True)
        self.existing_employer.toggled.connect(self._employer_mode_changed)
        self._employer_mode_changed(True)
        self.notes = self.register("notes", QPlainTextEdit(data.notes, self))
        self.notes.setFixedHeight(70)

        form.addRow("Civilité", self.civility)
        form.addRow("Nom *", self.last_name)
        form.addRow("Prénom", self.first_name)
        form.addRow("E-mail", self.email)
        form.addRow("Téléphone", self.phone)
        form.addRow("Fonction", self.job_title)
        form.addRow(self.existing_employer, self.employer)
        form.addRow(self.new_employer, self.employer_name)
        form.addRow("", self.employer_city)
        form.addRow("Notes", self.notes)
        self.body.addLayout(form)
        self.resize(520, 0)

    def reopened(self) -> ParticipantForm | None:
        if self.participant_id is None:
            return None
        return ParticipantForm(self.database, self.participant_id, self.parentWidget())

    def _employer_mode_changed(self, existing: bool) -> None:
        self.employer.setEnabled(existing)
        self.employer_name.setEnabled(not existing)
        self.employer_city.setEnabled(not existing)

    def data(self) -> ParticipantData:
        employer_id = None
        if self.existing_employer.isChecked():
            index = self.employer.findText(self.employer.currentText())
            employer_id = self.employer.itemData(index) if index >= 0 else None
        return ParticipantData(
            last_name=self.last_name.text(),
            first_name=self.first_name.text(),
            civility=self.civility.currentData(),
            email=self.email.text(),
            phone=self.phone.text(),
            job_title=self.job_title.text(),
            employer_id=employer_id,
            employer_name="" if self.existing_employer.isChecked() else self.employer_name.text(),
            employer_city="" if self.existing_employer.isChecked() else self.employer_city.text(),
            notes=self.notes.toPlainText(),
        )

    def save(self, session: Session) -> int:
        data = self.data()
        if self.existing_employer.isChecked() and self.employer.currentText().strip():
            index = self.employer.findText(self.employer.currentText())
            if index < 0:
                from allervers_desktop.services.errors import Errors

                errors = Errors()
                errors.add(
                    "employer",
                    f"L'établissement « {self.employer.currentText()} » n'existe pas : "
                    "choisissez-le dans la liste ou cochez « Nouvel établissement ».",
                )
                errors.raise_if_any()
        if self.participant_id is None:
            return create_participant(session, data).id
        return update_participant(session, self.participant_id, data).id
