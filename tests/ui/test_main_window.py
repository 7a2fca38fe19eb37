"""The main window: tabs, menus and shortcuts, remembered state, first-start offer."""

from __future__ import annotations

import tomllib
from html import escape as html_escape
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QMenu

from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.tabs.registry import TAB_KEYS
from tests.conftest import ON_SERVER
from tests.ui.helpers import column_values

ROOT = Path(__file__).resolve().parents[2]


def test_four_tabs_with_french_titles_and_example_rows(window: MainWindow) -> None:
    titles = [window.tab_widget.tabText(i) for i in range(window.tab_widget.count())]
    assert titles == ["Formations", "Groupes", "Intervenants", "Participants", "Tableau de bord"]
    expected_rows = {"courses": 1, "groups": 2, "trainers": 3, "participants": 21}
    for key, rows in expected_rows.items():
        tab = window.show_tab(key)
        assert tab.model.rowCount() == rows
    groups = window.tab("groups").model
    assert column_values(groups, 2) == ["Strasbourg", "Metz"]
    assert column_values(groups, 5) == ["10 / 15", "11 / 15"]


def test_every_model_passes_the_item_model_tester(qtbot, window: MainWindow) -> None:
    for key in TAB_KEYS:
        tab = window.show_tab(key)
        tester = QAbstractItemModelTester(
            tab.model, QAbstractItemModelTester.FailureReportingMode.Fatal
        )
        tab.search_field.setText("a")
        tab.view.sortByColumn(1, tab.view.horizontalHeader().sortIndicatorOrder())
        tab.search_field.clear()
        assert tester is not None
    detail = window.groups_tab.group_detail
    window.show_tab("groups").view.selectRow(0)
    QAbstractItemModelTester(
        detail.enrollments, QAbstractItemModelTester.FailureReportingMode.Fatal
    )
    assert detail.enrollments.rowCount() == 10


def test_menu_shortcuts(window: MainWindow) -> None:
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.edit_action.shortcut() == QKeySequence("Ctrl+E")
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Fichier", "É&dition", "&Affichage", "D&ocuments", "&Messages", "A&ide"]
    # Each Alt+letter opens one menu only.
    assert distinct_mnemonics(menus)
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        inside = [a.text() for a in menu.actions() if "&" in a.text()]
        assert distinct_mnemonics(inside), inside


def distinct_mnemonics(texts: list[str]) -> bool:
    letters = [text[text.index("&") + 1].lower() for text in texts if "&" in text]
    return len(set(letters)) == len(letters)


def test_ctrl_number_switches_tab_and_ctrl_f_focuses_search(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, "4", modifier=Qt.KeyboardModifier.ControlModifier)
    assert window.tab_widget.currentIndex() == 3
    window.find_action.trigger()
    assert window.tab("participants").search_field.hasFocus()


def test_window_remembers_tab_and_size(qtbot, demo_database, prompts, settings: QSettings) -> None:
    first = MainWindow(demo_database, prompts=prompts, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)
    first.show_tab("trainers")
    first.close()
    second = MainWindow(demo_database, prompts=prompts, settings=settings)
    qtbot.addWidget(second)
    assert second.tab_widget.currentIndex() == TAB_KEYS.index("trainers")
    assert (second.size().width(), second.size().height()) == (700, 500)
    assert second.tab("trainers").model.rowCount() == 3


def test_empty_database_offers_example_data(empty_window: MainWindow, prompts) -> None:
    prompts.confirm_answers = [True]
    empty_window.offer_demo_data()
    if ON_SERVER:  # never on the team's server: fictitious people would mix with real ones
        assert prompts.shown == [] and empty_window.database_is_empty()
        return
    assert "La base de données est vide" in prompts.messages("confirm")[0]
    assert empty_window.current_tab().model.rowCount() == 1
    empty_window.show_tab("participants")
    assert empty_window.tab("participants").model.rowCount() == 21


def test_declined_offer_leaves_database_empty(empty_window: MainWindow, prompts) -> None:
    prompts.confirm_answers = [False]
    empty_window.offer_demo_data()
    assert empty_window.database_is_empty()


def test_loading_example_data_twice_does_not_duplicate(window: MainWindow, prompts) -> None:
    window.demo_action.trigger()
    assert prompts.messages("inform") == ["Les données d'exemple sont déjà chargées."]
    assert window.show_tab("participants").model.rowCount() == 21


def test_no_offer_when_database_has_data(window: MainWindow, prompts) -> None:
    window.offer_demo_data()
    assert prompts.shown == []


def test_about_dialog_names_version_database_and_log_folder(
    window: MainWindow, prompts, tmp_path
) -> None:
    window.about_action.trigger()
    kind, title, html = prompts.shown[0]
    assert (kind, title) == ("about", "À propos")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"Version {pyproject['project']['version']}" in html
    assert f"Base de données : <code>{html_escape(window.database.location)}</code>" in html
    # Qt's AppDataLocation under the test's own XDG_DATA_HOME, then « logs ».
    logs = tmp_path / "data" / "allervers" / "allervers" / "logs"
    assert f"Journaux : <code>{logs}</code>" in html


def test_unusable_database_file_is_refused_in_french(tmp_path, prompts) -> None:
    from allervers_desktop.ui.app import run_gui

    bad = tmp_path / "notes.sqlite3"
    bad.write_text("ceci n'est pas une base", encoding="utf-8")
    assert run_gui(str(bad), ["allervers"], prompts=prompts) == 1
    assert prompts.shown == [
        (
            "error",
            "Base de données inutilisable",
            f"Le fichier « {bad} » n'est pas une base de données SQLite. Il n'a pas été modifié.",
        )
    ]
    assert bad.read_text(encoding="utf-8") == "ceci n'est pas une base"
