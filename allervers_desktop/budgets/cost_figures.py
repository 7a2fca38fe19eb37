"""The cost figures (plain data): a group's cost and the totals, amounts in cents."""

from __future__ import annotations

from dataclasses import dataclass, field


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class GroupCost:
    """The cost counted for one group: its own lines and its share of its course's."""

    group_id: int
    course_id: int
    course_title: str
    label: str
    city: str
    held: bool
    own_cents: int
    course_share_cents: int
    opco_cents: int
    cofinancer_cents: int
    participants_trained: int
    trainee_minutes: int

    @property
    def total_cents(self) -> int:
        return self.own_cents + self.course_share_cents

    @property
    def cost_per_participant(self) -> float | None:
        """In cents."""
        return ratio(self.total_cents, self.participants_trained)

    @property
    def cost_per_trainee_hour(self) -> float | None:
        """In cents."""
        return ratio(self.total_cents * 60, self.trainee_minutes)


@dataclass(frozen=True)
class CostFigures:
    """The figures of the module docstring; amounts in cents; ``has_budget`` is False when no
    cost line is counted (the figures are then None)."""

    has_budget: bool
    total_cents: int
    opco_cents: int
    cofinancer_cents: int
    participants_trained: int
    trainee_minutes: int
    unspread_cents: int = 0
    by_cofinancer: list[tuple[str, int]] = field(default_factory=list)
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_group: list[GroupCost] = field(default_factory=list)

    @property
    def cost_per_participant(self) -> float | None:
        """In cents."""
        if not self.has_budget:
            return None
        return ratio(self.total_cents, self.participants_trained)

    @property
    def cost_per_trainee_hour(self) -> float | None:
        """In cents."""
        if not self.has_budget:
            return None
        return ratio(self.total_cents * 60, self.trainee_minutes)
