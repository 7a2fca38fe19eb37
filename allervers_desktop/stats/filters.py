"""What the statistics cover (« Filtres »): period, course, place, group status, employer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from allervers_desktop.db.models import Employer, Group, GroupDay, GroupStatus, Participant
from allervers_desktop.formatting import short_date
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.stats.departements import departement_of


@dataclass(frozen=True)
class StatsFilter:
    """Every field left empty means « all ».

    - ``date_from`` / ``date_to`` (inclusive): a group counts when one of its days falls in
      the period; attendance and hours count only the half-days dated in the period.
    - ``course_id``: groups of that course.
    - ``city``: the group's city (the place of the training), as written on the group.
    - ``departement``: the département of the participant's employer (« 67 », « 2A »; see
      ``departements.py``); « » selects employers whose département is unknown.
    - ``group_status``: « planned », « confirmed », « cancelled » or « completed ».
    - ``employer_id``: participants of that employer (enrollments, attendance and hours).
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    course_id: int | None = None
    city: str | None = None
    departement: str | None = None
    group_status: str | None = None
    employer_id: int | None = None

    def check(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ServiceError(
                f"La période est vide : le {short_date(self.date_from)} est après le "
                f"{short_date(self.date_to)}."
            )
        statuses = {status.value for status in GroupStatus}
        if self.group_status is not None and self.group_status not in statuses:
            raise ServiceError(
                f"Statut de groupe inconnu « {self.group_status} » : {', '.join(sorted(statuses))}."
            )


def day_conditions(flt: StatsFilter) -> list[ColumnElement[bool]]:
    """The half-days counted: those dated in the period."""
    conditions: list[ColumnElement[bool]] = []
    if flt.date_from is not None:
        conditions.append(GroupDay.date >= flt.date_from)
    if flt.date_to is not None:
        conditions.append(GroupDay.date <= flt.date_to)
    return conditions


def group_conditions(flt: StatsFilter) -> list[ColumnElement[bool]]:
    """The groups counted (on the ``groups`` table)."""
    conditions: list[ColumnElement[bool]] = []
    if flt.course_id is not None:
        conditions.append(Group.course_id == flt.course_id)
    if flt.city:
        conditions.append(Group.city == flt.city.strip())
    if flt.group_status is not None:
        conditions.append(Group.status == flt.group_status)
    if flt.date_from is not None or flt.date_to is not None:
        day = aliased(GroupDay)  # never the half-day's own day of an enclosing query
        during = []
        if flt.date_from is not None:
            during.append(day.date >= flt.date_from)
        if flt.date_to is not None:
            during.append(day.date <= flt.date_to)
        conditions.append(exists().where(day.group_id == Group.id, *during))
    return conditions


def person_conditions(session: Session, flt: StatsFilter) -> list[ColumnElement[bool]]:
    """The participants counted (on the ``participants`` table): employer, département."""
    conditions: list[ColumnElement[bool]] = []
    if flt.employer_id is not None:
        conditions.append(Participant.employer_id == flt.employer_id)
    if flt.departement is not None:
        wanted = flt.departement.strip().upper()
        ids = [
            employer_id
            for employer_id, address, finess in session.execute(
                select(Employer.id, Employer.address, Employer.finess)
            )
            if departement_of(address, finess) == wanted
        ]
        conditions.append(Participant.employer_id.in_(ids))
    return conditions
