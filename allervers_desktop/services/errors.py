"""Errors raised by services, each carrying a message for the user in French."""

from __future__ import annotations

from dataclasses import dataclass, field


class ServiceError(Exception):
    """Base class: ``message`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ValidationError(ServiceError):
    """One or more fields are invalid; nothing was written."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("\n".join(error.message for error in errors))
        self.errors = errors

    def for_field(self, name: str) -> list[str]:
        return [error.message for error in self.errors if error.field == name]


# Feminine nouns passed to NotFoundError, so that it says « Aucune formation ».
FEMININE_NOUNS = frozenset(
    {
        "formation",
        "inscription",
        "demi-journée",
        "journée",
        "présence",
        "attestation",
        "réclamation",
    }
)


class NotFoundError(ServiceError):
    """No record with that id."""

    def __init__(self, what: str, record_id: int) -> None:
        none = "Aucune" if what in FEMININE_NOUNS else "Aucun"
        super().__init__(f"{none} {what} ne porte le numéro {record_id}.")
        self.record_id = record_id


class DeletionBlockedError(ServiceError):
    """Other records depend on this one and the deletion is refused."""


@dataclass
class Errors:
    """Collects field errors, then raises them all at once."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.items.append(FieldError(field_name, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)
