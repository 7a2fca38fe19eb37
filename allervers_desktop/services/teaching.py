"""Who taught each half-day (intervenants par demi-journée), defaulting to the group's trainers."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import HalfDay, HalfDayTrainer, Trainer
from allervers_desktop.formatting import PERIOD_LABELS, short_date
from allervers_desktop.services.errors import NotFoundError, ServiceError
from allervers_desktop.services.groups import get_group


def half_day_trainers(session: Session, group_id: int) -> dict[int, list[Trainer]]:
    """The trainers of every half-day of the group, by half-day id, in the group's order.
    A half-day with no choice recorded (or whose chosen trainers all left the group) is
    taught by all the group's trainers."""
    group = get_group(session, group_id)
    trainers = list(group.trainers)
    halves = [half.id for half in group.half_days]
    chosen: dict[int, set[int]] = {}
    for half_day_id, trainer_id in session.execute(
        select(HalfDayTrainer.half_day_id, HalfDayTrainer.trainer_id).where(
            HalfDayTrainer.half_day_id.in_(halves)
        )
    ):
        chosen.setdefault(half_day_id, set()).add(trainer_id)
    result: dict[int, list[Trainer]] = {}
    for half_day_id in halves:
        ids = chosen.get(half_day_id, set())
        own = [trainer for trainer in trainers if trainer.id in ids]
        result[half_day_id] = own or trainers
    return result


def has_own_trainers(session: Session, half_day_id: int) -> bool:
    return (
        session.scalar(
            select(HalfDayTrainer.trainer_id).where(HalfDayTrainer.half_day_id == half_day_id)
        )
        is not None
    )


def set_half_day_trainers(session: Session, half_day_id: int, trainer_ids: Iterable[int]) -> None:
    """Record who taught a half-day, among the group's trainers; an empty choice goes back
    to the group's trainers."""
    half_day = session.get(HalfDay, half_day_id)
    if half_day is None:
        raise NotFoundError("demi-journée", half_day_id)
    group = half_day.day.group
    order = {trainer.id: position for position, trainer in enumerate(group.trainers)}
    wanted = list(dict.fromkeys(trainer_ids))
    for trainer_id in wanted:
        if trainer_id not in order:
            trainer = session.get(Trainer, trainer_id)
            if trainer is None:
                raise NotFoundError("intervenant", trainer_id)
            raise ServiceError(
                f"{trainer.full_name} n'intervient pas dans le groupe « {group.label} » : "
                f"ajoutez-le aux intervenants du groupe avant de l'affecter au "
                f"{short_date(half_day.day.date)} ({PERIOD_LABELS[half_day.period]})."
            )
    session.execute(delete(HalfDayTrainer).where(HalfDayTrainer.half_day_id == half_day_id))
    for trainer_id in sorted(wanted, key=order.__getitem__):
        session.add(
            HalfDayTrainer(
                half_day_id=half_day_id, trainer_id=trainer_id, position=order[trainer_id]
            )
        )
    session.flush()
