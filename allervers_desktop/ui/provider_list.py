"""« Organismes de formation »: the providers, searchable, to create, edit or delete them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Course, TrainingProvider
from allervers_desktop.formatting import format_nda, format_siret
from allervers_desktop.services.providers import delete_provider, describe_provider_deletion
from allervers_desktop.ui.lazy_table_model import ID_ROLE, AnySelect, Column, LazyTableModel
from allervers_desktop.ui.operations import attempt
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.record_list import search_field, set_up_view

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ProvidersModel(LazyTableModel):
    """One row per provider, with the number of courses it delivers."""

    courses = (
        select(func.count())
        .where(Course.provider_id == TrainingProvider.id)
        .correlate(TrainingProvider)
        .scalar_subquery()
    )
    columns = (
        Column("Organisme", func.lower(TrainingProvider.name)),
        Column("Ville", TrainingProvider.city),
        Column("SIRET", TrainingProvider.siret),
        Column("NDA", TrainingProvider.nda),
        Column("Représentant légal", TrainingProvider.legal_representative),
        Column("Formations", courses, RIGHT),
    )
    search_column = TrainingProvider.search_text.expression

    def query(self) -> AnySelect:
        return select(
            TrainingProvider.id,
            TrainingProvider.name,
            TrainingProvider.city,
            TrainingProvider.siret,
            TrainingProvider.nda,
            TrainingProvider.legal_representative,
            self.courses,
        )

    def display(self, row: Any) -> list[str]:
        _id, name, city, siret, nda, representative, courses = row
        return [name, city, format_siret(siret), format_nda(nda), representative, str(courses)]


class ProvidersDialog(QDialog):
    """A list with search like the tabs; changes are saved by the provider form itself."""

    def __init__(self, database: Database, prompts: Prompts, parent: QWidget | None = None):
        super().__init__(parent)
        self.database = database
        self.prompts = prompts
        self.changed = False
        self.setWindowTitle("Organismes de formation")
        self.model = ProvidersModel(database, self)
        self.search_field = search_field(
            self, self.model, "Rechercher un organisme (nom, ville, SIRET, NDA…)"
        )
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        self.model.countChanged.connect(self._show_count)
        self.view = QTableView(self)
        self.view.setObjectName("providers")
        set_up_view(self.view, self.model, several=False)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.add_button = QPushButton("Nouveau…", self)
        self.add_button.setObjectName("add")
        self.edit_button = QPushButton("Modifier…", self)
        self.edit_button.setObjectName("edit")
        self.delete_button = QPushButton("Supprimer", self)
        self.delete_button.setObjectName("delete")
        self.add_button.clicked.connect(self.add_provider)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        top = QHBoxLayout()
        top.addWidget(self.search_field, 1)
        top.addWidget(self.count_label)
        top.addSpacing(12)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(close)
        self.resize(900, 420)
        self.model.load()
        self._fit_columns()
        self._update_buttons()

    def _fit_columns(self) -> None:
        for column in range(self.model.columnCount() - 1):
            self.view.resizeColumnToContents(column)
            width = self.view.columnWidth(column)
            self.view.setColumnWidth(column, min(max(width + 16, 70), 280))

    def current_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return int(rows[0].data(ID_ROLE)) if rows else None

    def select_id(self, provider_id: int) -> None:
        row = self.model.row_of(provider_id)
        if row is not None:
            self.view.selectRow(row)

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"{total} organisme{'s' if total != 1 else ''}")

    def _update_buttons(self, *_args: Any) -> None:
        selected = self.current_id() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _open_form(self, provider_id: int | None) -> int | None:
        from allervers_desktop.ui.forms.provider_form import ProviderForm

        form = ProviderForm(self.database, self.prompts, provider_id, self)
        if not self.prompts.run_dialog(form):
            return None
        self.changed = True
        return form.saved_id

    def add_provider(self) -> None:
        saved = self._open_form(None)
        if saved is not None:
            self.model.reload()
            self.select_id(saved)

    def edit_selected(self) -> None:
        provider_id = self.current_id()
        if provider_id is not None and self._open_form(provider_id) is not None:
            self.model.refresh_row(provider_id)

    def delete_selected(self) -> None:
        provider_id = self.current_id()
        if provider_id is None:
            return
        def refused(message: str) -> None:
            self.prompts.error(self, "Suppression impossible", message)

        read = attempt(
            self.database,
            lambda session: describe_provider_deletion(session, provider_id),
            refused,
            write=False,
        )
        if read is None:
            return
        impact = read.value
        if not impact.allowed:
            refused(impact.message())
            return
        if not self.prompts.confirm_destructive(
            self, "Confirmer la suppression", f"Supprimer {impact.subject} ?"
        ):
            return
        if attempt(self.database, lambda s: delete_provider(s, provider_id), refused) is None:
            return
        self.changed = True
        self.model.reload()


def show_providers(database: Database, prompts: Prompts, parent: QWidget | None) -> bool:
    """Open the list; True when something was created, edited or deleted."""
    dialog = ProvidersDialog(database, prompts, parent)
    prompts.run_dialog(dialog)
    return dialog.changed
