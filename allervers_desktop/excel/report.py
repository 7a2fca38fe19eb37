"""What an import did or would do: per-row outcomes, conflicts, warnings, counts, summary."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from allervers_desktop.formatting import short_date


class RowOutcome(enum.StrEnum):
    """How a row ends: the wizard colours rows by it."""

    CREATED = "created"
    MERGED = "merged"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    CONFLICT = "conflict"


OUTCOME_LABELS = {
    RowOutcome.CREATED: "Créé",
    RowOutcome.MERGED: "Fusionné",
    RowOutcome.UNCHANGED: "Inchangé",
    RowOutcome.SKIPPED: "Ignoré",
    RowOutcome.CONFLICT: "Conflit",
}


class ConflictChoice(enum.StrEnum):
    KEEP = "keep"
    REPLACE = "replace"


SAME_PERSON, OTHER_PERSON = "same", "different"
LOOKALIKE_PREFIX = "same."


@dataclass(frozen=True)
class Lookalike:
    """A row that looks like an existing person (same name and employer, another e-mail):
    « même personne » updates that record, « personne différente » creates another one."""

    key: str  # « same.p12 »: the decision's key in ImportOptions.decisions
    row: int
    name: str
    incoming_email: str
    participant_id: int
    existing_email: str
    employer: str
    same: bool

    def describe(self) -> str:
        where = f" ({self.employer})" if self.employer else ""
        return (
            f"Ligne {self.row} : {self.name}{where}, « {self.incoming_email} », ressemble à la "
            f"fiche n° {self.participant_id} (« {self.existing_email} »)"
        )


@dataclass(frozen=True)
class Conflict:
    """A matched participant whose stored value differs from the file's."""

    key: str  # stable id for decisions: « p12.phone »
    row: int
    participant_id: int
    participant_name: str
    field: str
    field_label: str
    existing: str
    incoming: str
    choice: ConflictChoice = ConflictChoice.KEEP

    def describe(self) -> str:
        kept = (
            "valeur du fichier retenue"
            if self.choice is ConflictChoice.REPLACE
            else ("valeur existante conservée")
        )
        return (
            f"{self.participant_name} — {self.field_label} : « {self.existing} » dans la base, "
            f"« {self.incoming} » dans le fichier ({kept})"
        )


@dataclass(frozen=True)
class Notice:
    """A warning, tied to an Excel row number or to the whole file (row None)."""

    row: int | None
    message: str

    def describe(self) -> str:
        return f"Ligne {self.row} : {self.message}" if self.row is not None else self.message


@dataclass(slots=True)
class RowResult:
    """The outcome of one data row, with its Excel row number."""

    row: int
    outcome: RowOutcome
    name: str
    message: str
    participant_id: int | None = None
    group_id: int | None = None
    enrollment_status: str | None = None
    conflict_keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PreviousImport:
    batch_id: int
    imported_at: dt.datetime

    def describe(self) -> str:
        when = f"{short_date(self.imported_at.date())} à {self.imported_at.strftime('%H:%M')}"
        return f"le {when} (import n° {self.batch_id})"


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    enrolled: int = 0
    waitlisted: int = 0
    unchanged: int = 0
    skipped: int = 0
    employers_created: int = 0


@dataclass
class ImportReport:
    """A preview (``applied`` False) or the result of an import."""

    file_name: str
    sheet_name: str
    header_row: int
    rows: list[RowResult]
    conflicts: list[Conflict]
    warnings: list[Notice]
    counts: ImportCounts
    blank_rows: int
    previous_import: PreviousImport | None
    lookalikes: list[Lookalike] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False
    batch_id: int | None = None

    @property
    def has_changes(self) -> bool:
        c = self.counts
        return bool(c.created or c.updated or c.enrolled or c.waitlisted or c.employers_created)

    @property
    def skipped(self) -> list[RowResult]:
        return [row for row in self.rows if row.outcome is RowOutcome.SKIPPED]

    def summary(self) -> str:
        """One French sentence saying what happened (or would happen)."""
        if not self.rows:
            return f"Le fichier « {self.file_name} » ne contient aucune ligne à importer."
        if not self.has_changes:
            return self._nothing_changed()
        c = self.counts
        parts = [
            _plural(c.created, "participant créé", "participants créés"),
            _plural(c.updated, "participant mis à jour", "participants mis à jour"),
            _plural(c.enrolled, "inscription", "inscriptions"),
        ]
        if c.waitlisted:
            parts.append(_plural(c.waitlisted, "en liste d'attente", "en liste d'attente"))
        parts.append(_plural(c.unchanged, "ligne inchangée", "lignes inchangées"))
        parts.append(_plural(c.skipped, "ligne ignorée", "lignes ignorées"))
        prefix = "Simulation (rien n'a été écrit) : " if not self.applied else ""
        return prefix + ", ".join(parts) + "."

    def _nothing_changed(self) -> str:
        """Why nothing is written: rows refused, rows already there, or both."""
        skipped = self.counts.skipped
        nothing = "rien n'a été écrit" if self.applied else "rien ne serait écrit"
        refused = _plural(skipped, "ligne refusée", "lignes refusées")
        if skipped and skipped >= len(self.rows):
            rows = (
                "la ligne du fichier a été refusée"
                if skipped == 1
                else f"les {skipped} lignes du fichier ont été refusées"
            )
            return f"Aucun participant importé : {rows} (motifs ci-dessous), {nothing}."
        if self.previous_import is not None:
            also = f" ({refused}, motifs ci-dessous)" if skipped else ""
            return (
                f"Ce fichier a déjà été importé {self.previous_import.describe()} : "
                f"aucune modification{also}."
            )
        if skipped:
            present = _plural(
                len(self.rows) - skipped, "ligne déjà dans la base", "lignes déjà dans la base"
            )
            return f"Aucune modification : {present}, {refused} (motifs ci-dessous), {nothing}."
        return "Aucune modification : le contenu du fichier est déjà dans la base."

    def to_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "file": self.file_name,
            "sheet": self.sheet_name,
            "header_row": self.header_row,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "batch_id": self.batch_id,
            "created": c.created,
            "updated": c.updated,
            "enrolled": c.enrolled,
            "waitlisted": c.waitlisted,
            "unchanged": c.unchanged,
            "employers_created": c.employers_created,
            "skipped": [{"row": r.row, "reason": r.message} for r in self.skipped],
            "warnings": [{"row": n.row, "message": n.message} for n in self.warnings],
            "conflicts": [
                {
                    "row": k.row,
                    "participant_id": k.participant_id,
                    "field": k.field,
                    "existing": k.existing,
                    "incoming": k.incoming,
                    "choice": k.choice.value,
                }
                for k in self.conflicts
            ],
            "lookalikes": [
                {
                    "row": look.row,
                    "participant_id": look.participant_id,
                    "name": look.name,
                    "existing_email": look.existing_email,
                    "incoming_email": look.incoming_email,
                    "same_person": look.same,
                }
                for look in self.lookalikes
            ],
            "already_imported": self.previous_import is not None and not self.has_changes,
            "message": self.summary(),
        }


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count <= 1 else many}"
