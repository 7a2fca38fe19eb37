"""« Établissements »: the employers, searchable, with their participants; edit and merge them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Employer, Participant
from allervers_desktop.formatting import format_siret
from allervers_desktop.services.employer_directory import merge_employers
from allervers_desktop.services.employers import get_employer
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.enter_table import EnterTable
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.html import bullet_list, fields, heading, section
from allervers_desktop.ui.lazy_table_model import ID_ROLE, AnySelect, Column, LazyTableModel
from allervers_desktop.ui.record_list import search_field, set_up_view
from allervers_desktop.ui.view_state import remember

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TITLE = "Établissements"
MERGE_TITLE = "Fusionner deux établissements"


class EmployersModel(LazyTableModel):
    """One row per employer, with its number of participants."""

    participants = (
        select(func.count())
        .where(Participant.employer_id == Employer.id)
        .correlate(Employer)
        .scalar_subquery()
    )
    columns = (
        Column("Établissement", func.lower(Employer.name)),
        Column("Ville", Employer.city),
        Column("SIRET", Employer.siret),
        Column("FINESS", Employer.finess),
        Column("Participants", participants, RIGHT),
    )
    # Folded name and city, then the identifiers: « colmar », « 750712184 » or « 123 456 ».
    search_column = Employer.match_key + "|" + Employer.siret + "|" + Employer.finess

    def query(self) -> AnySelect:
        return select(
            Employer.id,
            Employer.name,
            Employer.city,
            Employer.siret,
            Employer.finess,
            self.participants,
        )

    def display(self, row: Any) -> list[str]:
        _id, name, city, siret, finess, participants = row
        return [name, city, format_siret(siret), finess, str(participants)]


def employer_html(session: Session, employer_id: int) -> str:
    """The detail pane: the employer's fields and its participants."""
    employer = get_employer(session, employer_id)
    people = session.scalars(
        select(Participant)
        .where(Participant.employer_id == employer_id)
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    names = [
        f"{person.full_name} — {person.job_title}" if person.job_title else person.full_name
        for person in people
    ]
    return (
        heading(employer.name, employer.city)
        + fields(
            [
                ("Adresse", employer.address),
                ("SIRET", format_siret(employer.siret)),
                ("FINESS", employer.finess),
                ("Contact", employer.contact_name),
                ("E-mail", employer.contact_email),
            ]
        )
        + section(f"Participants ({len(names)})")
        + bullet_list(names)
    )


def _summary(session: Session, employer_id: int) -> tuple[str, str]:
    """A short label and the lines shown when asking which employer to keep."""
    employer = get_employer(session, employer_id)
    count = session.scalar(select(func.count()).where(Participant.employer_id == employer_id)) or 0
    lines = [
        f"« {employer.display_name} »",
        f"   SIRET : {format_siret(employer.siret) or '—'} ; FINESS : {employer.finess or '—'}",
        f"   {count} participant(s)",
    ]
    return employer.display_name, "\n".join(lines)


class EmployersDialog(QDialog):
    """List and detail; « Modifier… » opens the form, « Fusionner… » needs two rows."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.prompts = context.prompts
        self.setWindowTitle(TITLE)
        self.model = EmployersModel(context.database, self)
        self.search_field = search_field(
            self, self.model, "Rechercher un établissement (nom, ville, SIRET, FINESS…)"
        )
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        self.model.countChanged.connect(self._show_count)
        self.view = EnterTable(self)
        self.view.setObjectName("employers")
        set_up_view(self.view, self.model, several=True)  # two, to merge them
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.entered.connect(self.edit_selected)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("detail")
        self.detail.setMinimumWidth(220)
        self.edit_button = QPushButton("Modifier…", self)
        self.edit_button.setObjectName("edit")
        self.merge_button = QPushButton("Fusionner…", self)
        self.merge_button.setObjectName("merge")
        self.merge_button.setToolTip("Sélectionnez deux établissements (Ctrl+clic)")
        for button in (self.edit_button, self.merge_button):
            button.setAutoDefault(False)
        self.edit_button.clicked.connect(self.edit_selected)
        self.merge_button.clicked.connect(self.merge_selected)
        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.edit_button)
        top.addWidget(self.merge_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("employers_splitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close_button = close.button(QDialogButtonBox.StandardButton.Close)
        close_button.setText("Fermer")
        close_button.setAutoDefault(False)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(close)
        self.resize(1100, 560)
        self.model.load()
        settings = context.settings
        if not remember(self.view.horizontalHeader(), "employers/list_header", settings):
            self._fit_columns()
        if not remember(self.splitter, "employers/splitter", settings):
            self.splitter.setSizes([660, 440])
        self._selection_changed()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        fit_to_screen(self)

    def _fit_columns(self) -> None:
        for column in range(self.model.columnCount() - 1):
            self.view.resizeColumnToContents(column)
            width = self.view.columnWidth(column)
            self.view.setColumnWidth(column, min(max(width + 16, 70), 260))

    def selected_ids(self) -> list[int]:
        return [int(index.data(ID_ROLE)) for index in self.view.selectionModel().selectedRows()]

    def select_id(self, employer_id: int) -> None:
        row = self.model.row_of(employer_id)
        if row is not None:
            self.view.selectRow(row)

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"{total} établissement{'s' if total != 1 else ''}")

    def _selection_changed(self, *_args: Any) -> None:
        ids = self.selected_ids()
        writable = not self.context.database.read_only
        self.edit_button.setEnabled(len(ids) == 1 and writable)
        self.merge_button.setEnabled(len(ids) == 2 and writable)
        if len(ids) != 1:
            self.detail.setHtml(
                "" if not ids else f"<p>{len(ids)} établissements sélectionnés.</p>"
            )
            return
        employer_id = ids[0]
        done = self.context.operations.read(
            self, TITLE, lambda session: employer_html(session, employer_id)
        )
        self.detail.setHtml(done.value if done is not None else "")

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1 or self.context.database.read_only:
            return
        from allervers_desktop.ui.forms.employer_form import EmployerForm

        form = EmployerForm(self.context.database, ids[0], self)
        if not self.prompts.run_dialog(form):
            return
        self.context.operations.announce(form.written_tables, self)
        self.model.reload()  # the name may have changed its place in the order
        if form.saved_id is not None:
            self.select_id(form.saved_id)

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        first_id, second_id = sorted(ids)
        read = self.context.operations.read(
            self,
            MERGE_TITLE,
            lambda session: (_summary(session, first_id), _summary(session, second_id)),
        )
        if read is None:
            return
        (first_name, first_text), (second_name, second_text) = read.value
        keep_first, keep_second = f"Garder « {first_name} »", f"Garder « {second_name} »"
        if keep_first == keep_second:  # two labels alike: say which by position
            keep_first, keep_second = "Garder le premier", "Garder le second"
        answer = self.prompts.choose(
            self,
            MERGE_TITLE,
            "Quel établissement garder ? Les participants de l'autre lui sont rattachés, "
            "ses champs vides sont complétés, puis l'autre est supprimé.\n\n"
            f"{first_text}\n\n{second_text}",
            [keep_first, keep_second, "Annuler"],
        )
        if answer not in (keep_first, keep_second):
            return
        keep_id, other_id = (first_id, second_id) if answer == keep_first else (second_id, first_id)
        done = self.context.operations.write(
            self, MERGE_TITLE, lambda session: merge_employers(session, keep_id, other_id)
        )
        if done is None:
            return
        self.model.reload()
        self.select_id(keep_id)
        self.prompts.inform(self, MERGE_TITLE, done.value)


def show_employers(context: AppContext) -> None:
    """Open « Établissements » over the window."""
    dialog = EmployersDialog(context, context.window)
    context.prompts.run_dialog(dialog)
    dialog.deleteLater()
