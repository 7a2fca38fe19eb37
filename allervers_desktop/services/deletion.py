"""What deleting a record would affect: blockers refuse it, consequences need confirming."""

from __future__ import annotations

from dataclasses import dataclass, field


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


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 inscrit », « 12 inscrits »."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"
