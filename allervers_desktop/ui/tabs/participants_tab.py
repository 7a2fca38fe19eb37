"""Participants tab: the people trained, their employer and their groups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Employer, Enrollment, Participant
from allervers_desktop.formatting import ENROLLMENT_STATUS_LABELS, date_range
from allervers_desktop.phones import display_phone
from allervers_desktop.services.deletion import DeletionImpact
from allervers_desktop.services.participants import (
    delete_participant,
    describe_participant_deletion,
    get_participant,
)
from allervers_desktop.ui.html import bullet_list, fields, heading, paragraphs, section
from allervers_desktop.ui.lazy_table_model import AnySelect, Column, LazyTableModel
from allervers_desktop.ui.tabs.record_tab import RecordTab

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext

GROUP_COUNT = (
    select(func.count())
    .where(Enrollment.participant_id == Participant.id)
    .correlate(Participant)
    .scalar_subquery()
)


class ParticipantsModel(LazyTableModel):
    columns = (
        Column("Nom", Participant.sort_name),
        Column("Prénom", Participant.first_name),
        Column("Établissement", Employer.name),
        Column("Ville", Employer.city),
        Column("Fonction", Participant.job_title),
        Column("E-mail", Participant.email),
        Column("Téléphone", Participant.phone),
        Column("Groupes", GROUP_COUNT),
    )
    search_column = Participant.search_text.expression

    def query(self) -> AnySelect:
        return select(
            Participant.id,
            Participant.civility,
            Participant.last_name,
            Participant.first_name,
            Employer.name,
            Employer.city,
            Participant.job_title,
            Participant.email,
            Participant.phone,
            GROUP_COUNT,
        ).outerjoin(Employer, Participant.employer_id == Employer.id)

    def count_query(self) -> AnySelect:
        return select(Participant.id)

    def display(self, row: Any) -> list[str]:
        _id, _civility, last, first, employer, city, job, email, phone, groups = row
        return [
            last.upper(),
            first,
            employer or "",
            city or "",
            job,
            email or "",
            display_phone(phone),
            str(groups),
        ]


class ParticipantsTab(RecordTab):
    tracked_model = Participant
    noun = "participant"
    noun_plural = "participants"
    noun_with_article = "un participant"
    search_placeholder = "Rechercher un participant (nom, prénom, e-mail, établissement…)"

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, ParticipantsModel(context.database))
        # RGPD: one person's data, from the list's context menu.
        self.export_data_action = QAction("Exporter ses données…", self)
        self.erase_data_action = QAction("Effacer / anonymiser…", self)
        self.export_data_action.triggered.connect(self.export_selected_data)
        self.erase_data_action.triggered.connect(self.erase_selected_data)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.messages_action = QAction("Messages reçus (journal)…", self)
        self.messages_action.triggered.connect(self.show_messages)
        self.view.addActions(
            [self.messages_action, self.export_data_action, self.erase_data_action]
        )

    def show_messages(self) -> None:
        """The person's messages in the outbox and the sent log: who got what, when."""
        from allervers_desktop.ui.mail.outbox_dialog import OutboxDialog

        record_id = self.current_id()
        if record_id is None:
            return
        with self.database.session() as session:
            name = get_participant(session, record_id).full_name
        dialog = OutboxDialog(self.context, self, participant_id=record_id, scope=name)
        self.context.prompts.run_dialog(dialog)
        dialog.deleteLater()

    def export_selected_data(self) -> None:
        from allervers_desktop.ui.privacy_actions import export_participant_data

        record_id = self.current_id()
        if record_id is not None:
            export_participant_data(self, self.operations, record_id)

    def erase_selected_data(self) -> None:
        from allervers_desktop.ui.privacy_actions import erase_participant_data

        record_id = self.current_id()
        if record_id is not None:
            erase_participant_data(self, self.operations, record_id, self.after_change)

    def open_form(self, record_id: int | None) -> int | None:
        from allervers_desktop.ui.forms.participant_form import ParticipantForm

        form = ParticipantForm(self.database, record_id, self)
        return self.saved_by(form)

    def describe_deletion(self, session: Session, record_id: int) -> DeletionImpact:
        return describe_participant_deletion(session, record_id)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_participant(session, record_id)

    def detail_html(self, session: Session, record_id: int) -> str:
        participant = get_participant(session, record_id)
        employer = participant.employer
        groups = [
            f"{e.group.course.title} — {e.group.label}, {e.group.city} "
            f"({date_range(e.group.dates)}) : {ENROLLMENT_STATUS_LABELS[e.status]}"
            for e in sorted(
                participant.enrollments, key=lambda e: e.group.first_date or e.enrolled_on
            )
        ]
        return (
            heading(
                f"{participant.civility} {participant.full_name}".strip(), participant.job_title
            )
            + fields(
                [
                    ("Établissement", employer.display_name if employer else ""),
                    ("E-mail", participant.email),
                    ("Téléphone", display_phone(participant.phone)),
                ]
            )
            + section(f"Groupes ({len(groups)})")
            + bullet_list(groups)
            + (section("Notes") + paragraphs(participant.notes) if participant.notes else "")
            + _privacy_note(participant)
        )


def _privacy_note(participant: Participant) -> str:
    """« Anonymisé le … » or « Coordonnées effacées le … » (RGPD), when it applies."""
    from allervers_desktop.formatting import short_date

    if participant.anonymised_at is not None:
        return section("RGPD") + paragraphs(
            f"Anonymisé le {short_date(participant.anonymised_at.date())}."
        )
    if participant.contact_erased_at is not None:
        return section("RGPD") + paragraphs(
            f"Coordonnées effacées le {short_date(participant.contact_erased_at.date())}."
        )
    return ""
