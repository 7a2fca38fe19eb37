"""Employers (établissements): find or create by name and city, shared by participants."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Employer, Participant, employer_match_key
from allervers_desktop.services.deletion import DeletionImpact, plural
from allervers_desktop.services.errors import DeletionBlockedError, Errors, NotFoundError
from allervers_desktop.services.validation import clean, require


def find_employer(session: Session, name: str, city: str = "") -> Employer | None:
    return session.scalar(
        select(Employer).where(Employer.match_key == employer_match_key(name, city))
    )


def find_or_create_employer(session: Session, name: str, city: str = "") -> Employer:
    """The employer with this name and city (compared without case or accents), created if new."""
    name, city = clean(name), clean(city)
    errors = Errors()
    require(errors, "employer", name, "Établissement")
    errors.raise_if_any()
    employer = find_employer(session, name, city)
    if employer is None:
        employer = Employer(name=name, city=city, match_key=employer_match_key(name, city))
        session.add(employer)
        session.flush()
    return employer


def update_employer(session: Session, employer_id: int, name: str, city: str = "") -> Employer:
    """Rename an employer; its participants' search columns follow (see the flush hook)."""
    employer = get_employer(session, employer_id)
    name, city = clean(name), clean(city)
    errors = Errors()
    require(errors, "name", name, "Établissement")
    clash = find_employer(session, name, city) if name else None
    if clash is not None and clash.id != employer_id:
        errors.add("name", f"L'établissement « {clash.display_name} » existe déjà.")
    errors.raise_if_any()
    employer.name, employer.city = name, city
    session.flush()
    return employer


def get_employer(session: Session, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise NotFoundError("établissement", employer_id)
    return employer


def employer_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Employer.id, Employer.name, Employer.city).order_by(Employer.name)
    )
    return [(eid, f"{name} ({city})" if city else name) for eid, name, city in rows]


def describe_employer_deletion(session: Session, employer_id: int) -> DeletionImpact:
    employer = get_employer(session, employer_id)
    impact = DeletionImpact(subject=f"l'établissement « {employer.display_name} »")
    count = session.scalar(select(func.count()).where(Participant.employer_id == employer_id)) or 0
    if count:
        impact.blockers.append(
            f"Cet établissement emploie {plural(count, 'participant')} : "
            "changez d'abord leur établissement."
        )
    return impact


def delete_employer(session: Session, employer_id: int) -> None:
    impact = describe_employer_deletion(session, employer_id)
    if not impact.allowed:
        raise DeletionBlockedError(impact.message())
    session.delete(get_employer(session, employer_id))
    session.flush()
