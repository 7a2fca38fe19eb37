"""Intervenants tab: the trainers and the groups they teach."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Trainer
from allervers_desktop.formatting import GROUP_STATUS_LABELS, date_range
from allervers_desktop.phones import display_phone
from allervers_desktop.services.deletion import DeletionImpact
from allervers_desktop.services.trainers import (
    delete_trainer,
    describe_trainer_deletion,
    get_trainer,
)
from allervers_desktop.ui.html import bullet_list, fields, heading, section
from allervers_desktop.ui.lazy_table_model import AnySelect, Column, LazyTableModel
from allervers_desktop.ui.tabs.record_tab import RecordTab

if TYPE_CHECKING:
    from allervers_desktop.ui.context import AppContext


class TrainersModel(LazyTableModel):
    columns = (
        Column("Nom", Trainer.last_name),
        Column("Prénom", Trainer.first_name),
        Column("Fonction", Trainer.job_title),
        Column("Organisme", Trainer.organisation),
        Column("E-mail", Trainer.email),
        Column("Téléphone", Trainer.phone),
    )
    search_column = Trainer.search_text.expression

    def query(self) -> AnySelect:
        return select(
            Trainer.id,
            Trainer.last_name,
            Trainer.first_name,
            Trainer.job_title,
            Trainer.organisation,
            Trainer.email,
            Trainer.phone,
        )

    def display(self, row: Any) -> list[str]:
        _id, last, first, job, organisation, email, phone = row
        return [last.upper(), first, job, organisation, email or "", display_phone(phone)]


class TrainersTab(RecordTab):
    tracked_model = Trainer
    noun = "intervenant"
    noun_plural = "intervenants"
    noun_with_article = "un intervenant"
    search_placeholder = "Rechercher un intervenant (nom, fonction, e-mail…)"

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, TrainersModel(context.database))

    def open_form(self, record_id: int | None) -> int | None:
        from allervers_desktop.ui.forms.trainer_form import TrainerForm

        form = TrainerForm(self.database, record_id, self)
        return self.saved_by(form)

    def describe_deletion(self, session: Session, record_id: int) -> DeletionImpact:
        return describe_trainer_deletion(session, record_id)

    def delete_record(self, session: Session, record_id: int) -> None:
        delete_trainer(session, record_id)

    def detail_html(self, session: Session, record_id: int) -> str:
        trainer = get_trainer(session, record_id)
        groups = [
            f"{g.label} — {g.city} ({date_range(g.dates)}) · {g.course.title} · "
            f"{GROUP_STATUS_LABELS[g.status]}"
            for g in trainer.groups
        ]
        return (
            heading(f"{trainer.civility} {trainer.full_name}".strip(), trainer.job_title)
            + fields(
                [
                    ("Organisme", trainer.organisation),
                    ("E-mail", trainer.email),
                    ("Téléphone", display_phone(trainer.phone)),
                ]
            )
            + section(f"Groupes animés ({len(groups)})")
            + bullet_list(groups)
        )
