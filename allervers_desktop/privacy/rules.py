"""Durées de conservation: one retention rule per kind of data, stored as settings.

The defaults are explained in the README (« Personal data »); the data protection officer
(DPO, « délégué à la protection des données ») of the organisation must confirm them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy.orm import Session

from allervers_desktop.services.errors import Errors
from allervers_desktop.services.settings import get_setting, set_setting

PREFIX = "retention."


@dataclass(frozen=True)
class RuleSpec:
    """How one rule is shown, bounded and explained."""

    label: str
    unit: str  # « ans » or « mois »
    minimum: int
    maximum: int
    help: str


SPECS: dict[str, RuleSpec] = {
    "documents_years": RuleSpec(
        "Feuilles d'émargement, attestations, certificats",
        "ans",
        1,
        30,
        "Conservés jusqu'à la fin de la N-ième année qui suit le dernier jour du groupe, "
        "le temps des contrôles de l'Opco et de l'État (6 ans par défaut, à confirmer par "
        "votre DPO). Tant qu'ils courent, le nom de la personne est gardé.",
    ),
    "contacts_years": RuleSpec(
        "Coordonnées des personnes sans activité",
        "ans",
        1,
        10,
        "Sans inscription ni groupe depuis ce délai, la personne est anonymisée (3 ans, "
        "comme le recommande la CNIL pour les contacts) ; seules ses coordonnées sont "
        "effacées si ses documents doivent encore être conservés.",
    ),
    "imports_months": RuleSpec(
        "Détail de l'historique des imports",
        "mois",
        1,
        120,
        "Passé ce délai, les valeurs importées ligne à ligne sont effacées ; les nombres "
        "restent, l'import ne peut plus être annulé.",
    ),
    "log_years": RuleSpec(
        "Journal des purges et effacements",
        "ans",
        1,
        30,
        "Il ne contient aucune donnée personnelle des participants ; il montre ce qui a été "
        "effacé, quand et par qui.",
    ),
}


@dataclass(frozen=True)
class RetentionRules:
    """The retention periods in force (defaults when never set in Paramètres)."""

    documents_years: int = 6
    contacts_years: int = 3
    imports_months: int = 12
    log_years: int = 6

    def documents_until(self, last_day: dt.date) -> dt.date:
        """Evidence of a group ending on ``last_day`` is kept until this date (inclusive)."""
        return dt.date(last_day.year + self.documents_years, 12, 31)

    def inactive_before(self, today: dt.date) -> dt.date:
        """A person whose last activity is before this date has been inactive long enough."""
        return years_before(today, self.contacts_years)

    def imports_before(self, today: dt.date) -> dt.date:
        return months_before(today, self.imports_months)

    def log_before(self, today: dt.date) -> dt.date:
        return years_before(today, self.log_years)

    def as_dict(self) -> dict[str, int]:
        return {item.name: getattr(self, item.name) for item in fields(self)}


DEFAULTS = RetentionRules()


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    return months_before(day, 12 * years)


def months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def get_rules(session: Session) -> RetentionRules:
    """The stored rules; a missing or unreadable value falls back to its default."""
    values: dict[str, int] = {}
    for name, spec in SPECS.items():
        text = get_setting(session, PREFIX + name, "")
        try:
            value = int(text)
        except ValueError:
            continue
        if spec.minimum <= value <= spec.maximum:
            values[name] = value
    return RetentionRules(**values)


def save_rules(session: Session, rules: RetentionRules) -> RetentionRules:
    """Validate and store every rule (French errors naming the field ``retention.NAME``)."""
    errors = Errors()
    for name, spec in SPECS.items():
        value = getattr(rules, name)
        if not spec.minimum <= value <= spec.maximum:
            errors.add(
                PREFIX + name,
                f"« {spec.label} » : entre {spec.minimum} et {spec.maximum} {spec.unit}.",
            )
    errors.raise_if_any()
    for name in SPECS:
        set_setting(session, PREFIX + name, str(getattr(rules, name)))
    return get_rules(session)


def describe_rules(rules: RetentionRules) -> list[str]:
    """« Feuilles d'émargement, attestations, certificats : 6 ans », one line a rule."""
    return [f"{spec.label} : {getattr(rules, name)} {spec.unit}" for name, spec in SPECS.items()]
