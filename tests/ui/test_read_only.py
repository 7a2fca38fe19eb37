"""A read-only server login: the window opens, its editing actions are disabled and say why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

from allervers_desktop.cli import main
from allervers_desktop.db.database import READ_ONLY_MESSAGE, READ_ONLY_TIP, Database
from allervers_desktop.db.server import open_server
from allervers_desktop.db.server_errors import ServerError
from allervers_desktop.services.demo import load_demo
from allervers_desktop.ui.main_window import MainWindow
from tests.pg_server import Cluster, url_text
from tests.ui.conftest import ScriptedPrompts

PASSWORD = "bon-mot-de-passe"


def load_demo_as_administrator(cluster: Cluster, name: str) -> None:
    admin = open_server(cluster.url(name))
    try:
        with admin.transaction() as session:
            load_demo(session)
    finally:
        admin.close()


@pytest.fixture
def reader_database(cluster: Cluster, server_database_name: str, reader: str) -> Iterator[Database]:
    load_demo_as_administrator(cluster, server_database_name)
    database = open_server(cluster.url(server_database_name, reader, PASSWORD))
    yield database
    database.close()


def test_the_window_of_a_reader(
    qtbot: Any, reader_database: Database, prompts: ScriptedPrompts, settings: QSettings
) -> None:
    assert reader_database.read_only
    window = MainWindow(reader_database, prompts=prompts, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    badges = [
        label
        for label in window.statusBar().findChildren(QLabel)
        if label.text() == "Lecture seule"
    ]
    assert len(badges) == 1 and badges[0].toolTip() == READ_ONLY_TIP
    for action in window.editing_actions():
        assert not action.isEnabled(), action.text()
        assert action.toolTip() == READ_ONLY_TIP
    tab = window.show_tab("participants")
    assert tab.model.rowCount() == 21  # reading works
    tab.view.selectRow(0)  # a selection would enable « Modifier… »: it stays off
    assert not tab.edit_button.isEnabled()
    assert tab.edit_button.toolTip() == READ_ONLY_TIP
    window.edit_action.trigger()  # disabled: nothing opens (no scripted dialog is needed)
    tab.view.doubleClicked.emit(tab.model.index(0, 0))
    groups = window.groups_tab
    window.show_tab("groups")
    groups.view.selectRow(0)
    assert not groups.group_detail.enroll_button.isEnabled()
    assert "Inscrits" in groups.group_detail.fill_label.text()


def test_a_write_is_refused_before_it_starts(reader_database: Database) -> None:
    with pytest.raises(ServerError) as refused, reader_database.transaction():
        pass
    assert refused.value.message == READ_ONLY_MESSAGE


def test_the_command_line_of_a_reader(
    cluster: Cluster,
    server_database_name: str,
    reader_database: Database,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = url_text(cluster.url(server_database_name, reader_database.user, PASSWORD))
    assert main(["--db", url, "list", "courses", "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "demo"]) == 2
    assert capsys.readouterr().err == f"allervers : erreur : {READ_ONLY_MESSAGE}\n"


def test_a_coordinator_imports_with_the_documented_rights(
    cluster: Cluster,
    server_database_name: str,
    coordinator: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's coordinator role can do a coordinator's work: an import (which reserves
    its block of ids on the sequences), then its undo."""
    from pathlib import Path

    load_demo_as_administrator(cluster, server_database_name)
    url = url_text(cluster.url(server_database_name, coordinator, PASSWORD))
    sheet = Path(__file__).resolve().parents[1] / "data" / "lists" / "liste-utf8-bom.csv"
    assert main(["--db", url, "import", str(sheet), "--group", "2"]) == 0, capsys.readouterr().err
    assert "2 participants créés" in capsys.readouterr().out
    assert main(["--db", url, "undo-import", "1"]) == 0, capsys.readouterr().err
