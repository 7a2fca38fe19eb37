"""« Journal des documents »: every version of every numbered document, its state, its prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from allervers_desktop.db.database import Database
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.documents.register import RegisterEntry, document_register
from allervers_desktop.formatting import hours_fr
from allervers_desktop.services.deletion import plural
from allervers_desktop.text import search_key
from allervers_desktop.ui.list_table_model import SORT_ROLE, Column, ListTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
KIND_FILTERS = (
    ("Tous les documents numérotés", None),
    ("Attestations de présence", DocumentKind.ATTESTATION),
    ("Certificats de réalisation", DocumentKind.REALISATION),
)


def _moment(value: dt.datetime | None) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if value is not None else ""


def _iso(value: dt.datetime | None) -> str:
    """A sort key that orders like the moment itself."""
    return value.isoformat() if value is not None else ""


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _legacy_tip(entry: RegisterEntry) -> str | None:
    if entry.legacy:
        return "Délivré avant le journal des documents : contenu antérieur au journal."
    return None


def _participant_tip(entry: RegisterEntry) -> str | None:
    return f"{entry.participant_name} — {entry.group_label} — {entry.course_title}"


def _issued_tip(entry: RegisterEntry) -> str | None:
    if entry.backdated:
        return f"Date antidatée : document créé le {_moment(entry.created_at)}."
    return _legacy_tip(entry)


def _grey_if_cancelled(entry: RegisterEntry) -> str | None:
    return None if entry.is_valid else "#888888"


def LogColumn(
    title: str,
    text: Callable[[RegisterEntry], str],
    sort_key: Callable[[RegisterEntry], Any],
    right_aligned: bool = False,
    tooltip: Callable[[RegisterEntry], str | None] = _legacy_tip,
) -> Column[RegisterEntry]:
    """A register column: cancelled versions in grey, the legacy note as tooltip."""
    return Column(title, text, sort_key, right_aligned, tooltip, _grey_if_cancelled)


COLUMNS = (
    LogColumn("N°", lambda e: e.number, lambda e: e.number),
    LogColumn("Document", lambda e: e.kind.label, lambda e: e.kind.label),
    LogColumn(
        "Participant",
        lambda e: e.participant_name,
        lambda e: search_key(e.participant_name),
        tooltip=_participant_tip,
    ),
    LogColumn("Groupe", lambda e: e.group_label, lambda e: search_key(e.group_label)),
    LogColumn("Formation", lambda e: e.course_title, lambda e: search_key(e.course_title)),
    LogColumn(
        "Délivré le",
        lambda e: _day(e.issued_on) + (" (antidaté)" if e.backdated else ""),
        lambda e: e.issued_on.isoformat(),
        tooltip=_issued_tip,
    ),
    LogColumn("État", lambda e: e.state_label, lambda e: e.state),
    LogColumn("Remplace", lambda e: e.replaces, lambda e: e.replaces),
    LogColumn("Remplacé par", lambda e: e.replaced_by, lambda e: e.replaced_by),
    LogColumn("Impressions", lambda e: str(e.print_count), lambda e: e.print_count, True),
    LogColumn("Heures", lambda e: hours_fr(e.hours_attended), lambda e: e.hours_attended, True),
    LogColumn(
        "Dernière impression",
        lambda e: _moment(e.last_printed_at) if e.print_count else "jamais imprimé",
        lambda e: _iso(e.last_printed_at) if e.print_count else "",
    ),
    LogColumn("Créé le", lambda e: _moment(e.created_at), lambda e: _iso(e.created_at)),
)
COL_NUMBER, COL_KIND, COL_PARTICIPANT, COL_GROUP = 0, 1, 2, 3
COL_ISSUED, COL_STATE, COL_REPLACES, COL_REPLACED_BY, COL_PRINTS, COL_HOURS = 5, 6, 7, 8, 9, 10


def certificate_log_model(parent: QWidget | None = None) -> ListTableModel[RegisterEntry]:
    """Rows of the register (read once; a few thousand rows at most); ``ID_ROLE`` gives the
    issued document's id."""
    return ListTableModel(COLUMNS, lambda entry: entry.document_id, parent)


class _LogFilter(QSortFilterProxyModel):
    """Text filter on number, participant, group and course, accents and case ignored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = ""
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.key = search_key(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self.key:
            return True
        model = self.sourceModel()
        assert isinstance(model, ListTableModel)
        entry: RegisterEntry = model.rows[source_row]
        haystack = search_key(
            " ".join((entry.number, entry.participant_name, entry.group_label, entry.course_title))
        )
        return all(word in haystack for word in self.key.split())


class CertificateLogDialog(QDialog):
    """The register, filtered by kind, by group (when opened from a group) and by text;
    ``export(group_id)`` writes what the group filter shows to Excel."""

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        group_id: int | None = None,
        group_label: str = "",
        export: Callable[[int | None], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.group_id = group_id
        self.export = export
        self.export_task: object = None  # the background export, for whoever waits on it
        self.setWindowTitle("Journal des documents")
        intro = QLabel(
            "Chaque attestation de présence et chaque certificat de réalisation reçoit un "
            "numéro à sa délivrance ; une réimpression donne le document à l'identique. Une "
            "version corrigée reçoit un nouveau numéro et annule la précédente.",
            self,
        )
        intro.setWordWrap(True)
        self.kind_filter = QComboBox(self)
        for label, _kind in KIND_FILTERS:
            self.kind_filter.addItem(label)
        self.group_only = QCheckBox(f"{group_label or 'Ce groupe'} seulement", self)
        self.group_only.setVisible(group_id is not None)
        self.group_only.setChecked(group_id is not None)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Rechercher (numéro, participant, groupe…)")
        self.search.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.group_only)
        filters.addWidget(self.search, 1)

        self.model = certificate_log_model(self)
        self.proxy = _LogFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setObjectName("certificate_log")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_NUMBER, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.count_label = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Fermer")
        buttons.rejected.connect(self.reject)
        self.export_button = QPushButton("Exporter vers Excel…", self)
        self.export_button.setObjectName("export_register")
        self.export_button.setEnabled(export is not None)
        self.export_button.clicked.connect(self._export)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self.kind_filter.currentIndexChanged.connect(self.reload)
        self.group_only.toggled.connect(self.reload)
        self.search.textChanged.connect(self._search)
        self.resize(980, 520)
        self.reload()

    @property
    def kind(self) -> DocumentKind | None:
        return KIND_FILTERS[max(self.kind_filter.currentIndex(), 0)][1]

    @property
    def shown_group_id(self) -> int | None:
        return self.group_id if self.group_only.isChecked() else None

    def _export(self) -> None:
        if self.export is not None:
            self.export_task = self.export(self.shown_group_id)

    def reload(self) -> None:
        with self.database.session() as session:
            entries = document_register(session, self.shown_group_id, self.kind)
        self.model.set_rows(entries)
        self.view.resizeColumnsToContents()
        self._update_count()

    def _search(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        total = self.model.rowCount()
        if total == 0:
            self.count_label.setText("Aucun document numéroté n'a encore été délivré.")
        elif shown == total:
            self.count_label.setText(plural(total, "version délivrée", "versions délivrées"))
        else:
            self.count_label.setText(f"{shown} sur {plural(total, 'version', 'versions')}")

    def displayed_numbers(self) -> list[str]:
        """Numbers in the order shown (tests, and what the user sees)."""
        return [
            str(self.proxy.index(row, COL_NUMBER).data()) for row in range(self.proxy.rowCount())
        ]
