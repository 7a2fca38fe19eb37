"""Cost lines (« Budget ») of a group or of a course: add, edit, delete, list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.budgets.amounts import MAX_CENTS
from allervers_desktop.db.models import CostKind, CostLine, Course, Funder, Group
from allervers_desktop.services.errors import NotFoundError, ServiceError

KIND_LABELS = {
    CostKind.PROVIDER.value: "Prestataire",
    CostKind.VENUE.value: "Salle",
    CostKind.CATERING.value: "Restauration",
    CostKind.TRAVEL.value: "Déplacements",
    CostKind.OTHER.value: "Autre",
}
FUNDER_LABELS = {Funder.OPCO.value: "Opco", Funder.COFINANCER.value: "Cofinanceur"}
# What the command line and the forms accept for each kind (French words, code names).
KIND_WORDS = {
    "prestataire": CostKind.PROVIDER.value,
    "salle": CostKind.VENUE.value,
    "restauration": CostKind.CATERING.value,
    "deplacements": CostKind.TRAVEL.value,
    "déplacements": CostKind.TRAVEL.value,
    "autre": CostKind.OTHER.value,
    **{kind.value: kind.value for kind in CostKind},
}
FUNDER_WORDS = {
    "opco": Funder.OPCO.value,
    "cofinanceur": Funder.COFINANCER.value,
    "cofinancer": Funder.COFINANCER.value,
}


@dataclass(frozen=True)
class CostInput:
    """What a form or the command line gives for one line (amount already in cents)."""

    kind: str
    amount_cents: int
    funder: str
    cofinancer: str = ""
    label: str = ""


@dataclass(frozen=True)
class CostRow:
    """One cost line as listed: ``owner`` says « Groupe … » or « Formation … »."""

    id: int
    group_id: int | None
    course_id: int | None
    owner: str
    kind: str
    label: str
    amount_cents: int
    funder: str
    cofinancer: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def funder_label(self) -> str:
        if self.funder == Funder.COFINANCER.value:
            return f"Cofinanceur ({self.cofinancer})" if self.cofinancer else "Cofinanceur"
        return FUNDER_LABELS.get(self.funder, self.funder)


def kind_of(word: str) -> str:
    kind = KIND_WORDS.get(word.strip().lower())
    if kind is None:
        raise ServiceError(
            f"Nature de coût inconnue « {word} » : prestataire, salle, restauration, "
            "déplacements ou autre."
        )
    return kind


def funder_of(word: str) -> str:
    funder = FUNDER_WORDS.get(word.strip().lower())
    if funder is None:
        raise ServiceError(f"Financeur inconnu « {word} » : opco ou cofinanceur.")
    return funder


def _checked(data: CostInput) -> CostInput:
    kind = kind_of(data.kind)
    funder = funder_of(data.funder)
    if not 0 <= data.amount_cents <= MAX_CENTS:
        raise ServiceError("Le montant doit être positif ou nul, et de 10 000 000 € au plus.")
    cofinancer = " ".join(data.cofinancer.split())
    if funder == Funder.COFINANCER.value and not cofinancer:
        raise ServiceError("Indiquez le nom du cofinanceur (par ex. « DGCS »).")
    if funder == Funder.OPCO.value:
        cofinancer = ""
    label = " ".join(data.label.split())
    if len(label) > 200 or len(cofinancer) > 100:
        raise ServiceError("Libellé trop long (200 caractères au plus, 100 pour le cofinanceur).")
    return CostInput(kind, data.amount_cents, funder, cofinancer, label)


def add_cost(
    session: Session, data: CostInput, *, group_id: int | None = None, course_id: int | None = None
) -> CostLine:
    """A new line for exactly one group or one course."""
    if (group_id is None) == (course_id is None):
        raise ServiceError("Une ligne de coût concerne soit un groupe, soit une formation.")
    if group_id is not None and session.get(Group, group_id) is None:
        raise NotFoundError("groupe", group_id)
    if course_id is not None and session.get(Course, course_id) is None:
        raise NotFoundError("formation", course_id)
    checked = _checked(data)
    line = CostLine(
        group_id=group_id,
        course_id=course_id,
        kind=checked.kind,
        label=checked.label,
        amount_cents=checked.amount_cents,
        funder=checked.funder,
        cofinancer=checked.cofinancer,
    )
    session.add(line)
    session.flush()
    return line


def _line(session: Session, cost_id: int) -> CostLine:
    line = session.get(CostLine, cost_id)
    if line is None:
        raise ServiceError(f"Aucune ligne de coût n° {cost_id}.")
    return line


def update_cost(session: Session, cost_id: int, data: CostInput) -> CostLine:
    line = _line(session, cost_id)
    checked = _checked(data)
    line.kind = checked.kind
    line.label = checked.label
    line.amount_cents = checked.amount_cents
    line.funder = checked.funder
    line.cofinancer = checked.cofinancer
    session.flush()
    return line


def delete_cost(session: Session, cost_id: int) -> None:
    session.delete(_line(session, cost_id))
    session.flush()


def list_costs(
    session: Session, *, group_id: int | None = None, course_id: int | None = None
) -> list[CostRow]:
    """The lines of a group, of a course (its own lines only), or all of them."""
    stmt = (
        select(CostLine, Group.label, Course.title)
        .outerjoin(Group, Group.id == CostLine.group_id)
        .outerjoin(Course, Course.id == CostLine.course_id)
        .order_by(CostLine.course_id.is_(None), CostLine.group_id, CostLine.id)
    )
    if group_id is not None:
        stmt = stmt.where(CostLine.group_id == group_id)
    if course_id is not None:
        stmt = stmt.where(CostLine.course_id == course_id)
    rows = []
    for line, group_label, course_title in session.execute(stmt):
        owner = (
            f"Groupe n° {line.group_id} « {group_label} »"
            if line.group_id is not None
            else f"Formation n° {line.course_id} « {course_title} »"
        )
        rows.append(
            CostRow(
                id=line.id,
                group_id=line.group_id,
                course_id=line.course_id,
                owner=owner,
                kind=line.kind,
                label=line.label,
                amount_cents=line.amount_cents,
                funder=line.funder,
                cofinancer=line.cofinancer,
            )
        )
    return rows
