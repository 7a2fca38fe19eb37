"""What deleting a record would affect: blockers refuse it, consequences need confirming."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import IssuedDocument


@dataclass
class DeletionImpact:
    """Shown to the user before a deletion."""

    subject: str
    blockers: list[str] = field(default_factory=list)
    consequences: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.blockers

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.consequences)

    def message(self) -> str:
        lines = self.blockers or self.consequences
        return "\n".join(lines)


def refusals(impacts: list[DeletionImpact]) -> str:
    """What stops the refused ones, one paragraph each (« Le groupe … : … »); empty if none."""
    return "\n\n".join(
        f"{impact.subject[0].upper()}{impact.subject[1:]} : {impact.message()}"
        for impact in impacts
        if not impact.allowed
    )


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 inscrit », « 12 inscrits »."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"


def certificates_blocker(session: Session, enrollment_ids: Iterable[int]) -> str | None:
    """A French blocker when certificates were issued for these enrollments: the log of what
    was issued to whom must stay whole, so such enrollments are cancelled, not deleted."""
    numbers = list(
        session.scalars(
            select(IssuedDocument.number)
            .where(IssuedDocument.enrollment_id.in_(list(enrollment_ids)))
            .order_by(IssuedDocument.number)
        )
    )
    if not numbers:
        return None
    shown = ", ".join(numbers[:5]) + (" …" if len(numbers) > 5 else "")
    what = (
        "Une attestation a été délivrée"
        if len(numbers) == 1
        else (f"{len(numbers)} attestations ou certificats ont été délivrés")
    )
    return (
        f"{what} ({shown}) : le journal des attestations doit rester complet. "
        "Passez plutôt l'inscription au statut « Annulé »."
    )
