"""The one operation path: French messages for known failures, what changed reloads."""

from __future__ import annotations

import ast
import datetime as dt
import errno
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError

from allervers_desktop.db.database import BUSY_MESSAGE
from allervers_desktop.db.models import Enrollment, IssuedDocument
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.ui.forms.course_form import CourseForm
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.operations import failure_message
from tests.ui.helpers import click_cancel, click_save, type_into
from tests.ui.test_busy_database import gui_thread

__all__ = ["gui_thread"]  # the fixture, used below by name

UI = Path(__file__).parents[2] / "allervers_desktop" / "ui"


def test_known_failures_have_french_messages(tmp_path: Path) -> None:
    path = tmp_path / "lecture.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x INTEGER)").connection.close()
    engine = create_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True),
    )
    with pytest.raises(OperationalError) as read_only, engine.begin() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
    engine.dispose()
    assert failure_message(read_only.value) == (
        "Rien n'a été enregistré : le fichier est en lecture seule."
    )
    full = OSError(errno.ENOSPC, "No space left on device")
    message = failure_message(full)
    assert message is not None and message.startswith("Rien n'a été enregistré : ")
    assert "No space" not in message
    assert failure_message(ServiceError("Groupe introuvable.")) == "Groupe introuvable."
    assert failure_message(KeyError("bug")) is None  # a bug goes to the last-resort handler


def issue_attestation(window: MainWindow, enrollment_id: int) -> None:
    with window.database.transaction() as session:
        session.add(
            IssuedDocument(
                kind="attestation",
                number="ATT-2023-0001",
                year=2023,
                sequence=1,
                issued_on=dt.date(2023, 9, 27),
                enrollment_id=enrollment_id,
            )
        )


def test_unenrolling_someone_with_an_issued_attestation_says_why(
    qtbot: Any, window: MainWindow, prompts: Any
) -> None:
    tab = window.show_tab("groups")
    tab.view.selectRow(0)
    detail = window.groups_tab.group_detail
    detail.enrollments_view.selectRow(0)
    [enrollment_id] = detail.selected_enrollment_ids()
    issue_attestation(window, enrollment_id)
    detail.unenroll_button.click()
    assert prompts.messages("confirm") == []  # refused before asking
    [message] = prompts.messages("error")
    assert message.startswith("L'inscription de BAUER Zoé au Groupe 1 : Une attestation a été")
    assert "Passez plutôt l'inscription au statut « Annulé »." in message
    with window.database.session() as session:
        assert session.get(Enrollment, enrollment_id) is not None
    assert detail.enrollments.rowCount() == 10


def test_a_write_reloads_only_the_tabs_that_show_what_changed(
    qtbot: Any, window: MainWindow, prompts: Any
) -> None:
    for key in ("participants", "trainers", "courses", "groups"):
        window.show_tab(key)
    assert window._stale == {"dashboard"}  # the dashboard, never shown, waits
    detail = window.groups_tab.group_detail
    window.groups_tab.view.selectRow(0)
    detail.enrollments_view.selectRow(0)
    prompts.confirm_answers = [True]
    detail.unenroll_button.click()
    # An enrollment went: the participants' list shows enrollments; trainers' and courses' not.
    assert window._stale == {"participants", "dashboard"}
    with window.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Enrollment)) == 20


@pytest.mark.sqlite_only(reason="SQLite's write lock held by another program")
def test_saving_a_form_while_another_program_writes_says_so(
    qtbot: Any, window: MainWindow, prompts: Any, gui_thread: None
) -> None:
    tab = window.show_tab("courses")
    tab.view.selectRow(0)
    errors: list[str] = []
    other = sqlite3.connect(window.database.path, isolation_level=None)

    def fill(form: CourseForm) -> None:
        type_into(qtbot, form.title_edit, "Pratique de l'Aller Vers — édition 2024")
        other.execute("BEGIN IMMEDIATE")  # a command line importing beside the window
        click_save(qtbot, form)
        errors.append(form.error_label.text())
        assert form.isVisible()  # the form stays open with the user's text
        assert form.title_edit.text() == "Pratique de l'Aller Vers — édition 2024"
        other.execute("COMMIT")
        click_save(qtbot, form)

    try:
        prompts.dialog_handlers.append(fill)
        tab.edit_button.click()
    finally:
        other.close()
    assert errors == [BUSY_MESSAGE]
    assert tab.model.index(0, 0).data() == "Pratique de l'Aller Vers — édition 2024"


def test_a_cancelled_form_writes_nothing_and_reloads_nothing(
    qtbot: Any, window: MainWindow, prompts: Any
) -> None:
    for key in ("participants", "trainers", "groups", "courses"):
        window.show_tab(key)
    prompts.dialog_handlers.append(lambda form: click_cancel(qtbot, form))
    window.courses_tab.add_button.click()
    assert window._stale == {"dashboard"}  # never shown: built when first shown


def test_no_module_of_the_interface_reaches_into_the_main_window() -> None:
    """Tabs, actions and dialogs get an AppContext; only the start-up code builds the window."""
    reaching = []
    for path in sorted(UI.rglob("*.py")):
        if path.name in {"main_window.py", "app.py"}:  # the window and its builder
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "allervers_desktop.ui.main_window"
            ):
                reaching.append(str(path.relative_to(UI)))
            if isinstance(node, ast.Attribute) and node.attr == "window_":
                reaching.append(f"{path.relative_to(UI)}: window_")
    assert reaching == []
