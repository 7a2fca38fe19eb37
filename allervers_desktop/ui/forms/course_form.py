"""Form to create or edit a course with every field of the course sheet."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Course
from allervers_desktop.formatting import ACTION_NATURE_LABELS
from allervers_desktop.services.courses import (
    CourseData,
    ProgrammeDayData,
    create_course,
    get_course,
    provider_names,
    update_course,
)
from allervers_desktop.ui.forms.form_dialog import FormDialog
from allervers_desktop.ui.forms.widgets import choice_combo, line_edit
from allervers_desktop.ui.prompts import Prompts

HOURS_PER_DAY = 7


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


def _text_area(parent: QWidget, text: str, height: int, placeholder: str = "") -> QPlainTextEdit:
    area = QPlainTextEdit(text, parent)
    area.setMinimumHeight(height)
    if placeholder:
        area.setPlaceholderText(placeholder)
    return area


class ProgrammeDayEditor(QGroupBox):
    """One day of the programme: its title and its items, one per line."""

    def __init__(self, number: int, data: ProgrammeDayData, parent: QWidget) -> None:
        super().__init__(f"Jour {number}", parent)
        self.title_edit = QLineEdit(data.title, self)
        self.title_edit.setPlaceholderText("Titre de la journée")
        self.items_edit = _text_area(
            self, "\n".join(data.items), 110, "Un point du programme par ligne"
        )
        self.remove_button = QPushButton("Retirer ce jour", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_edit)
        layout.addWidget(self.items_edit)
        layout.addWidget(self.remove_button)

    def data(self) -> ProgrammeDayData:
        return ProgrammeDayData(self.title_edit.text(), _lines(self.items_edit))


class CourseForm(FormDialog):
    def __init__(
        self,
        database: Database,
        course_id: int | None,
        parent: QWidget | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        title = "Nouvelle formation" if course_id is None else "Modifier la formation"
        super().__init__(database, title, parent)
        self.course_id = course_id
        self.prompts = prompts or Prompts()
        data = CourseData(title="")
        with database.session() as session:
            if course_id is not None:
                course = get_course(session, course_id)
                data = CourseData.from_course(course)
                self.guard(Course, course_id, course.version, "formation")
            providers = provider_names(session)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._general_tab(data, providers), "Général")
        self.tabs.addTab(self._audience_tab(data), "Public et contexte")
        self.tabs.addTab(self._objectives_tab(data), "Objectifs")
        self.tabs.addTab(self._programme_tab(data), "Programme")
        self.body.addWidget(self.tabs)
        self.resize(760, 620)

    # --- tabs --------------------------------------------------------------------------------
    def _general_tab(self, data: CourseData, providers: list[str]) -> QWidget:
        page = QWidget(self)
        form = self.new_form_layout()
        self.title_edit = self.register(
            "title", line_edit(page, data.title, "ex. La pratique de l'Aller Vers les publics")
        )
        self.module_edit = self.register(
            "module", line_edit(page, data.module, "ex. Module 1 « Aller vers : … »")
        )
        self.reference_edit = self.register("reference", line_edit(page, data.reference))
        self.sectors_edit = self.register("sectors", line_edit(page, data.sectors))
        self.region_edit = self.register("region", line_edit(page, data.region, "ex. Grand Est"))
        self.nature_combo = self.register(
            "action_nature", choice_combo(page, ACTION_NATURE_LABELS, data.action_nature)
        )
        self.days_spin = self.register("duration_days", QDoubleSpinBox(page))
        self.days_spin.setRange(0.5, 365)
        self.days_spin.setSingleStep(0.5)
        self.days_spin.setDecimals(1)
        self.days_spin.setSuffix(" jour(s)")
        self.days_spin.setValue(data.duration_days)
        self.hours_spin = self.register("duration_hours", QDoubleSpinBox(page))
        self.hours_spin.setRange(0.5, 2000)
        self.hours_spin.setSingleStep(0.5)
        self.hours_spin.setDecimals(1)
        self.hours_spin.setSuffix(" h")
        self.hours_spin.setValue(data.duration_hours)
        self._hours_follow_days = data.duration_hours == data.duration_days * HOURS_PER_DAY
        self.days_spin.valueChanged.connect(self._days_changed)
        self.hours_spin.valueChanged.connect(self._hours_edited)
        duration = QHBoxLayout()
        duration.addWidget(self.days_spin)
        duration.addWidget(self.hours_spin)
        self.provider_combo = self.register("provider_name", QComboBox(page))
        self.provider_combo.setEditable(True)
        self.provider_combo.addItems(providers)
        self.provider_combo.setCurrentText(data.provider_name)
        self.provider_combo.setToolTip(
            "L'organisme qui délivre attestations et certificats de réalisation"
        )
        self.new_provider_button = QPushButton("Nouveau…", page)
        self.new_provider_button.setObjectName("new_provider")
        self.new_provider_button.setToolTip("Créer un organisme de formation avec son identité")
        self.new_provider_button.clicked.connect(self.create_provider)
        self.edit_provider_button = QPushButton("Fiche…", page)
        self.edit_provider_button.setObjectName("edit_provider")
        self.edit_provider_button.setToolTip(
            "Identité de l'organisme : SIRET, déclaration d'activité, représentant légal…"
        )
        self.edit_provider_button.clicked.connect(self.edit_provider)
        self.provider_combo.currentTextChanged.connect(self._provider_changed)
        provider_row = QHBoxLayout()
        provider_row.addWidget(self.provider_combo, 1)
        provider_row.addWidget(self.new_provider_button)
        provider_row.addWidget(self.edit_provider_button)
        self.assessment_check = self.register(
            "assesses_learning", QCheckBox("Évaluation des acquis en fin de formation", page)
        )
        self.assessment_check.setChecked(data.assesses_learning)
        self.assessment_check.setToolTip(
            "Un résultat par participant (objectifs acquis, en partie, non acquis), "
            "imprimé sur l'attestation de fin de formation"
        )
        self.funding_edit = self.register(
            "funding_scheme", line_edit(page, data.funding_scheme, "ex. Fonds mutualisé de Branche")
        )
        self.opco_edit = self.register(
            "opco_name", line_edit(page, data.opco_name, "ex. Opco Santé")
        )
        self.contact_name_edit = self.register(
            "opco_contact_name", line_edit(page, data.opco_contact_name)
        )
        self.contact_email_edit = self.register(
            "opco_contact_email", line_edit(page, data.opco_contact_email)
        )
        self.partners_edit = self.register(
            "partners", _text_area(page, "\n".join(data.partners), 50, "Un partenaire par ligne")
        )
        form.addRow("Intitulé *", self.title_edit)
        form.addRow("Module", self.module_edit)
        form.addRow("Référence", self.reference_edit)
        form.addRow("Secteurs", self.sectors_edit)
        form.addRow("Région", self.region_edit)
        form.addRow("Nature de l'action", self.nature_combo)
        form.addRow("Durée", duration)
        form.addRow("Organisme de formation", provider_row)
        form.addRow("", self.assessment_check)
        form.addRow("Financement", self.funding_edit)
        form.addRow("Opco", self.opco_edit)
        form.addRow("Interlocuteur Opco", self.contact_name_edit)
        form.addRow("E-mail de l'interlocuteur", self.contact_email_edit)
        form.addRow("Partenaires, cofinanceurs", self.partners_edit)
        page.setLayout(form)
        self._provider_changed(self.provider_combo.currentText())
        return page

    # --- the provider -------------------------------------------------------------------------
    def _provider_id(self, name: str) -> int | None:
        from allervers_desktop.services.providers import list_providers

        wanted = " ".join(name.split()).lower()
        if not wanted:
            return None
        with self.database.session() as session:
            for provider in list_providers(session):
                if provider.name.lower() == wanted:
                    return provider.id
        return None

    def _provider_changed(self, name: str) -> None:
        self.edit_provider_button.setEnabled(self._provider_id(name) is not None)

    def _open_provider_form(self, provider_id: int | None, name: str = "") -> None:
        from allervers_desktop.ui.forms.provider_form import ProviderForm

        form = ProviderForm(self.database, self.prompts, provider_id, self, name=name)
        if not self.prompts.run_dialog(form):
            return
        with self.database.session() as session:
            names = provider_names(session)
        self.provider_combo.blockSignals(True)
        self.provider_combo.clear()
        self.provider_combo.addItems(names)
        self.provider_combo.blockSignals(False)
        self.provider_combo.setCurrentText(form.saved_name)
        self._provider_changed(form.saved_name)

    def create_provider(self) -> None:
        """A new provider, named after what was typed in the list when it is new."""
        typed = self.provider_combo.currentText().strip()
        self._open_provider_form(None, "" if self._provider_id(typed) else typed)

    def edit_provider(self) -> None:
        provider_id = self._provider_id(self.provider_combo.currentText())
        if provider_id is not None:
            self._open_provider_form(provider_id)

    def _audience_tab(self, data: CourseData) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.audience_edit = self.register("audience", _text_area(page, data.audience, 60))
        self.prerequisites_edit = self.register(
            "prerequisites", _text_area(page, data.prerequisites, 50)
        )
        self.context_edit = self.register("context", _text_area(page, data.context, 200))
        self.what_to_bring_edit = self.register(
            "what_to_bring",
            _text_area(page, data.what_to_bring, 40, "Imprimé sur la convocation"),
        )
        for label, widget in (
            ("Public", self.audience_edit),
            ("Prérequis", self.prerequisites_edit),
            ("À apporter", self.what_to_bring_edit),
            ("Contexte", self.context_edit),
        ):
            layout.addWidget(QLabel(f"<b>{label}</b>", page))
            layout.addWidget(widget)
        return page

    def _objectives_tab(self, data: CourseData) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Un objectif par ligne, dans l'ordre :", page))
        self.objectives_edit = self.register(
            "objectives", _text_area(page, "\n".join(data.objectives), 300)
        )
        layout.addWidget(self.objectives_edit)
        return page

    def _programme_tab(self, data: CourseData) -> QWidget:
        page = QWidget(self)
        outer = QVBoxLayout(page)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        holder = QWidget(scroll)
        self.days_layout = QVBoxLayout(holder)
        self.days_layout.addStretch(1)
        scroll.setWidget(holder)
        self.day_editors: list[ProgrammeDayEditor] = []
        add = QPushButton("Ajouter un jour", page)
        add.setObjectName("add_programme_day")
        add.clicked.connect(lambda: self.add_programme_day(ProgrammeDayData("")))
        outer.addWidget(scroll, 1)
        outer.addWidget(add)
        for day in data.programme or [ProgrammeDayData("")]:
            self.add_programme_day(day)
        return page

    def add_programme_day(self, day: ProgrammeDayData) -> ProgrammeDayEditor:
        editor = ProgrammeDayEditor(len(self.day_editors) + 1, day, self)
        editor.remove_button.clicked.connect(lambda: self._remove_day(editor))
        self.day_editors.append(editor)
        self.days_layout.insertWidget(self.days_layout.count() - 1, editor)
        return editor

    def _remove_day(self, editor: ProgrammeDayEditor) -> None:
        self.day_editors.remove(editor)
        editor.deleteLater()
        for number, other in enumerate(self.day_editors, start=1):
            other.setTitle(f"Jour {number}")

    def _days_changed(self, days: float) -> None:
        if self._hours_follow_days:
            self.hours_spin.blockSignals(True)
            self.hours_spin.setValue(days * HOURS_PER_DAY)
            self.hours_spin.blockSignals(False)

    def _hours_edited(self, _hours: float) -> None:
        self._hours_follow_days = False

    # --- saving ------------------------------------------------------------------------------
    def reopened(self) -> CourseForm | None:
        if self.course_id is None:
            return None
        return CourseForm(self.database, self.course_id, self.parentWidget(), self.prompts)

    def data(self) -> CourseData:
        return CourseData(
            title=self.title_edit.text(),
            module=self.module_edit.text(),
            reference=self.reference_edit.text(),
            sectors=self.sectors_edit.text(),
            audience=self.audience_edit.toPlainText(),
            duration_days=self.days_spin.value(),
            duration_hours=self.hours_spin.value(),
            provider_name=self.provider_combo.currentText(),
            funding_scheme=self.funding_edit.text(),
            region=self.region_edit.text(),
            opco_name=self.opco_edit.text(),
            opco_contact_name=self.contact_name_edit.text(),
            opco_contact_email=self.contact_email_edit.text(),
            partners=_lines(self.partners_edit),
            context=self.context_edit.toPlainText(),
            prerequisites=self.prerequisites_edit.toPlainText(),
            action_nature=self.nature_combo.currentData(),
            assesses_learning=self.assessment_check.isChecked(),
            what_to_bring=self.what_to_bring_edit.toPlainText(),
            objectives=_lines(self.objectives_edit),
            programme=[editor.data() for editor in self.day_editors],
        )

    def show_errors(self, message: str, fields: list[str]) -> None:
        super().show_errors(message, fields)
        for field in fields:
            widget = self.field_widgets.get(field)
            if widget is None:
                continue
            for index in range(self.tabs.count()):
                page = self.tabs.widget(index)
                if page is not None and page.isAncestorOf(widget):
                    self.tabs.setCurrentIndex(index)
                    return

    def save(self, session: Session) -> int:
        if self.course_id is None:
            return create_course(session, self.data()).id
        return update_course(session, self.course_id, self.data()).id
