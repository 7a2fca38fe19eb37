"""The date printed on documents issued now: the issue date (today unless backdating is ticked)
or a convocation's sending date (at the latest the group's first day)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.parsing import ParseError
from allervers_desktop.ui.forms.date_time_fields import DateField
from allervers_desktop.ui.forms.keyboard import FormKeyboard, fit_to_screen


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
        latest = today if first_day is None else min(today, first_day)
        self.date_edit = DateField(latest, self, maximum=latest)
        self.date_edit.setObjectName("issue_date")
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("errors")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("QLabel { color: #b71c1c; }")
        self.problem_label.hide()
        self.date_edit.problem.connect(self._show_problem)
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
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.keyboard = FormKeyboard(self, self.accept)
        self._shown = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.keyboard.prepare()
            fit_to_screen(self)
            self.keyboard.focus_first_field([self.date_edit, self.backdate])

    def accept(self) -> None:
        """A typed date that does not read (or is after the latest allowed) keeps the dialog."""
        if self.backdate.isChecked() and not self.date_edit.normalise():
            self.date_edit.setFocus()
            return
        super().accept()

    def _show_problem(self, message: str) -> None:
        self.problem_label.setText(message)
        self.problem_label.setVisible(bool(message))

    def issue_date(self) -> dt.date:
        if not self.backdate.isChecked():
            return self.today
        try:
            return self.date_edit.date()
        except ParseError:
            return self.today
