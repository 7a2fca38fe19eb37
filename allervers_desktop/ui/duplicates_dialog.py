"""« Doublons probables »: pairs of participants that look like one person, and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from PySide6.QtWidgets import QPushButton, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Employer, Participant
from allervers_desktop.services.duplicates import probable_duplicates
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.list_table_model import Column
from allervers_desktop.ui.report_dialog import ReportDialog

TITLE = "Doublons probables"
SECOND_PERSON_COLUMN = 2  # a double-click there shows the second person, elsewhere the first


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    employer: str
    email: str


@dataclass(frozen=True)
class Pair:
    """Two participants of one candidate and why they look alike."""

    reason: str
    value: str
    first: Person
    second: Person


def duplicate_pairs(session: Session) -> list[Pair]:
    """Each candidate of ``probable_duplicates`` as pairs (three alike make three pairs)."""
    candidates = probable_duplicates(session)
    ids = sorted({pid for candidate in candidates for pid in candidate.participant_ids})
    people: dict[int, Person] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(Participant.id, Participant.last_name, Participant.first_name)
            .add_columns(Participant.email, Employer.name, Employer.city)
            .outerjoin(Employer, Participant.employer_id == Employer.id)
            .where(Participant.id.in_(ids[start : start + 500]))
        )
        for pid, last, first, email, employer, city in rows:
            where = f"{employer} ({city})" if employer and city else employer or ""
            people[pid] = Person(pid, f"{last.upper()} {first}".strip(), where, email or "")
    return [
        Pair(candidate.reason, candidate.value, people[a], people[b])
        for candidate in candidates
        for a, b in combinations(candidate.participant_ids, 2)
    ]


def _card(person: Person) -> str:
    """« MULLER Hélène », then the employer and the e-mail on lines of their own."""
    return "\n".join(line for line in (person.name, person.employer, person.email) if line)


COLUMNS: tuple[Column[Pair], ...] = (
    Column("Pourquoi", lambda p: p.reason, tooltip=lambda p: f"{p.reason} : {p.value}"),
    Column("Participant", lambda p: _card(p.first)),
    Column("Autre fiche", lambda p: _card(p.second)),
)


class DuplicatesDialog(ReportDialog[Pair]):
    """The pairs; a double-click (or Enter) shows one of the two through ``show_participant``.

    ``merge``, when given, adds « Fusionner… » for the selected pair (first id, second id):
    the hook for the participants' merge, which this dialog does not do itself."""

    def __init__(
        self,
        context: AppContext,
        show_participant: Callable[[int], None],
        parent: QWidget | None = None,
        *,
        merge: Callable[[int, int], bool] | None = None,
    ) -> None:
        super().__init__(
            context,
            TITLE,
            "Participants qui pourraient être une même personne (même nom et même "
            "établissement, même téléphone ou même e-mail à l'orthographe près). "
            "Double-cliquez sur l'un des deux pour le voir dans l'onglet « Participants ».",
            COLUMNS,
            parent,
            settings_key="duplicates",
        )
        self.show_participant = show_participant
        self.merge = merge
        self.merge_button: QPushButton | None = None
        if merge is not None:
            self.merge_button = QPushButton("Fusionner…", self)
            self.merge_button.setObjectName("merge")
            self.merge_button.setAutoDefault(False)
            self.merge_button.clicked.connect(self.merge_selected)
            self.buttons.addButton(self.merge_button, self.buttons.ButtonRole.ActionRole)
        self.load()

    def rows(self) -> list[Pair] | None:
        done = self.context.operations.read(self, TITLE, duplicate_pairs)
        return None if done is None else done.value

    def count_text(self, total: int) -> str:
        if total == 0:
            return "Aucun doublon probable"
        return f"{total} paire{'s' if total > 1 else ''}"

    def open_row(self, row: Pair, column: int) -> None:
        person = row.second if column == SECOND_PERSON_COLUMN else row.first
        self.show_participant(person.id)

    def merge_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        pair = self.model.row_at(rows[0].row()) if rows else None
        if pair is None or self.merge is None:
            return
        if self.merge(pair.first.id, pair.second.id):
            self.load()


def show_duplicates(context: AppContext, show_participant: Callable[[int], None]) -> None:
    """Open the list over the window; « Fusionner… » merges the selected pair."""
    from allervers_desktop.ui.lifecycle_actions import merge_people

    dialog = DuplicatesDialog(
        context,
        show_participant,
        context.window,
        merge=lambda first, second: merge_people(context, dialog, first, second),
    )
    context.prompts.run_dialog(dialog)
    dialog.deleteLater()
