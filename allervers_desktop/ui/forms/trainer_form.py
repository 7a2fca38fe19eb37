"""Form to create or edit a trainer (intervenant)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Trainer
from allervers_desktop.services.trainers import (
    TrainerData,
    create_trainer,
    get_trainer,
    update_trainer,
)
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.widgets import civility_combo, line_edit


class TrainerForm(FormDialog):
    def __init__(self, database: Database, trainer_id: int | None, parent: QWidget | None = None):
        title = "Nouvel intervenant" if trainer_id is None else "Modifier l'intervenant"
        super().__init__(database, title, parent)
        self.trainer_id = trainer_id
        data = TrainerData("", "")
        if trainer_id is not None:
            with database.session() as session:
                trainer = get_trainer(session, trainer_id)
                data = TrainerData.from_trainer(trainer)
                self.guard(Trainer, trainer_id, trainer.version, "intervenant")
        form = self.new_form_layout()
        self.civility = self.register("civility", civility_combo(self, data.civility))
        self.last_name = self.register("last_name", line_edit(self, data.last_name))
        self.first_name = self.register("first_name", line_edit(self, data.first_name))
        self.job_title = self.register(
            "job_title", line_edit(self, data.job_title, "ex. Chargée de projets")
        )
        self.organisation = self.register("organisation", line_edit(self, data.organisation))
        self.email = self.register("email", line_edit(self, data.email, "prenom.nom@exemple.fr"))
        self.phone = self.register("phone", line_edit(self, data.phone))
        form.addRow("Civilité", self.civility)
        form.addRow("Nom *", self.last_name)
        form.addRow("Prénom *", self.first_name)
        form.addRow("Fonction", self.job_title)
        form.addRow("Organisme", self.organisation)
        form.addRow("E-mail", self.email)
        form.addRow("Téléphone", self.phone)
        self.body.addLayout(form)
        self.resize(460, 0)

    def reopened(self) -> TrainerForm | None:
        if self.trainer_id is None:
            return None
        return TrainerForm(self.database, self.trainer_id, self.parentWidget())

    def data(self) -> TrainerData:
        return TrainerData(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            civility=self.civility.currentData(),
            job_title=self.job_title.text(),
            organisation=self.organisation.text(),
            email=self.email.text(),
            phone=self.phone.text(),
        )

    def save(self, session: Session) -> int:
        if self.trainer_id is None:
            return create_trainer(session, self.data()).id
        return update_trainer(session, self.trainer_id, self.data()).id
