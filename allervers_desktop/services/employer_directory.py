"""« Établissements »: list with search and counts, edit the identity (SIRET, FINESS…), merge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Employer, OutboxMessage, Participant
from allervers_desktop.services.employers import find_employer, get_employer
from allervers_desktop.services.errors import Errors, ServiceError
from allervers_desktop.services.providers import digits_only, luhn_valid, siret_valid
from allervers_desktop.services.validation import clean, clean_email, require
from allervers_desktop.text import search_terms


class EmployerMergeError(ServiceError):
    """Two employers cannot be merged (the same one, or two distinct SIRET/FINESS)."""


def finess_valid(finess: str) -> bool:
    """9 characters: 8 digits and a Luhn key (« 750712184 »); Corsica's « 2A »/« 2B » by length."""
    if len(finess) != 9:
        return False
    if finess[:2] in ("2A", "2B"):
        return finess[2:].isdigit()
    return finess.isdigit() and luhn_valid(finess)


@dataclass
class EmployerData:
    """The fields of the « Établissement » form."""

    name: str
    city: str = ""
    address: str = ""
    siret: str = ""
    finess: str = ""
    contact_name: str = ""
    contact_email: str = ""

    @classmethod
    def from_employer(cls, employer: Employer) -> EmployerData:
        return cls(
            name=employer.name,
            city=employer.city,
            address=employer.address,
            siret=employer.siret,
            finess=employer.finess,
            contact_name=employer.contact_name,
            contact_email=employer.contact_email,
        )


def save_employer(session: Session, employer_id: int, data: EmployerData) -> Employer:
    """Edit an employer; refused (in French) when a field is wrong or it would clash."""
    employer = get_employer(session, employer_id)
    errors = Errors()
    name, city = clean(data.name), clean(data.city)
    require(errors, "name", name, "Établissement")
    clash = find_employer(session, name, city) if name else None
    if clash is not None and clash.id != employer_id:
        errors.add("name", f"L'établissement « {clash.display_name} » existe déjà.")
    siret = digits_only(data.siret)
    if siret and not siret_valid(siret):
        errors.add("siret", f"Le SIRET « {data.siret.strip()} » n'est pas valide (14 chiffres).")
    finess = digits_only(data.finess).upper()
    if finess and not finess_valid(finess):
        errors.add(
            "finess", f"Le numéro FINESS « {data.finess.strip()} » n'est pas valide (9 chiffres)."
        )
    for field, value, label in (("siret", siret, "SIRET"), ("finess", finess, "FINESS")):
        other = _holder(session, field, value, employer_id) if value else None
        if other is not None:
            errors.add(field, f"Le {label} {value} est déjà celui de « {other.display_name} ».")
    email = clean_email(errors, "contact_email", data.contact_email) or ""
    errors.raise_if_any()
    employer.name, employer.city = name, city
    employer.address = data.address.strip()
    employer.siret, employer.finess = siret, finess
    employer.contact_name, employer.contact_email = clean(data.contact_name), email
    session.flush()
    return employer


def _holder(session: Session, field: str, value: str, except_id: int) -> Employer | None:
    column = getattr(Employer, field)
    return session.scalar(select(Employer).where(column == value, Employer.id != except_id))


def find_by_identifier(session: Session, siret: str = "", finess: str = "") -> Employer | None:
    """The employer with this SIRET or FINESS (the import tries these before the name)."""
    siret, finess = digits_only(siret), digits_only(finess).upper()
    for column, value in ((Employer.siret, siret), (Employer.finess, finess)):
        if value:
            found = session.scalar(select(Employer).where(column == value))
            if found is not None:
                return found
    return None


def list_employers(session: Session, query: str = "") -> list[dict[str, Any]]:
    """Employers by name, each with its participant count; ``query`` filters (folded terms)."""
    counts = (
        select(Participant.employer_id, func.count().label("n"))
        .group_by(Participant.employer_id)
        .subquery()
    )
    stmt = (
        select(Employer, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.employer_id == Employer.id)
        .order_by(Employer.match_key, Employer.id)
    )
    for term in search_terms(query):
        digits = digits_only(term)
        stmt = stmt.where(
            or_(
                Employer.match_key.contains(term, autoescape=True),
                *(
                    [Employer.siret.contains(digits), Employer.finess.contains(digits)]
                    if digits.isdigit() and len(digits) >= 3
                    else []
                ),
            )
        )
    return [
        {
            "id": e.id,
            "name": e.name,
            "city": e.city,
            "address": e.address,
            "siret": e.siret,
            "finess": e.finess,
            "contact_name": e.contact_name,
            "contact_email": e.contact_email,
            "participants": count,
        }
        for e, count in session.execute(stmt)
    ]


def merge_employers(session: Session, keep_id: int, other_id: int) -> str:
    """Move ``other``'s participants to ``keep`` and delete ``other``; in the caller's transaction.

    Empty fields of the kept employer take ``other``'s value; two different SIRET (or FINESS)
    mean two establishments, and the merge is refused."""
    if keep_id == other_id:
        raise EmployerMergeError("Un établissement ne peut pas être fusionné avec lui-même.")
    keep, other = get_employer(session, keep_id), get_employer(session, other_id)
    for field, label in (("siret", "SIRET"), ("finess", "FINESS")):
        mine, theirs = getattr(keep, field), getattr(other, field)
        if mine and theirs and mine != theirs:
            raise EmployerMergeError(
                f"Fusion impossible : « {keep.display_name} » et « {other.display_name} » ont "
                f"des {label} différents ({mine} et {theirs}) : ce sont deux établissements."
            )
    moved = session.scalar(select(func.count()).where(Participant.employer_id == other_id)) or 0
    filled = {
        field: getattr(other, field)
        for field in ("address", "siret", "finess", "contact_name", "contact_email")
        if not getattr(keep, field) and getattr(other, field)
    }
    if not keep.city and other.city:
        clash = find_employer(session, keep.name, other.city)
        if clash is None or clash.id == other_id:
            filled["city"] = other.city
    label = other.display_name
    participants = session.scalars(select(Participant).where(Participant.employer_id == other_id))
    for participant in participants:
        participant.employer = keep
    session.execute(  # the messages sent to the merged one stay in the kept one's log
        update(OutboxMessage)
        .where(OutboxMessage.employer_id == other_id)
        .values(employer_id=keep_id)
    )
    session.flush()
    session.delete(other)
    session.flush()
    for field, value in filled.items():
        setattr(keep, field, value)
    session.flush()
    return f"« {label} » fusionné dans « {keep.display_name} » : {moved} participant(s) déplacé(s)."
