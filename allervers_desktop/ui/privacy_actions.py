"""A participant's « Exporter ses données » and « Effacer / anonymiser », from the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from allervers_desktop.privacy.erasure import erase_participant, plan_erasure
from allervers_desktop.privacy.export import export_person
from allervers_desktop.ui.operations import Operations

EXPORT_TITLE = "Exporter ses données"
ERASE_TITLE = "Effacer / anonymiser"


def export_participant_data(
    parent: QWidget, operations: Operations, participant_id: int
) -> Path | None:
    """Ask for a folder, write the JSON and the workbook there; returns the JSON's path."""
    prompts = operations.prompts
    folder = prompts.choose_directory(parent, "Dossier où écrire les données du participant")
    if not folder:
        return None
    done = operations.write(
        parent, EXPORT_TITLE, lambda session: export_person(session, participant_id, Path(folder))
    )
    if done is None:
        return None
    prompts.inform(parent, EXPORT_TITLE, done.value.message())
    return done.value.json_path


def erase_participant_data(
    parent: QWidget,
    operations: Operations,
    participant_id: int,
    on_changed: Callable[[int], None],
) -> bool:
    """Say what can be erased (or why not), confirm, erase; True once done."""
    prompts = operations.prompts
    plan = operations.read(parent, ERASE_TITLE, lambda s: plan_erasure(s, participant_id))
    if plan is None:
        return False
    question = plan.value.question()
    if not prompts.confirm_destructive(parent, ERASE_TITLE, question, "C'est définitif."):
        return False
    erased = operations.write(
        parent, ERASE_TITLE, lambda session: erase_participant(session, participant_id)
    )
    if erased is None:
        return False
    on_changed(participant_id)
    prompts.inform(parent, ERASE_TITLE, erased.value.done_message())
    return True
