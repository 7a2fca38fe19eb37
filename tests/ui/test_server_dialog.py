"""Fichier › « Se connecter à un serveur… » and « Ouvrir un fichier… », driven through the real
window started by ``run_gui``: fields checked, connection tested, the window reopened on the
other database, recent connections remembered without their password."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from allervers_desktop.db.database import open_database
from allervers_desktop.ui.app import run_gui
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.server_dialog import RECENT_KEY, ServerDialog
from tests.pg_server import Cluster, free_port
from tests.ui.conftest import ScriptedPrompts

PASSWORD = "bon-mot-de-passe"


def windows() -> list[MainWindow]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]


def fill(dialog: ServerDialog, host: str, port: int | str, name: str, user: str, pw: str) -> None:
    for field, value in (
        (dialog.host, host),
        (dialog.port, str(port)),
        (dialog.name, name),
        (dialog.user, user),
        (dialog.password, pw),
    ):
        field.selectAll()
        field.del_()
        field.insert(value)


def run_with(
    qtbot: Any, start: str, prompts: ScriptedPrompts, steps: list[Callable[[MainWindow], None]]
) -> list[str]:
    """Start the real window on ``start``, run each step on the window then shown; the titles
    of the windows seen."""
    titles: list[str] = []
    failures: list[BaseException] = []

    waits = [0]

    def next_step() -> None:
        if not windows() and waits[0] < 50:  # the next window is still opening
            waits[0] += 1
            QTimer.singleShot(100, next_step)
            return
        waits[0] = 0
        try:
            [window] = windows()
            titles.append(window.windowTitle())
            step = steps.pop(0)
            step(window)
        except BaseException as exc:  # ends the run, reported below (never a hang)
            failures.append(exc)
            for window in windows():
                window.close()
            return
        if steps:
            QTimer.singleShot(200, next_step)

    QTimer.singleShot(300, next_step)
    code = run_gui(start, ["allervers"], prompts=prompts)
    if failures:
        raise failures[0]
    assert code == 0
    return titles


def test_wrong_fields_are_named_and_nothing_is_tried(qtbot: Any, qapp: Any) -> None:
    dialog = ServerDialog(QSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, "pg.exemple.local", "cinquante", "equipe", "marie", "")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert "entre 1 et 65535" in dialog.message.text()
    assert dialog.port.styleSheet() != "" and dialog.host.styleSheet() == ""
    assert dialog.task is None and dialog.result() == 0
    dialog.port.setText("5432")
    dialog.port.textEdited.emit("5432")
    assert dialog.port.styleSheet() == ""


def test_an_unreachable_server_is_said_and_the_dialog_stays(qtbot: Any, qapp: Any) -> None:
    dialog = ServerDialog(QSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, "127.0.0.1", free_port(), "equipe", "marie", "x")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ne répond pas" in dialog.message.text(), timeout=20000)
    assert dialog.isVisible() and dialog.database is None
    assert QSettings().value(RECENT_KEY) is None  # only a connection that worked is kept


def test_connect_to_the_server_then_back_to_a_file(
    qtbot: Any,
    tmp_path: Path,
    prompts: ScriptedPrompts,
    cluster: Cluster,
    server_database_name: str,
    coordinator: str,
) -> None:
    local = tmp_path / "mon-fichier.sqlite3"
    open_database(local).close()

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, ServerDialog)
        fill(dialog, "127.0.0.1", cluster.port, server_database_name, coordinator, "mauvais")
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "mot de passe" in dialog.message.text(), timeout=20000)
        assert dialog.password.hasFocus()
        dialog.password.setText(PASSWORD)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Connexion réussie" in dialog.message.text(), timeout=20000)
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=20000)

    prompts.dialog_handlers = [handle]
    prompts.files = [str(local)]
    prompts.confirm_answers = [False, False]  # the example data, offered on the empty file
    backup_enabled: list[bool] = []
    status: list[str] = []

    def look_at_server_window(window: MainWindow) -> None:
        backup_enabled.append(window.backup_action.isEnabled())
        status.extend(label.text() for label in window.statusBar().findChildren(QLabel))
        window.open_file_action.trigger()

    def close(window: MainWindow) -> None:
        window.close()

    titles = run_with(
        qtbot,
        str(local),
        prompts,
        [
            lambda window: window.connect_action.trigger(),
            look_at_server_window,
            close,
        ],
    )
    assert titles[0].endswith("mon-fichier.sqlite3")
    assert titles[1].endswith(server_database_name)
    assert titles[2].endswith("mon-fichier.sqlite3")
    assert backup_enabled == [False]
    assert f"Serveur {server_database_name} sur 127.0.0.1:{cluster.port}" in status
    recent = QSettings().value(RECENT_KEY)
    expected = f"postgresql://{coordinator}@127.0.0.1:{cluster.port}/{server_database_name}"
    assert recent in ([expected], expected)
    assert PASSWORD not in str(recent)


def test_open_another_file_refused_in_french(
    qtbot: Any, tmp_path: Path, prompts: ScriptedPrompts, db_target: str
) -> None:
    open_database_target = db_target
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_text("des notes, pas une base", encoding="utf-8")
    prompts.files = [str(not_a_database)]

    def open_it(window: MainWindow) -> None:
        window.open_file_action.trigger()
        qtbot.waitUntil(lambda: bool(prompts.messages("error")), timeout=20000)
        window.close()

    if not open_database_target.startswith("postgresql"):
        open_database(Path(open_database_target)).close()
        prompts.confirm_answers = [False]  # the example data, offered on the empty file
    run_with(qtbot, open_database_target, prompts, [open_it])
    [message] = prompts.messages("error")
    assert "notes.sqlite3" in message and "n'a pas été modifié" in message
    assert not_a_database.read_text(encoding="utf-8") == "des notes, pas une base"
