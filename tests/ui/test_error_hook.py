"""The last-resort hook: an uncaught exception is logged and shown in French, the window lives."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from allervers_desktop.logs import setup_logging, stop_logging
from allervers_desktop.ui.error_dialog import ErrorDialog
from allervers_desktop.ui.error_hook import exception_hook
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts


def fail() -> None:
    raise RuntimeError("panne imprévue")


@pytest.mark.logs_errors
@pytest.mark.parametrize("where", ["gui", "thread"])
def test_an_uncaught_exception_is_logged_and_shown(
    qtbot: Any,
    window: MainWindow,
    prompts: ScriptedPrompts,
    tmp_path: Path,
    error_log: list[logging.LogRecord],
    where: str,
) -> None:
    log = setup_logging(tmp_path / "logs")
    assert log is not None
    try:
        with exception_hook(prompts):
            if where == "gui":
                QTimer.singleShot(0, fail)
            else:
                worker = threading.Thread(target=fail, name="travail")
                worker.start()
                worker.join()
            qtbot.waitUntil(lambda: bool(prompts.messages("unexpected")), timeout=5000)
    finally:
        stop_logging()
    [message] = prompts.messages("unexpected")
    assert message.startswith("Une erreur inattendue s'est produite dans l'application.")
    assert f"Les détails sont enregistrés dans le journal : {log}" in message
    assert "RuntimeError: panne imprévue" in message  # the details, to copy
    written = log.read_text(encoding="utf-8")
    assert "ERROR allervers_desktop.unexpected" in written
    assert "RuntimeError: panne imprévue" in written
    assert [record.getMessage() for record in error_log] == ["Exception non rattrapée"]
    assert window.isVisible()


def test_the_details_can_be_copied(qtbot: Any) -> None:
    dialog = ErrorDialog("Erreur inattendue", "Texte", "Traceback (most recent call last): …", None)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "Traceback (most recent call last): …"
    assert dialog.copy_button.text() == "Détails copiés"


def test_a_log_folder_that_cannot_be_made_is_no_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    assert setup_logging(blocker / "logs") is None
