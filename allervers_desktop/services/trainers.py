"""Trainers (intervenants): create, edit, delete and the groups they teach."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import Group, Trainer
from allervers_desktop.phones import display_phone
from allervers_desktop.services.deletion import DeletionImpact, plural
from allervers_desktop.services.errors import Errors, NotFoundError
from allervers_desktop.services.validation import (
    clean,
    clean_civility,
    clean_email,
    clean_phone,
    require,
)


@dataclass
class TrainerData:
    first_name: str
    last_name: str
    civility: str = ""
    job_title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def from_trainer(cls, trainer: Trainer) -> TrainerData:
        return cls(
            first_name=trainer.first_name,
            last_name=trainer.last_name,
            civility=trainer.civility,
            job_title=trainer.job_title,
            organisation=trainer.organisation,
            email=trainer.email or "",
            phone=display_phone(trainer.phone),  # the form shows it the French way
        )


def get_trainer(session: Session, trainer_id: int) -> Trainer:
    trainer = session.scalar(
        select(Trainer)
        .where(Trainer.id == trainer_id)
        .options(selectinload(Trainer.groups).selectinload(Group.course))
    )
    if trainer is None:
        raise NotFoundError("intervenant", trainer_id)
    return trainer


def _apply(trainer: Trainer, data: TrainerData) -> None:
    errors = Errors()
    trainer.first_name = clean(data.first_name)
    trainer.last_name = clean(data.last_name)
    require(errors, "last_name", trainer.last_name, "Nom")
    require(errors, "first_name", trainer.first_name, "Prénom")
    trainer.civility = clean_civility(errors, "civility", data.civility)
    trainer.job_title = clean(data.job_title)
    trainer.organisation = clean(data.organisation)
    trainer.email = clean_email(errors, "email", data.email)
    trainer.phone = clean_phone(errors, "phone", data.phone)
    errors.raise_if_any()


def create_trainer(session: Session, data: TrainerData) -> Trainer:
    trainer = Trainer()
    _apply(trainer, data)
    session.add(trainer)
    session.flush()
    return trainer


def update_trainer(session: Session, trainer_id: int, data: TrainerData) -> Trainer:
    trainer = get_trainer(session, trainer_id)
    _apply(trainer, data)
    session.flush()
    return trainer


def trainer_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Trainer.id, Trainer.first_name, Trainer.last_name, Trainer.job_title).order_by(
            Trainer.last_name, Trainer.first_name
        )
    )
    return [
        (tid, f"{last.upper()} {first}" + (f" — {job}" if job else ""))
        for tid, first, last, job in rows
    ]


def describe_trainer_deletion(session: Session, trainer_id: int) -> DeletionImpact:
    trainer = get_trainer(session, trainer_id)
    impact = DeletionImpact(subject=f"l'intervenant {trainer.full_name}")
    if trainer.groups:
        labels = ", ".join(f"{g.label} ({g.city})" if g.city else g.label for g in trainer.groups)
        impact.consequences.append(
            f"Cet intervenant est affecté à {plural(len(trainer.groups), 'groupe')} ({labels}) : "
            "il en sera retiré."
        )
    return impact


def delete_trainer(session: Session, trainer_id: int) -> None:
    trainer = get_trainer(session, trainer_id)
    trainer.groups.clear()
    session.delete(trainer)
    session.flush()
