"""The window opens on the team's PostgreSQL server given to ``--db``, and says in French why
when the address is unreadable or the server cannot be reached."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from allervers_desktop.ui.app import run_gui
from allervers_desktop.ui.main_window import SERVER_BACKUP_TIP, MainWindow
from tests.conftest import ON_SERVER
from tests.pg_server import free_port
from tests.ui.conftest import ScriptedPrompts


@pytest.mark.skipif(not ON_SERVER, reason="needs the PostgreSQL test server")
def test_window_opens_on_the_server_without_local_backups(
    qapp: Any, db_target: str, tmp_path: Path, prompts: ScriptedPrompts
) -> None:
    seen: dict[str, object] = {}

    def look_and_close() -> None:
        [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen["title"] = window.windowTitle()
        seen["backup"] = (window.backup_action.isEnabled(), window.backup_action.statusTip())
        seen["restore"] = window.restore_action.isEnabled()
        window.close()

    QTimer.singleShot(300, look_and_close)
    before = sorted(Path.cwd().iterdir())
    assert run_gui(db_target, ["allervers"], prompts=prompts) == 0
    assert prompts.shown == []
    assert str(seen["title"]).endswith(db_target.rsplit("/", 1)[1].split("?")[0])
    assert seen["backup"] == (False, SERVER_BACKUP_TIP)
    assert seen["restore"] is False
    assert sorted(Path.cwd().iterdir()) == before  # no file named after the URL


def test_unreachable_server_is_said_in_french(
    qapp: Any, prompts: ScriptedPrompts, capsys: Any
) -> None:
    url = f"postgresql://coordinatrice@127.0.0.1:{free_port()}/equipe"
    assert run_gui(url, ["allervers"], prompts=prompts) == 1
    [(kind, title, message)] = prompts.shown
    assert (kind, title) == ("error", "Serveur inaccessible")
    assert "127.0.0.1" in message and "Traceback" not in message
    assert capsys.readouterr().err == f"allervers : erreur : {message}\n"


def test_unreadable_server_address_is_refused(
    qapp: Any, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    assert run_gui("postgresql://serveur:5432", ["allervers"], prompts=prompts) == 1
    [(kind, title, message)] = prompts.shown
    assert (kind, title) == ("error", "Base de données inutilisable")
    assert "ne nomme pas de base" in message
