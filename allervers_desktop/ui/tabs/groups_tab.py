"""Groupes tab: each group's schedule, trainers, fill, and its enrolled participants."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import (
    Course,
    Employer,
    Enrollment,
    Group,
    GroupDay,
    Participant,
    Trainer,
)
from allervers_desktop.formatting import (
    ASSESSMENT_LABELS,
    ENROLLMENT_STATUS_LABELS,
    GROUP_STATUS_LABELS,
    PERIOD_LABELS,
    clock,
    hours_fr,
    long_date,
    short_date,
)
from allervers_desktop.services.attendance_lock import lock_reason, unlock_history
from allervers_desktop.services.deletion import DeletionImpact, refusals
from allervers_desktop.services.enrollments import (
    describe_unenrollment,
    enroll,
    set_status,
    unenroll,
)
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.groups import (
    ACTIVE_STATUSES,
    delete_group,
    describe_group_deletion,
    duration_difference,
    enrolled_count,
    fill_label,
    get_group,
)
from allervers_desktop.services.teaching import half_day_trainers
from allervers_desktop.services.waiting_list import (
    WAITLISTED,
    move,
    promotable,
    promote,
    waiting_list,
)
from allervers_desktop.ui.attendance_grid import AttendancePanel
from allervers_desktop.ui.control_panel import ControlPanel
from allervers_desktop.ui.history_dialog import connect_history, history_footer
from allervers_desktop.ui.html import bullet_list, esc, fields, heading, section
from allervers_desktop.ui.lazy_table_model import ID_ROLE, AnySelect, Column, LazyTableModel
from allervers_desktop.ui.session_view import SessionView
from allervers_desktop.ui.signed_sheets_panel import SignedSheetsPanel
from allervers_desktop.ui.tabs.record_tab import RecordTab

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

WAITING_TITLE = "Liste d'attente"
LATER = "Plus tard"

ENROLLED = (
    select(func.count())
    .where(Enrollment.group_id == Group.id, Enrollment.status.in_(ACTIVE_STATUSES))
    .correlate(Group)
    .scalar_subquery()
)
LAST_DATE = (
    select(func.max(GroupDay.date)).where(GroupDay.group_id == Group.id).correlate(Group)
).scalar_subquery()
DAY_COUNT = (
    select(func.count()).where(GroupDay.group_id == Group.id).correlate(Group).scalar_subquery()
)


class GroupsModel(LazyTableModel):
    columns = (
        Column("Formation", Course.title),
        Column("Groupe", Group.label),
        Column("Ville", Group.city),
        Column("Dates", Group.first_date),
        Column("Statut", Group.status),
        Column("Inscrits", ENROLLED),
    )
    search_column = Group.search_text.expression

    def query(self) -> AnySelect:
        return select(
            Group.id,
            Course.title,
            Group.label,
            Group.city,
            Group.first_date,
            LAST_DATE,
            DAY_COUNT,
            Group.status,
            ENROLLED,
            Group.capacity,
        ).join(Course, Group.course_id == Course.id)

    def display(self, row: Any) -> list[str]:
        _id, course, label, city, first, last, days, status, enrolled, capacity = row
        if first is None:
            dates = "à planifier"
        elif first == last:
            dates = short_date(first)
        else:
            dates = f"{short_date(first)} → {short_date(last)} ({days} j)"
        return [
            course,
            label,
            city,
            dates,
            GROUP_STATUS_LABELS[status],
            fill_label(enrolled, capacity),
        ]

    def extra_data(self, raw: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 5:
            enrolled, capacity = raw[8], raw[9]
            if capacity and enrolled >= capacity:
                from PySide6.QtGui import QColor

                return QColor("#b71c1c")
        return None


class EnrollmentsModel(LazyTableModel):
    """The enrollments of one group."""

    columns = (
        Column("Nom", Participant.sort_name),
        Column("Prénom", Participant.first_name),
        Column("Établissement", Employer.name),
        Column("Fonction", Participant.job_title),
        Column("Statut", Enrollment.status),
        Column("Évaluation", Enrollment.assessment_result),
        Column("Inscrit le", Enrollment.enrolled_on),
        Column("Origine", Enrollment.source),
    )
    search_column = Participant.search_text.expression

    def __init__(self, database: Any, parent: Any = None) -> None:
        super().__init__(database, parent)
        self.group_id: int | None = None
        self.waiting_positions: dict[int, int] = {}  # enrollment id -> place in the queue

    def set_group(self, group_id: int | None) -> None:
        self.group_id = group_id
        self.reload()

    def reload(self) -> None:
        """The rows, and the waiting list's order (« Liste d'attente (2) »)."""
        self.waiting_positions = {}
        if self.group_id is not None:
            with self._database.session() as session:
                try:
                    waiting = waiting_list(session, self.group_id)
                except ServiceError:  # the group went meanwhile: the list shows nothing
                    waiting = []
            self.waiting_positions = {w.enrollment_id: w.position for w in waiting}
        super().reload()

    def extra_filter(self) -> ColumnElement[bool] | None:
        return Enrollment.group_id == (self.group_id or -1)

    def query(self) -> AnySelect:
        return (
            select(
                Enrollment.id,
                Participant.last_name,
                Participant.first_name,
                Employer.name,
                Participant.job_title,
                Enrollment.status,
                Enrollment.enrolled_on,
                Enrollment.source,
                Enrollment.assessment_result,
            )
            .join(Participant, Enrollment.participant_id == Participant.id)
            .outerjoin(Employer, Participant.employer_id == Employer.id)
        )

    def display(self, row: Any) -> list[str]:
        enrollment_id, last, first, employer, job, status, enrolled_on, source, assessment = row
        status_text = ENROLLMENT_STATUS_LABELS[status]
        position = self.waiting_positions.get(enrollment_id)
        if status == WAITLISTED and position is not None:
            status_text = f"{status_text} ({position})"
        return [
            last.upper(),
            first,
            employer or "",
            job,
            status_text,
            ASSESSMENT_LABELS.get(assessment or "", ""),
            short_date(enrolled_on),
            source,
        ]

    def extra_data(self, raw: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and raw[5] == "cancelled":
            from PySide6.QtGui import QColor

            return QColor("#888888")
        return None


class GroupDetail(QWidget):
    """Right-hand panel: the group's summary and its enrollments with their actions."""

    def __init__(self, tab: GroupsTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.summary = QTextBrowser(self)
        self.summary.setObjectName("detail")
        connect_history(self.summary, tab.database, tab.prompts, Group, self._history_target)
        self.fill_label = QLabel(self)
        self.fill_label.setObjectName("fill")
        self.enrollments = EnrollmentsModel(tab.database, self)
        self.enrollments_view = QTableView(self)
        self.enrollments_view.setObjectName("enrollments")
        self.enrollments_view.setModel(self.enrollments)
        self.enrollments_view.setSortingEnabled(True)
        self.enrollments_view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.enrollments_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.enrollments_view.verticalHeader().hide()
        self.enrollments_view.horizontalHeader().setStretchLastSection(True)
        self.enrollments_view.setAlternatingRowColors(True)
        self.enrollments_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.enrollments.modelReset.connect(self._update_buttons)

        self.enroll_button = QPushButton("Inscrire…", self)
        self.enroll_button.setObjectName("enroll")
        self.enroll_button.setToolTip("Inscrire des participants existants à ce groupe")
        self.enroll_button.clicked.connect(self.enroll_participants)
        self.status_button = QToolButton(self)
        self.status_button.setText("Statut")
        self.status_button.setToolTip(
            "Changer le statut ou l'évaluation des acquis des inscriptions sélectionnées"
        )
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.status_button)
        self.status_actions: dict[str, QAction] = {}
        for status, label in ENROLLMENT_STATUS_LABELS.items():
            if status == "transferred":  # the result of « Transférer… », not a choice
                continue
            action = menu.addAction(label)
            action.triggered.connect(lambda _checked=False, s=status: self.change_status(s))
            self.status_actions[status] = action
        self.status_button.setMenu(menu)
        # The évaluation des acquis is set from the same menu (a submenu: the row of buttons
        # is already full on a narrow panel).
        menu.addSeparator()
        assessment_menu = menu.addMenu("Évaluation des acquis")
        assessment_menu.setObjectName("assessment")
        self.assessment_actions: dict[str | None, QAction] = {}
        for result, label in [*ASSESSMENT_LABELS.items(), (None, "Effacer l'évaluation")]:
            action = assessment_menu.addAction(label)
            action.triggered.connect(lambda _checked=False, r=result: self.change_assessment(r))
            self.assessment_actions[result] = action
        # Moves that keep the history: to another group, or a colleague in the seat.
        menu.addSeparator()
        self.transfer_action = menu.addAction("Transférer vers un autre groupe…")
        self.transfer_action.triggered.connect(self.transfer_selected)
        self.substitute_action = menu.addAction("Remplacer par…")
        self.substitute_action.setToolTip("Une autre personne du même établissement prend la place")
        self.substitute_action.triggered.connect(self.substitute_selected)
        # The waiting list: a seat for the selected people, their order.
        menu.addSeparator()
        waiting_menu = menu.addMenu("Liste d'attente")
        waiting_menu.setObjectName("waiting_list")
        self.promote_action = waiting_menu.addAction("Donner une place")
        self.promote_action.setToolTip("Inscrire les personnes sélectionnées en attente")
        self.promote_action.triggered.connect(self.promote_selected)
        self.move_up_action = waiting_menu.addAction("Monter d'un rang")
        self.move_up_action.triggered.connect(lambda: self.move_waiting(-1))
        self.move_down_action = waiting_menu.addAction("Descendre d'un rang")
        self.move_down_action.triggered.connect(lambda: self.move_waiting(1))
        self.unenroll_button = QPushButton("Désinscrire", self)
        self.unenroll_button.setToolTip("Supprimer les inscriptions sélectionnées")
        self.unenroll_button.clicked.connect(self.unenroll_selected)
        self.export_button = QPushButton("Excel…", self)
        self.export_button.setObjectName("export_roster")
        self.export_button.setToolTip("Exporter la liste des inscrits au format Excel")
        self.export_button.clicked.connect(self.export_roster)
        self.documents_button = QToolButton(self)
        self.documents_button.setObjectName("documents")
        self.documents_button.setText("Documents")
        self.documents_button.setToolTip(
            "Feuilles d'émargement, attestations, certificats, convocations"
        )
        self.documents_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.messages_button = QToolButton(self)
        self.messages_button.setObjectName("messages")
        self.messages_button.setText("Messages")
        self.messages_button.setToolTip(
            "Convocations, listes aux établissements, rappels et attestations par courriel"
        )
        self.messages_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        buttons = QHBoxLayout()
        buttons.addWidget(self.fill_label)
        buttons.addStretch(1)
        buttons.addWidget(self.enroll_button)
        buttons.addWidget(self.status_button)
        buttons.addWidget(self.unenroll_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.documents_button)
        buttons.addWidget(self.messages_button)
        enrollments_page = QWidget(self)
        enrollments_layout = QVBoxLayout(enrollments_page)
        enrollments_layout.addLayout(buttons)
        enrollments_layout.addWidget(self.enrollments_view)
        self.attendance = AttendancePanel(
            tab.database,
            on_error=lambda message: tab.prompts.error(self, "Présences", message),
            ask_reason=lambda: tab.prompts.ask_text(
                self, "Absence excusée", "Motif (facultatif) :"
            ),
            parent=self,
            ask_unlock_reason=lambda: tab.prompts.ask_text(
                self,
                "Déverrouiller les présences",
                "Motif du déverrouillage (il est conservé, avec votre nom et la date) :",
            ),
            run_dialog=tab.prompts.run_dialog,
            on_changed=self.refresh_summary,
            ask_choice=lambda text, choices: tab.prompts.choose(
                self, "Tous présents", text, choices
            ),
        )
        self.sheets = SignedSheetsPanel(
            tab.database,
            tab.prompts,
            on_changed=lambda: self.control.show_group(self.group_id),
            parent=self,
        )
        self.control = ControlPanel(tab.database, self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("group_pages")
        self.pages.addTab(enrollments_page, "Inscriptions")
        self.pages.addTab(self.attendance, "Présences")
        self.pages.addTab(self.sheets, "Feuilles signées")
        self.pages.addTab(self.control, "Contrôle")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.summary)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.group_id: int | None = None
        self.show_group(None)

    def show_group(self, group_id: int | None) -> None:
        self.group_id = group_id
        self.enroll_button.setEnabled(group_id is not None)
        self.export_button.setEnabled(group_id is not None)
        self.tab.groupShown.emit(group_id)
        if group_id is None:
            self.summary.setHtml(
                "<p style='color:#777'>Sélectionnez un groupe pour voir son "
                "planning et ses inscrits.</p>"
            )
            self.fill_label.clear()
        else:
            try:
                with self.tab.database.session() as session:
                    self.summary.setHtml(
                        group_html(session, group_id) + history_footer(session, Group, group_id)
                    )
                    group = get_group(session, group_id)
                    fill = "Inscrits : " + fill_label(
                        enrolled_count(session, group_id), group.capacity
                    )
            except ServiceError as exc:
                self.summary.setHtml(f"<p>{esc(exc.message)}</p>")
                fill = ""
        self.enrollments.set_group(group_id)  # reads the waiting list's order too
        if group_id is not None:
            waiting = len(self.enrollments.waiting_positions)
            self.fill_label.setText(fill + (f" · {waiting} en liste d'attente" if waiting else ""))
        self.enrollments_view.resizeColumnsToContents()
        self.attendance.show_group(group_id)
        self.sheets.show_group(group_id)
        self.control.show_group(group_id)

    def refresh_summary(self) -> None:
        """Show again the group's summary (trainers per half-day, unlocks) after a change."""
        if self.group_id is None:
            return
        try:
            with self.tab.database.session() as session:
                self.summary.setHtml(
                    group_html(session, self.group_id)
                    + history_footer(session, Group, self.group_id)
                )
        except ServiceError as exc:
            self.summary.setHtml(f"<p>{esc(exc.message)}</p>")

    def _history_target(self) -> tuple[int, str] | None:
        if self.group_id is None:
            return None
        with self.tab.database.session() as session:
            group = get_group(session, self.group_id)
            return self.group_id, f"{group.label} ({group.city})" if group.city else group.label

    def selected_enrollment_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.enrollments_view.selectionModel().selectedRows()})
        return [int(self.enrollments.index(row, 0).data(ID_ROLE)) for row in rows]

    def _update_buttons(self, *_args: Any) -> None:
        has_selection = bool(self.selected_enrollment_ids())
        self.status_button.setEnabled(has_selection)
        self.unenroll_button.setEnabled(has_selection)

    def _changed(self) -> None:
        """Refresh the summary, the fill and the groups list after a change."""
        group_id = self.group_id
        self.show_group(group_id)
        if group_id is not None:
            self.tab.model.refresh_row(group_id)

    def enroll_participants(self) -> None:
        if self.group_id is None:
            return
        from allervers_desktop.ui.tabs.enroll_dialog import EnrollDialog

        dialog = EnrollDialog(self.tab.database, self)
        if not self.tab.prompts.run_dialog(dialog):
            return
        ids = dialog.selected_participant_ids()
        group_id = self.group_id

        def work(session: Session) -> list[str]:
            from allervers_desktop.services.same_course import same_course_warnings

            messages: list[str] = []
            already = same_course_warnings(session, group_id, ids)
            for participant_id in ids:
                try:
                    with session.begin_nested():
                        enrollment = enroll(session, group_id, participant_id)
                except ServiceError as exc:  # this person only; the others are enrolled
                    messages.append(exc.message)
                    continue
                if enrollment.status == "waitlisted":
                    messages.append(
                        f"{enrollment.participant.full_name} : groupe complet, "
                        "placé(e) en liste d'attente."
                    )
                messages += already.get(participant_id, [])
            return messages

        done = self.tab.operations.write(self, "Inscriptions", work)
        if done is None:
            return
        self._changed()
        if done.value:
            self.tab.prompts.inform(self, "Inscriptions", "\n".join(done.value))

    def export_roster(self) -> None:
        from allervers_desktop.ui import excel_actions

        if self.group_id is not None:
            excel_actions.export_group_roster(self.tab.context, self.group_id)

    def change_status(self, status: str) -> None:
        ids = self.selected_enrollment_ids()
        if not ids:
            return

        def work(session: Session) -> None:
            for enrollment_id in ids:
                set_status(session, enrollment_id, status)

        if self.tab.operations.write(self, "Changement de statut impossible", work):
            self._changed()
            self.offer_freed_seats()

    def change_assessment(self, result: str | None) -> None:
        """Record the évaluation des acquis of the selected enrollments (None clears it)."""
        from allervers_desktop.services.assessment import set_assessment

        ids = self.selected_enrollment_ids()
        if not ids:
            return

        def work(session: Session) -> None:
            for enrollment_id in ids:
                set_assessment(session, enrollment_id, result)

        if self.tab.operations.write(self, "Évaluation des acquis", work) is None:
            return
        for enrollment_id in ids:
            self.enrollments.refresh_row(enrollment_id)

    def unenroll_selected(self) -> None:
        ids = self.selected_enrollment_ids()
        if not ids:
            return
        prompts = self.tab.prompts
        operations = self.tab.operations
        read = operations.read(
            self,
            "Désinscription impossible",
            lambda session: [describe_unenrollment(session, i) for i in ids],
        )
        if read is None:
            return
        impacts = read.value
        refused = refusals(impacts)
        if refused:
            prompts.error(self, "Désinscription impossible", refused)
            return
        question = (
            f"Supprimer {impacts[0].subject} ?"
            if len(ids) == 1
            else f"Supprimer ces {len(ids)} inscriptions ?"
        )
        detail = "\n".join(line for impact in impacts for line in impact.consequences)
        if not prompts.confirm_destructive(self, "Désinscrire", question, detail):
            return

        def work(session: Session) -> None:
            for enrollment_id in ids:
                unenroll(session, enrollment_id)

        if operations.write(self, "Désinscription impossible", work):
            self._changed()
            self.offer_freed_seats()

    # --- transfer and substitution ----------------------------------------------------------
    def _one_person(self, title: str) -> int | None:
        """The participant of the one selected enrollment (else the user is told)."""
        ids = self.selected_enrollment_ids()
        if len(ids) != 1:
            self.tab.prompts.inform(self, title, "Sélectionnez une seule inscription.")
            return None
        enrollment_id = ids[0]
        read = self.tab.operations.read(
            self, title, lambda s: s.get_one(Enrollment, enrollment_id).participant_id
        )
        return None if read is None else read.value

    def transfer_selected(self) -> None:
        from allervers_desktop.ui.lifecycle_actions import TRANSFER_TITLE, transfer_person

        person, group_id = self._one_person(TRANSFER_TITLE), self.group_id
        if (
            person is not None
            and group_id is not None
            and transfer_person(self.tab.context, self, group_id, person)
        ):
            self._changed()
            self.offer_freed_seats()

    def substitute_selected(self) -> None:
        from allervers_desktop.ui.lifecycle_actions import SUBSTITUTE_TITLE, substitute_person

        person, group_id = self._one_person(SUBSTITUTE_TITLE), self.group_id
        if (
            person is not None
            and group_id is not None
            and substitute_person(self.tab.context, self, group_id, person)
        ):
            self._changed()

    # --- the waiting list --------------------------------------------------------------------
    def selected_waiting(self) -> list[int]:
        """The selected enrollments that are on the waiting list, in its order."""
        positions = self.enrollments.waiting_positions
        chosen = [i for i in self.selected_enrollment_ids() if i in positions]
        return sorted(chosen, key=positions.__getitem__)

    def promote_selected(self) -> None:
        """« Donner une place »: the selected waiting people get a seat, if one is free."""
        ids = self.selected_waiting()
        group_id = self.group_id
        if not ids or group_id is None:
            return
        self._promote(group_id, ids)

    def _promote(self, group_id: int, enrollment_ids: list[int]) -> None:
        def work(session: Session) -> list[str]:
            names = []
            for enrollment_id in enrollment_ids:
                enrollment = session.get_one(Enrollment, enrollment_id)
                promote(session, group_id, enrollment.participant_id)
                names.append(enrollment.participant.full_name)
            return names

        done = self.tab.operations.write(self, WAITING_TITLE, work)
        if done is not None:
            self._changed()
            self.tab.context.status(f"Place donnée à {', '.join(done.value)}.", 8000)

    def move_waiting(self, step: int) -> None:
        """Move the one selected waiting person up (-1) or down (+1) the queue."""
        ids = self.selected_waiting()
        group_id = self.group_id
        if len(ids) != 1 or group_id is None:
            return
        enrollment_id = ids[0]
        position = self.enrollments.waiting_positions[enrollment_id] + step
        if not 1 <= position <= len(self.enrollments.waiting_positions):
            return

        def work(session: Session) -> None:
            participant_id = session.get_one(Enrollment, enrollment_id).participant_id
            move(session, group_id, participant_id, position)

        if self.tab.operations.write(self, WAITING_TITLE, work) is not None:
            self.enrollments.reload()
            row = self.enrollments.row_of(enrollment_id)
            if row is not None:
                self.enrollments_view.selectRow(row)

    def offer_freed_seats(self) -> None:
        """A seat came free (a cancellation, an unenrollment, a larger capacity): propose it
        to the next people waiting, in order. Nothing is given without the user's click."""
        group_id = self.group_id
        if group_id is None:
            return
        read = self.tab.operations.read(self, WAITING_TITLE, lambda s: promotable(s, group_id))
        if read is None or not read.value:
            return
        people = read.value
        listed = "\n".join(
            f"{p.position}. {p.name}" + (f" — {p.employer}" if p.employer else "") for p in people
        )
        if len(people) == 1:
            text = f"Une place est libre. La prochaine personne en liste d'attente :\n{listed}"
            give = f"Donner la place à {people[0].name}"
        else:
            text = f"{len(people)} places sont libres. En liste d'attente :\n{listed}"
            give = f"Donner les {len(people)} places"
        answer = self.tab.prompts.choose(self, WAITING_TITLE, text, [give, LATER])
        if answer == give:
            self._promote(group_id, [p.enrollment_id for p in people])


def group_html(session: Session, group_id: int) -> str:
    group = get_group(session, group_id)
    taught = half_day_trainers(session, group_id)
    days = []
    for day in group.days:
        halves = ", ".join(
            f"{PERIOD_LABELS[half.period]} {clock(half.start_time)}–{clock(half.end_time)}"
            + _taught_by(taught[half.id], group.trainers)
            for half in day.half_days
        )
        hours = hours_fr(sum(half.hours for half in day.half_days))
        days.append(f"{long_date(day.date)} : {halves} ({hours})")
    course: Course = group.course
    unlocks = [
        f"{entry.unlocked_at:%d/%m/%Y %H:%M}, par {entry.unlocked_by} : {entry.reason}"
        for entry in unlock_history(session, group_id)
    ]
    locked = lock_reason(session, group_id)
    return (
        heading(f"{group.label} — {group.city}", f"{course.title} · {course.module}")
        + fields(
            [
                ("Statut", GROUP_STATUS_LABELS[group.status]),
                ("Lieu", group.venue_address),
                ("Capacité", group.capacity or "illimitée"),
                ("Heures prévues", hours_fr(group.hours_planned)),
                ("Durée", duration_difference(group)),
                ("Présences", "Verrouillées" if locked else ""),
                ("Notes", group.notes),
            ]
        )
        + section("Journées")
        + bullet_list(days)
        + section("Intervenants")
        + bullet_list(
            [
                f"{t.full_name} — {t.job_title}" if t.job_title else t.full_name
                for t in group.trainers
            ]
        )
        + (section("Déverrouillages des présences") + bullet_list(unlocks) if unlocks else "")
    )


def _taught_by(trainers: list[Trainer], group_trainers: list[Trainer]) -> str:
    """« avec Chantal CORNIER » when a half-day is not taught by all the group's trainers."""
    if [t.id for t in trainers] == [t.id for t in group_trainers]:
        return ""
    return " avec " + ", ".join(t.full_name for t in trainers)


class GroupsTab(RecordTab):
    noun = "groupe"
    noun_plural = "groupes"
    noun_with_article = "un groupe"
    search_placeholder = "Rechercher un groupe (libellé, ville, formation…)"

    # The group shown in the detail pane (an id, or None): the « Documents » menu follows it.
    groupShown = Signal(object)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, GroupsModel(context.database))
        self.session_views: dict[int, SessionView] = {}
        self.session_button = QPushButton("Feuille de présence", self)
        self.session_button.setObjectName("open_session")
        self.session_button.setToolTip(
            "Saisir les présences du groupe sélectionné sur toute la largeur "
            "(Affichage › Feuille de présence, Ctrl+P)"
        )
        self.session_button.clicked.connect(self.open_session_view)
        layout = self.layout()
        top_item = layout.itemAt(0) if layout is not None else None  # the search row
        top = top_item.layout() if top_item is not None else None
        assert top is not None
        top.addWidget(self.session_button)
        self._remember_views()

    def _remember_views(self) -> None:
        """Column widths, sort order and splitters as the user left them."""
        from allervers_desktop.ui.view_state import remember

        settings = self.context.settings
        if remember(self.view.horizontalHeader(), "groups/list_header", settings):
            self._fitted = True  # the remembered widths, not fitted ones
        remember(self.splitter, "groups/splitter", settings)
        detail_splitter = self.group_detail.findChild(QSplitter)
        if detail_splitter is not None:
            remember(detail_splitter, "groups/detail_splitter", settings)
        remember(
            self.group_detail.enrollments_view.horizontalHeader(),
            "groups/enrollments_header",
            settings,
        )

    def open_session_view(self) -> SessionView | None:
        """« Feuille de présence » of the selected group, in its own window (one per group)."""
        group_id = self.current_id()
        prompts = self.prompts
        if group_id is None:
            prompts.inform(self, "Feuille de présence", "Sélectionnez d'abord un groupe.")
            return None
        view = self.session_views.get(group_id)
        if view is None:
            view = SessionView(
                self.database,
                group_id,
                self.context.settings,
                on_error=lambda message: prompts.error(view, "Présences", message),
                ask_reason=lambda: prompts.ask_text(
                    view, "Absence excusée", "Motif (facultatif) :"
                ),
                ask_choice=lambda text, choices: prompts.choose(
                    view, "Tous présents", text, choices
                ),
                ask_unlock_reason=lambda: prompts.ask_text(
                    view,
                    "Déverrouiller les présences",
                    "Motif du déverrouillage (il est conservé, avec votre nom et la date) :",
                ),
                run_dialog=prompts.run_dialog,
                on_changed=self.group_detail.refresh_summary,
                parent=self,
            )
            self.session_views[group_id] = view
            view.destroyed.connect(lambda _obj=None, g=group_id: self.session_views.pop(g, None))
        view.show()
        if QGuiApplication.platformName() != "offscreen":  # no stacking order there (warns)
            view.raise_()
        view.activateWindow()
        view.panel.view.setFocus()
        return view

    def document_selection(self) -> list[int]:
        """The enrollments selected in the group shown (what « Documents » acts on)."""
        return self.group_detail.selected_enrollment_ids()

    def open_group_ids(self) -> set[int]:
        """The groups whose attendance is on screen (the pane and the session windows)."""
        shown = set(self.session_views)
        if self.group_detail.group_id is not None:
            shown.add(self.group_detail.group_id)
        return shown

    def delete_focused(self) -> None:
        if QApplication.focusWidget() is self.group_detail.enrollments_view:
            self.group_detail.unenroll_selected()
        else:
            self.delete_selected()

    def editing_controls(self) -> list[QWidget]:
        detail = self.group_detail
        return [
            *super().editing_controls(),
            detail.enroll_button,
            detail.status_button,
            detail.unenroll_button,
        ]

    def make_detail_panel(self) -> QWidget:
        self.group_detail = GroupDetail(self)
        self.detail_browser = self.group_detail.summary
        return self.group_detail

    def show_detail(self, record_id: int | None) -> None:
        self.group_detail.show_group(record_id)

    def open_form(self, record_id: int | None) -> int | None:
        from allervers_desktop.ui.forms.group_form import GroupForm

        form = GroupForm(self.database, record_id, self)
        saved = self.saved_by(form)
        if saved is not None and form.conflict_warnings:
            self.prompts.inform(self, "Conflits de planning", "\n\n".join(form.conflict_warnings))
        return saved

    def edit_selected(self) -> int | None:
        saved = super().edit_selected()
        if saved is not None and saved == self.group_detail.group_id:
            self.group_detail.offer_freed_seats()  # its capacity may have grown
        return saved

    def describe_deletion(self, session: Session, record_id: int) -> DeletionImpact:
        return describe_group_deletion(session, record_id)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_group(session, record_id)
