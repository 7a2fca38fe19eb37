"""« Conflits »: a trainer in two groups at once, two groups at the same venue and time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Course, Group, HalfDay
from allervers_desktop.formatting import clock, short_date
from allervers_desktop.services.conflicts import TRAINER, conflicts
from allervers_desktop.ui.context import AppContext
from allervers_desktop.ui.list_table_model import Column
from allervers_desktop.ui.report_dialog import ReportDialog

TITLE = "Conflits"
KIND_LABELS = {TRAINER: "Intervenant", "venue": "Lieu"}
SECOND_GROUP_COLUMN = 4  # a double-click there shows the other group


@dataclass(frozen=True)
class Slot:
    group_id: int
    group: str  # « Groupe 1 », then its course on a second line
    hours: str  # « 09:00–12:30 »


@dataclass(frozen=True)
class ConflictRow:
    kind: str
    date: dt.date
    subject: str
    message: str
    first: Slot
    second: Slot


def conflict_rows(session: Session) -> list[ConflictRow]:
    """``conflicts()`` with each side's group (and course) and times, by date."""
    found = conflicts(session)
    half_day_ids = sorted({hid for c in found for hid in c.half_day_ids})
    group_ids = sorted({gid for c in found for gid in c.group_ids})
    hours: dict[int, str] = {}
    for start in range(0, len(half_day_ids), 500):
        for hid, begins, ends in session.execute(
            select(HalfDay.id, HalfDay.start_time, HalfDay.end_time).where(
                HalfDay.id.in_(half_day_ids[start : start + 500])
            )
        ):
            hours[hid] = f"{clock(begins)}–{clock(ends)}"
    groups: dict[int, str] = {}
    for start in range(0, len(group_ids), 500):
        for gid, label, title in session.execute(
            select(Group.id, Group.label, Course.title)
            .join(Course, Group.course_id == Course.id)
            .where(Group.id.in_(group_ids[start : start + 500]))
        ):
            groups[gid] = f"{label}\n{title}"
    return [
        ConflictRow(
            c.kind,
            c.date,
            c.subject,
            c.message,
            *(
                Slot(gid, groups.get(gid, str(gid)), hours.get(hid, ""))
                for gid, hid in zip(c.group_ids, c.half_day_ids, strict=True)
            ),
        )
        for c in found
    ]


def _side(slot: Slot) -> str:
    """« Groupe 1, 09:00–12:30 », then its course on a second line."""
    label, _, course = slot.group.partition("\n")
    return f"{label}, {slot.hours}\n{course}".strip()


COLUMNS: tuple[Column[ConflictRow], ...] = (
    Column("Date", lambda r: short_date(r.date), sort_key=lambda r: r.date),
    Column("Conflit", lambda r: KIND_LABELS.get(r.kind, r.kind)),
    Column("Intervenant ou lieu", lambda r: r.subject, tooltip=lambda r: r.message),
    Column("Groupe", lambda r: _side(r.first)),
    Column("Autre groupe", lambda r: _side(r.second)),
)


class ConflictsDialog(ReportDialog[ConflictRow]):
    """The conflicts; a double-click (or Enter) shows the group through ``show_group``."""

    def __init__(
        self,
        context: AppContext,
        show_group: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            context,
            TITLE,
            "Intervenants attendus dans deux groupes à la fois, groupes réunis au même "
            "endroit en même temps (groupes annulés exclus). Double-cliquez sur un groupe "
            "pour le voir dans l'onglet « Groupes ».",
            COLUMNS,
            parent,
            settings_key="conflicts",
        )
        self.show_group = show_group
        self.load()

    def rows(self) -> list[ConflictRow] | None:
        done = self.context.operations.read(self, TITLE, conflict_rows)
        return None if done is None else done.value

    def count_text(self, total: int) -> str:
        if total == 0:
            return "Aucun conflit"
        return f"{total} conflit{'s' if total > 1 else ''}"

    def open_row(self, row: ConflictRow, column: int) -> None:
        slot = row.second if column == SECOND_GROUP_COLUMN else row.first
        self.show_group(slot.group_id)


def show_conflicts(context: AppContext, show_group: Callable[[int], None]) -> None:
    """Open the report over the window."""
    dialog = ConflictsDialog(context, show_group, context.window)
    context.prompts.run_dialog(dialog)
    dialog.deleteLater()
