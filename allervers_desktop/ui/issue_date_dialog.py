"""The date printed on documents issued now: the issue date (today unless backdating is ticked)
or a convocation's sending date (at the latest the group's first day)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)


class IssueDateDialog(QDialog):
    """« Antidater la délivrance » is off by default; the date cannot be after today.

    With ``first_day`` (convocations), the date asked is the sending date: always chosen, at the
    latest the group's first day (or today if earlier), so a convocation sent before a group
    that has since started can be printed again with the date it was sent."""

    def __init__(
        self,
        noun_plural: str,
        today: dt.date,
        parent: QWidget | None = None,
        first_day: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.today = today  # the database's clock (see ``clock.py``)
        self.backdate = QCheckBox("Antidater la délivrance", self)
        self.backdate.setObjectName("backdate")
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("issue_date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        latest = today if first_day is None else min(today, first_day)
        self.date_edit.setMaximumDate(QDate(latest.year, latest.month, latest.day))
        self.date_edit.setDate(QDate(latest.year, latest.month, latest.day))
        if first_day is None:
            self.setWindowTitle("Date de délivrance")
            intro = QLabel(
                f"Les {noun_plural} délivré(e)s maintenant portent la date du jour. Une autre "
                "date est enregistrée comme antidatée dans le journal des documents, avec le "
                "moment réel de leur création. Une réimpression garde toujours sa date d'origine.",
                self,
            )
            self.date_edit.setEnabled(False)
            self.backdate.toggled.connect(self.date_edit.setEnabled)
        else:
            self.setWindowTitle("Date d'envoi")
            intro = QLabel(
                f"Date d'envoi imprimée sur les {noun_plural} : au plus tard le premier jour du "
                "groupe. Pour réimprimer une convocation déjà envoyée, indiquez la date à "
                "laquelle elle l'a été.",
                self,
            )
            self.backdate.setChecked(True)
            self.backdate.hide()
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Continuer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.backdate)
        layout.addWidget(self.date_edit)
        layout.addWidget(buttons)

    def issue_date(self) -> dt.date:
        if not self.backdate.isChecked():
            return self.today
        value = self.date_edit.date()
        return dt.date(value.year(), value.month(), value.day())
