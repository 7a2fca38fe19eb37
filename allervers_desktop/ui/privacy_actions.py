"""A participant's « Exporter ses données » and « Effacer / anonymiser », from the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget
from sqlalchemy.exc import SQLAlchemyError

from allervers_desktop.db.database import Database, sqlite_reason
from allervers_desktop.privacy.erasure import erase_participant, plan_erasure
from allervers_desktop.privacy.export import export_person
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.prompts import Prompts

EXPORT_TITLE = "Exporter ses données"
ERASE_TITLE = "Effacer / anonymiser"


def export_participant_data(
    parent: QWidget, database: Database, prompts: Prompts, participant_id: int
) -> Path | None:
    """Ask for a folder, write the JSON and the workbook there; returns the JSON's path."""
    folder = prompts.choose_directory(parent, "Dossier où écrire les données du participant")
    if not folder:
        return None
    try:
        with database.transaction() as session:
            result = export_person(session, participant_id, Path(folder))
    except ServiceError as exc:
        prompts.error(parent, EXPORT_TITLE, exc.message)
        return None
    except SQLAlchemyError as exc:
        prompts.error(parent, EXPORT_TITLE, f"Export impossible : {sqlite_reason(exc)}.")
        return None
    prompts.inform(parent, EXPORT_TITLE, result.message())
    return result.json_path


def erase_participant_data(
    parent: QWidget,
    database: Database,
    prompts: Prompts,
    participant_id: int,
    on_changed: Callable[[int], None],
) -> bool:
    """Say what can be erased (or why not), confirm, erase; True once done."""
    try:
        with database.session() as session:
            plan = plan_erasure(session, participant_id)
    except ServiceError as exc:
        prompts.error(parent, ERASE_TITLE, exc.message)
        return False
    if not prompts.confirm_destructive(parent, ERASE_TITLE, plan.question(), "C'est définitif."):
        return False
    try:
        with database.transaction() as session:
            done = erase_participant(session, participant_id)
    except ServiceError as exc:
        prompts.error(parent, ERASE_TITLE, exc.message)
        return False
    except SQLAlchemyError as exc:
        prompts.error(parent, ERASE_TITLE, f"Rien n'a été effacé : {sqlite_reason(exc)}.")
        return False
    on_changed(participant_id)
    prompts.inform(parent, ERASE_TITLE, done.done_message())
    return True
