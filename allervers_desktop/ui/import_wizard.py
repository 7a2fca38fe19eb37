"""Import wizard: file and sheet → column mapping → preview → result, work off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from allervers_desktop.db.database import Database
from allervers_desktop.excel.importer import ImportOptions, apply_import, preview_import
from allervers_desktop.excel.layout import SheetLayout, layout_at, prepare_sheet, sample_rows
from allervers_desktop.excel.mapping import FIELD_LABELS, ImportField
from allervers_desktop.excel.reading import SpreadsheetFile, open_spreadsheet
from allervers_desktop.excel.report import (
    OTHER_PERSON,
    OUTCOME_LABELS,
    SAME_PERSON,
    ConflictChoice,
    ImportReport,
    RowOutcome,
)
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import course_choices
from allervers_desktop.ui.forms.keyboard import fit_to_screen
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import (
    BackgroundTask,
    ProgressCallback,
    run_in_background,
    wait_while_repainting,
)

AnyIndex = QModelIndex | QPersistentModelIndex
FILE_FILTER = "Listes de participants (*.xlsx *.xlsm *.xls *.ods *.csv);;Tous les fichiers (*)"
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
OUTCOME_COLORS = {
    RowOutcome.CREATED: "#c8e6c9",
    RowOutcome.MERGED: "#d6e4f5",
    RowOutcome.UNCHANGED: "#eeeeee",
    RowOutcome.SKIPPED: "#f8cdcd",
    RowOutcome.CONFLICT: "#fff3c4",
}
PAGE_FILE, PAGE_MAPPING, PAGE_PREVIEW, PAGE_RESULT = range(4)
RESIZE_PRECISION = 100  # rows looked at to fit the preview's column widths


class RowsModel(QAbstractTableModel):
    """The preview's rows: Excel row number, name, outcome, message; coloured by outcome."""

    HEADERS = ("Ligne", "Nom", "Résultat", "Détail")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.report: ImportReport | None = None

    def set_report(self, report: ImportReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.report is None else len(self.report.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.report is None or not index.isValid():
            return None
        row = self.report.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.row), row.name, OUTCOME_LABELS[row.outcome], row.message)[
                index.column()
            ]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(OUTCOME_COLORS[row.outcome]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.message
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class FilePage(QWizardPage):
    """Choose the file, its sheet, and where the rows go (one group, or by a Groupe column)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle("Fichier à importer")
        self.setSubTitle(
            "Liste de participants reçue d'un employeur ou d'un organisme : Excel (.xlsx, "
            ".xlsm, .xls), LibreOffice (.ods) ou CSV."
        )
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path")
        self.path_edit.setReadOnly(True)
        browse = QPushButton("Parcourir…", self)
        browse.setObjectName("browse")
        browse.clicked.connect(self.browse)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("sheet")
        self.sheet_combo.currentTextChanged.connect(self._sheet_changed)
        self.to_group = QRadioButton("Inscrire toutes les lignes dans le groupe :", self)
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("group")
        self.by_column = QRadioButton(
            "Répartir selon la colonne « Groupe » du fichier, parmi les groupes de :", self
        )
        self.course_combo = QComboBox(self)
        self.course_combo.setObjectName("course")
        self.no_enrollment = QRadioButton("Ne pas inscrire (mettre à jour l'annuaire)", self)
        self.to_group.setChecked(True)
        for radio in (self.to_group, self.by_column, self.no_enrollment):
            radio.toggled.connect(self._target_changed)
        with wizard.database.session() as session:
            from allervers_desktop.services.listing import list_groups

            for group in list_groups(session):
                label = f"{group['label']} — {group['city']} (n° {group['id']})"
                self.group_combo.addItem(label, group["id"])
            for course_id, title in course_choices(session):
                self.course_combo.addItem(title, course_id)
        if wizard.initial_group_id is not None:
            self.group_combo.setCurrentIndex(
                max(0, self.group_combo.findData(wizard.initial_group_id))
            )
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Fichier", row)
        form.addRow("", self.description)
        form.addRow("Feuille", self.sheet_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(self.to_group)
        layout.addWidget(self.group_combo)
        layout.addWidget(self.by_column)
        layout.addWidget(self.course_combo)
        layout.addWidget(self.no_enrollment)
        layout.addStretch(1)
        self._target_changed()

    def browse(self) -> None:
        path = self.wizard_.prompts.open_file(
            self, "Importer une liste de participants", FILE_FILTER
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> bool:
        """Open the file and propose its first sheet with a recognisable header."""
        # Reading a 10,000-row sheet takes a tenth of a second: off the GUI thread, so the
        # window keeps repainting.
        try:
            spreadsheet = wait_while_repainting(lambda: open_spreadsheet(path))
        except ServiceError as exc:
            self.wizard_.prompts.error(self, "Fichier illisible", exc.message)
            return False
        self.wizard_.spreadsheet = spreadsheet
        self.path_edit.setText(str(path))
        self.description.setText(spreadsheet.description)
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(spreadsheet.sheet_names)
        self.sheet_combo.blockSignals(False)
        try:
            layout = wait_while_repainting(lambda: prepare_sheet(spreadsheet))
        except ServiceError as exc:
            self.wizard_.sheet_layout = None
            self.wizard_.prompts.error(self, "Aucune liste reconnue", exc.message)
        else:
            self.wizard_.sheet_layout = layout
            self.sheet_combo.setCurrentText(layout.sheet_name)
        self.completeChanged.emit()
        return self.wizard_.sheet_layout is not None

    def _sheet_changed(self, name: str) -> None:
        spreadsheet = self.wizard_.spreadsheet
        if spreadsheet is None or not name:
            return
        try:
            self.wizard_.sheet_layout = wait_while_repainting(
                lambda: prepare_sheet(spreadsheet, name)
            )
        except ServiceError as exc:
            self.wizard_.sheet_layout = None
            self.wizard_.prompts.error(self, "Feuille inutilisable", exc.message)
        self.completeChanged.emit()

    def _target_changed(self, *_args: object) -> None:
        self.group_combo.setEnabled(self.to_group.isChecked())
        self.course_combo.setEnabled(self.by_column.isChecked())

    def target_options(self) -> ImportOptions:
        if self.to_group.isChecked() and self.group_combo.count():
            return ImportOptions(group_id=self.group_combo.currentData())
        if self.by_column.isChecked() and self.course_combo.count():
            return ImportOptions(course_id=self.course_combo.currentData())
        return ImportOptions()

    def isComplete(self) -> bool:
        return self.wizard_.sheet_layout is not None


class MappingPage(QWizardPage):
    """The header row and, for each column, the field it feeds, with sample values."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle("Colonnes")
        self.setSubTitle(
            "Vérifiez à quoi correspond chaque colonne. Les colonnes « ignorée » ne sont pas "
            "importées."
        )
        self.header_spin = QSpinBox(self)
        self.header_spin.setObjectName("header_row")
        self.header_spin.setRange(1, 20)
        self.header_spin.valueChanged.connect(self._header_changed)
        self.problem = QLabel(self)
        self.problem.setObjectName("mapping_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c")
        self.grid_holder = QWidget(self)
        self.grid = QGridLayout(self.grid_holder)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid_holder)
        self.combos: list[QComboBox] = []
        top = QHBoxLayout()
        top.addWidget(QLabel("Ligne d'en-tête :", self))
        top.addWidget(self.header_spin)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:
        layout = self.wizard_.sheet_layout
        if layout is None:
            return
        self.header_spin.blockSignals(True)
        self.header_spin.setValue(layout.header_row)
        self.header_spin.blockSignals(False)
        self._show(layout)

    def _header_changed(self, row: int) -> None:
        spreadsheet = self.wizard_.spreadsheet
        layout = self.wizard_.sheet_layout
        if spreadsheet is None or layout is None:
            return
        try:
            self.wizard_.sheet_layout = layout_at(spreadsheet.sheet(layout.sheet_name), row)
        except ServiceError as exc:
            self.problem.setText(exc.message)
            return
        self._show(self.wizard_.sheet_layout)

    def _show(self, layout: SheetLayout) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.combos = []
        spreadsheet = self.wizard_.spreadsheet
        assert spreadsheet is not None
        samples = sample_rows(spreadsheet.sheet(layout.sheet_name), layout, 3)
        for title, column in (("Colonne du fichier", 0), ("Correspond à", 1), ("Exemples", 2)):
            label = QLabel(f"<b>{title}</b>", self.grid_holder)
            self.grid.addWidget(label, 0, column)
        for index, header in enumerate(layout.mapping.headers):
            combo = QComboBox(self.grid_holder)
            combo.setObjectName(f"field_{index}")
            combo.addItem("— ignorée —", None)
            for field, field_label in FIELD_LABELS.items():
                combo.addItem(field_label, field.value)
            field_now = layout.mapping.fields[index]
            combo.setCurrentIndex(
                max(0, combo.findData(field_now.value if field_now is not None else None))
            )
            combo.currentIndexChanged.connect(lambda _i, column=index: self._field_changed(column))
            examples = ", ".join(row[index] for row in samples if index < len(row) and row[index])
            self.grid.addWidget(
                QLabel(header or f"(colonne {index + 1})", self.grid_holder), index + 1, 0
            )
            self.grid.addWidget(combo, index + 1, 1)
            example_label = QLabel(examples[:80], self.grid_holder)
            example_label.setStyleSheet("color: #555")
            self.grid.addWidget(example_label, index + 1, 2)
            self.combos.append(combo)
        for row in range(self.grid.rowCount()):
            self.grid.setRowStretch(row, 0)
        self.grid.setRowStretch(len(layout.mapping.headers) + 1, 1)  # rows packed at the top
        self.grid.setColumnStretch(2, 1)
        self._update_problem()

    def _field_changed(self, column: int) -> None:
        layout = self.wizard_.sheet_layout
        if layout is None:
            return
        value = self.combos[column].currentData()
        field = ImportField(value) if value else None
        mapping = layout.mapping.with_field(column, field)
        self.wizard_.sheet_layout = layout.with_mapping(mapping)
        for index, combo in enumerate(self.combos):  # a field moved away from another column
            wanted = mapping.fields[index]
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(wanted.value if wanted else None)))
            combo.blockSignals(False)
        self._update_problem()

    def _update_problem(self) -> None:
        layout = self.wizard_.sheet_layout
        problems = layout.mapping.problems() if layout is not None else []
        self.problem.setText("\n".join(problems))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        layout = self.wizard_.sheet_layout
        return layout is not None and not layout.mapping.problems()


class PreviewPage(QWizardPage):
    """What the import would do, row by row, with conflicts to settle; nothing written yet."""

    previewReady = Signal()

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle("Aperçu")
        self.setSubTitle("Rien n'est encore écrit. Vérifiez le résultat prévu de chaque ligne.")
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.rows_model = RowsModel(self)
        self.rows_view = QTableView(self)
        self.rows_view.setObjectName("rows")
        self.rows_view.setModel(self.rows_model)
        self.rows_view.verticalHeader().hide()
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        # Fit the columns on the rows in view and a few more, not on a thousand (10,000-row
        # lists: a thousand rows would keep the window frozen for a tenth of a second).
        self.rows_view.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
        self.rows_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.lookalikes = QListWidget(self)
        self.lookalikes.setObjectName("lookalikes")
        self.lookalikes.setMaximumHeight(90)
        self.lookalikes.itemChanged.connect(self._lookalike_toggled)
        self.conflicts = QListWidget(self)
        self.conflicts.setObjectName("conflicts")
        self.conflicts.setMaximumHeight(110)
        self.conflicts.itemChanged.connect(self._conflict_toggled)
        self.warnings = QListWidget(self)
        self.warnings.setObjectName("warnings")
        self.warnings.setMaximumHeight(90)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows_view, 1)
        self.conflicts_label = QLabel(
            "Conflits : cochez pour remplacer la valeur de la base par celle du fichier.", self
        )
        self.warnings_label = QLabel("Avertissements :", self)
        self.lookalikes_label = QLabel(
            "Même personne ? Cochée : sa fiche est mise à jour ; décochée : une nouvelle fiche.",
            self,
        )
        layout.addWidget(self.lookalikes_label)
        layout.addWidget(self.lookalikes)
        layout.addWidget(self.conflicts_label)
        layout.addWidget(self.conflicts)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings)
        self.report: ImportReport | None = None
        self.task: BackgroundTask | None = None

    def initializePage(self) -> None:
        self.report = None
        self.rows_model.set_report(None)
        self.summary.setText("Analyse du fichier…")
        self.completeChanged.emit()
        self.run_preview()

    def run_preview(self) -> None:
        self.task = self.wizard_.run_import(
            self,
            "Aperçu de l'import",
            "Analyse des lignes…",
            False,
            self._show,
            self._failed,
            lambda: self.summary.setText("Aperçu annulé."),
        )

    def _show(self, report: ImportReport) -> None:
        self.report = report
        self.rows_model.set_report(report)
        self.rows_view.resizeColumnsToContents()
        self.rows_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary.setText(report.summary())
        self.conflicts.blockSignals(True)
        self.conflicts.clear()
        for conflict in report.conflicts:
            self.conflicts.addItem(f"Ligne {conflict.row} : {conflict.describe()}")
            item = self.conflicts.item(self.conflicts.count() - 1)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            replace = conflict.choice is ConflictChoice.REPLACE  # the file's address, by default
            item.setCheckState(Qt.CheckState.Checked if replace else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, conflict.key)
        self.conflicts.blockSignals(False)
        self.lookalikes.blockSignals(True)
        self.lookalikes.clear()
        for look in report.lookalikes:
            self.lookalikes.addItem(f"{look.describe()} : même personne")
            item = self.lookalikes.item(self.lookalikes.count() - 1)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if look.same else Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, look.key)
        self.lookalikes.blockSignals(False)
        self.warnings.clear()
        self.warnings.addItems([notice.describe() for notice in report.warnings])
        for widget, shown in (
            (self.lookalikes_label, bool(report.lookalikes)),
            (self.lookalikes, bool(report.lookalikes)),
            (self.conflicts_label, bool(report.conflicts)),
            (self.conflicts, bool(report.conflicts)),
            (self.warnings_label, bool(report.warnings)),
            (self.warnings, bool(report.warnings)),
        ):
            widget.setVisible(shown)
        self.completeChanged.emit()
        self.previewReady.emit()

    def _failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, ServiceError) else str(error)
        self.summary.setText(message)
        self.wizard_.prompts.error(self, "Import impossible", message)

    def _conflict_toggled(self, item: Any) -> None:
        key = str(item.data(Qt.ItemDataRole.UserRole))
        checked = item.checkState() == Qt.CheckState.Checked
        self.wizard_.decisions[key] = (
            ConflictChoice.REPLACE.value if checked else ConflictChoice.KEEP.value
        )

    def _lookalike_toggled(self, item: Any) -> None:
        """Same person or not changes what the rows do: the preview is made again."""
        key = str(item.data(Qt.ItemDataRole.UserRole))
        same = item.checkState() == Qt.CheckState.Checked
        self.wizard_.decisions[key] = SAME_PERSON if same else OTHER_PERSON
        self.report = None
        self.completeChanged.emit()
        self.run_preview()

    def isComplete(self) -> bool:
        return self.report is not None and bool(self.report.rows)


class ResultPage(QWizardPage):
    """Applies the import in one transaction (cancellable), then says what was done."""

    importDone = Signal()

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle("Résultat")
        self.result_label = QLabel(self)
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        self.skipped = QListWidget(self)
        self.skipped.setObjectName("skipped")
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_label)
        layout.addWidget(QLabel("Lignes ignorées et avertissements :", self))
        layout.addWidget(self.skipped, 1)
        self.report: ImportReport | None = None
        self.task: BackgroundTask | None = None
        self.finished_ok = False

    def initializePage(self) -> None:
        self.finished_ok = False
        self.report = None
        self.result_label.setText("Import en cours…")
        self.skipped.clear()
        self.completeChanged.emit()
        self.task = self.wizard_.run_import(
            self,
            "Import",
            "Écriture dans la base…",
            True,
            self._done,
            self._failed,
            self._cancelled,
        )

    def _done(self, report: ImportReport) -> None:
        self.report = report
        self.finished_ok = True
        self.result_label.setText(report.summary())
        self.skipped.addItems(
            [f"Ligne {row.row} : {row.message}" for row in report.skipped]
            + [notice.describe() for notice in report.warnings]
        )
        self.completeChanged.emit()
        self.importDone.emit()

    def _failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, ServiceError) else str(error)
        self.result_label.setText(f"L'import a échoué, rien n'a été écrit : {message}")
        self.completeChanged.emit()
        self.importDone.emit()

    def _cancelled(self) -> None:
        self.result_label.setText("Import annulé : rien n'a été écrit.")
        self.completeChanged.emit()
        self.importDone.emit()

    def isComplete(self) -> bool:
        return self.task is not None and not self.task.running


class ImportWizard(QWizard):
    """Fichier › Importer…: the four steps of an import."""

    def __init__(
        self,
        database: Database,
        prompts: Prompts,
        parent: QWidget | None = None,
        path: Path | None = None,
        group_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.prompts = prompts
        self.initial_group_id = group_id
        self.spreadsheet: SpreadsheetFile | None = None
        self.sheet_layout: SheetLayout | None = None
        self.decisions: dict[str, str] = {}  # conflicts: keep/replace; look-alikes: same/different
        self.setWindowTitle("Importer une liste de participants")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "Suivant >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Précédent")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Annuler")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Terminer")
        self.setButtonText(QWizard.WizardButton.CommitButton, "Importer")
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        self.preview_page.setCommitPage(True)  # after the import, no way back
        self.setPage(PAGE_FILE, self.file_page)
        self.setPage(PAGE_MAPPING, self.mapping_page)
        self.setPage(PAGE_PREVIEW, self.preview_page)
        self.setPage(PAGE_RESULT, self.result_page)
        self.resize(860, 620)
        self._fitted = False
        if path is not None:
            self.file_page.load(path)

    def showEvent(self, event: QShowEvent) -> None:
        """Cap to the screen (1366×768 at 150 % included) so the wizard's buttons stay visible."""
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            fit_to_screen(self)

    def run_import(
        self,
        parent: QWidget,
        title: str,
        label: str,
        apply: bool,
        on_done: Callable[[ImportReport], None],
        on_error: Callable[[BaseException], None],
        on_cancel: Callable[[], None],
    ) -> BackgroundTask:
        """Preview (``apply`` False: nothing written) or apply the import off the GUI thread,
        in a session of its own; applying is one transaction, rolled back on cancel."""
        spreadsheet, layout = self.spreadsheet, self.sheet_layout
        assert spreadsheet is not None and layout is not None
        options = self.import_options()
        database = self.database

        def work(progress: ProgressCallback) -> ImportReport:
            if apply:
                with database.transaction() as session:
                    return apply_import(session, spreadsheet, layout, options, progress)
            with database.session() as session:
                return preview_import(session, spreadsheet, layout, options, progress)

        return run_in_background(parent, title, label, work, on_done, on_error, on_cancel)

    def import_options(self) -> ImportOptions:
        base = self.file_page.target_options()
        return ImportOptions(
            group_id=base.group_id, course_id=base.course_id, decisions=dict(self.decisions)
        )

    @property
    def imported(self) -> bool:
        return self.result_page.finished_ok and bool(
            self.result_page.report and self.result_page.report.has_changes
        )
