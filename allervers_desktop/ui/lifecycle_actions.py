"""« Transférer vers un autre groupe… », « Remplacer par… » and « Fusionner… » from the window.

Each asks what the service needs (the target group, the substitute, which record and which
values to keep), asks again where attendance would stay behind, then runs the service through
the operation helper and says what was done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Participant
from allervers_desktop.services.participant_merge import (
    OTHER,
    Difference,
    MergeResult,
    differences,
    merge_participants,
)
from allervers_desktop.services.transfers import (
    recorded_half_days,
    substitute,
    substitute_candidates,
    transfer,
    transfer_targets,
)
from allervers_desktop.ui.choice_dialog import ChoiceDialog
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.forms.keyboard import fit_to_screen

TRANSFER_TITLE = "Transférer vers un autre groupe"
SUBSTITUTE_TITLE = "Remplacer par…"
MERGE_TITLE = "Fusionner deux fiches"


def _stays_behind(
    context: AppContext, parent: QWidget, title: str, group_id: int, person: int
) -> bool | None:
    """None: stop. Otherwise whether to go on although attendance is recorded (``force``)."""
    read = context.operations.read(
        parent, title, lambda session: recorded_half_days(session, group_id, person)
    )
    if read is None:
        return None
    if not read.value:
        return False
    if not context.prompts.confirm(
        parent,
        title,
        f"Des présences sont saisies pour cette personne ({read.value} demi-journée(s)).",
        "Elles restent dans le groupe de départ, dans son historique et ses heures. Continuer ?",
    ):
        return None
    return True


def _report(context: AppContext, parent: QWidget, title: str, lines: list[str]) -> None:
    context.prompts.inform(parent, title, "\n".join(lines))


@dataclass(frozen=True)
class _Move:
    """What one kind of move asks: its choices, the question, what to say when there are none."""

    title: str
    question: str
    action: str
    nobody: str
    choices: Callable[[Session], list[tuple[int, str]]]
    work: Callable[[Session, int, bool], list[str]]  # (session, chosen id, force) -> lines


def _run_move(
    context: AppContext, parent: QWidget, group_id: int, person: int, move: _Move
) -> bool:
    """Read the choices, ask for one, confirm attendance left behind, do it, say it."""
    choices = context.operations.read(parent, move.title, move.choices)
    if choices is None:
        return False
    if not choices.value:
        context.prompts.inform(parent, move.title, move.nobody)
        return False
    dialog = ChoiceDialog(move.title, move.question, choices.value, parent, action=move.action)
    if not context.prompts.run_dialog(dialog) or (chosen := dialog.chosen()) is None:
        return False
    force = _stays_behind(context, parent, move.title, group_id, person)
    if force is None:
        return False
    done = context.operations.write(
        parent, move.title, lambda session: move.work(session, chosen, force)
    )
    if done is None:
        return False
    _report(context, parent, move.title, done.value)
    return True


def transfer_person(context: AppContext, parent: QWidget, group_id: int, person: int) -> bool:
    """Ask for the target group and move the person there; True once done."""

    def work(session: Session, target: int, force: bool) -> list[str]:
        outcome = transfer(session, person, group_id, target, force=force)
        name = outcome.enrollment.participant.full_name
        lines = [f"{name} est transféré(e) au groupe « {outcome.enrollment.group.label} »."]
        if outcome.waitlisted:
            lines.append("Le groupe est complet : elle est placée sur sa liste d'attente.")
        return lines + outcome.warnings

    move = _Move(
        TRANSFER_TITLE,
        "Vers quel groupe ? (les groupes de la même formation d'abord)",
        "Transférer",
        "Aucun autre groupe ne peut l'accueillir.",
        lambda session: transfer_targets(session, group_id),
        work,
    )
    return _run_move(context, parent, group_id, person, move)


def substitute_person(context: AppContext, parent: QWidget, group_id: int, person: int) -> bool:
    """Ask who of the same employer takes the place; True once done."""

    def work(session: Session, newcomer: int, force: bool) -> list[str]:
        outcome = substitute(session, group_id, person, newcomer, force=force)
        leaving = session.get_one(Participant, person).full_name
        arriving = outcome.enrollment.participant.full_name
        return [f"{arriving} prend la place de {leaving}.", *outcome.warnings]

    move = _Move(
        SUBSTITUTE_TITLE,
        "Qui prend sa place ? (les personnes du même établissement)",
        "Remplacer",
        "Personne d'autre de son établissement n'est enregistré hors de ce groupe : "
        "créez d'abord la fiche de la personne qui la remplace.",
        lambda session: substitute_candidates(session, group_id, person),
        work,
    )
    return _run_move(context, parent, group_id, person, move)


class MergeDialog(QDialog):
    """Which record stays, and for each field that differs, which value."""

    def __init__(
        self,
        names: tuple[str, str],
        ids: tuple[int, int],
        diffs: list[Difference],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(MERGE_TITLE)
        self.setModal(True)
        self.ids = ids
        self.diffs = diffs
        intro = QLabel(
            "Les inscriptions, présences, documents et l'historique des imports des deux fiches "
            "sont regroupés sur la fiche gardée ; l'autre fiche est supprimée.",
            self,
        )
        intro.setWordWrap(True)
        self.keep_first = QRadioButton(f"Garder la fiche n° {ids[0]} : {names[0]}", self)
        self.keep_second = QRadioButton(f"Garder la fiche n° {ids[1]} : {names[1]}", self)
        self.keep_first.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.keep_first)
        group.addButton(self.keep_second)
        self.value_boxes: dict[str, QComboBox] = {}
        fields = QFormLayout()
        for diff in diffs:
            box = QComboBox(self)
            box.setObjectName(f"value_{diff.field}")
            box.addItem(diff.kept or "(vide)", ids[0])
            box.addItem(diff.other or "(vide)", ids[1])
            self.value_boxes[diff.field] = box
            fields.addRow(diff.label, box)
        holder = QWidget(self)
        holder.setLayout(fields)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setMinimumHeight(60)  # the fields scroll: the buttons stay on a small screen
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Fusionner")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.keep_first)
        layout.addWidget(self.keep_second)
        if diffs:
            layout.addWidget(QLabel("Valeurs à garder :", self))
            layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(620, 480)
        fit_to_screen(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_to_screen(self)  # now that the frame is known

    def choice(self) -> tuple[int, int, dict[str, str]]:
        """(kept id, other id, the fields whose value comes from the other record)."""
        keep, other = self.ids if self.keep_first.isChecked() else self.ids[::-1]
        take = {name: OTHER for name, box in self.value_boxes.items() if box.currentData() == other}
        return keep, other, take


def merge_people(context: AppContext, parent: QWidget, first: int, second: int) -> bool:
    """Show both records, ask what to keep, merge; True once done."""

    def read(session: Session) -> tuple[tuple[str, str], list[Difference]]:
        names = (
            session.get_one(Participant, first).full_name,
            session.get_one(Participant, second).full_name,
        )
        return names, differences(session, first, second)

    shown = context.operations.read(parent, MERGE_TITLE, read)
    if shown is None:
        return False
    names, diffs = shown.value
    dialog = MergeDialog(names, (first, second), diffs, parent)
    if not context.prompts.run_dialog(dialog):
        return False
    keep, other, take = dialog.choice()
    done = context.operations.write(
        parent, MERGE_TITLE, lambda session: merge_participants(session, keep, other, take)
    )
    if done is None:
        return False
    _report(context, parent, MERGE_TITLE, merge_lines(done.value))
    return True


def merge_lines(result: MergeResult) -> list[str]:
    lines = [
        f"Fiche n° {result.removed_id} fusionnée dans la fiche n° {result.kept_id} ({result.name})."
    ]
    if result.fields_taken:
        lines.append(f"Valeurs reprises : {', '.join(result.fields_taken)}.")
    lines.append(
        f"Inscriptions reprises : {result.moved_enrollments} ; présences déplacées : "
        f"{result.moved_attendance} ; documents déplacés : {result.moved_documents}."
    )
    lines += [
        f"Les deux fiches étaient inscrites au groupe « {label} » : une seule inscription reste."
        for label in result.joined_groups
    ]
    return lines
