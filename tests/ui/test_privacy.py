"""RGPD through the window: rules in Paramètres, « Purger », a participant's export and erasure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Participant
from allervers_desktop.privacy import log
from allervers_desktop.privacy.rules import RetentionRules, get_rules
from allervers_desktop.ui.forms.settings_form import SettingsForm
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.privacy_dialog import PrivacyDialog
from tests.db_faults import refuse_inserts
from tests.ui.conftest import ScriptedPrompts, _make_window
from tests.ui.helpers import click_save, column_values, type_text
from tests.unit.excel.conftest import snapshot
from tests.unit.privacy.conftest import KEPT_UNTIL, age_example_data, hours_per_group, short


@pytest.fixture
def aged_window(
    qtbot: Any, demo_database: Database, prompts: ScriptedPrompts, settings: QSettings
) -> Iterator[MainWindow]:
    age_example_data(demo_database)
    yield _make_window(qtbot, demo_database, prompts, settings)


def select_participant(qtbot: Any, window: MainWindow, search: str) -> Any:
    tab = window.show_tab("participants")
    type_text(qtbot, tab.search_field, search)
    tab.view.selectRow(0)
    return tab


def test_retention_rules_are_edited_in_settings(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    def fill(form: QDialog) -> None:
        assert isinstance(form, SettingsForm)
        spin = form.retention.spins["documents_years"]
        assert spin.value() == 6 and spin.suffix() == " ans"
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, "10")
        click_save(qtbot, form)

    prompts.dialog_handlers.append(fill)
    window.settings_action.trigger()
    with window.database.session() as session:
        assert get_rules(session) == RetentionRules(documents_years=10)


def test_export_from_the_participants_context_menu(
    qtbot: Any, aged_window: MainWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    tab = select_participant(qtbot, aged_window, "helene")
    assert tab.view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.text() for a in tab.view.actions()] == [
        "Messages reçus (journal)…",
        "Exporter ses données…",
        "Effacer / anonymiser…",
    ]
    prompts.files = [str(tmp_path)]
    tab.export_data_action.trigger()
    [message] = prompts.messages("inform")
    assert message.startswith("Données exportées : « donnees-participant-1.json » et ")
    data = json.loads((tmp_path / "donnees-participant-1.json").read_text(encoding="utf-8"))
    assert data["participant"]["first_name"] == "Hélène"
    workbook = load_workbook(tmp_path / "donnees-participant-1.xlsx", read_only=True)
    try:
        assert "Présences" in workbook.sheetnames
    finally:
        workbook.close()


def test_export_into_a_missing_folder_says_so(
    qtbot: Any, aged_window: MainWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    tab = select_participant(qtbot, aged_window, "helene")
    prompts.files = [str(tmp_path / "absent")]
    tab.export_data_action.trigger()
    assert prompts.messages("error") == [f"Le dossier « {tmp_path / 'absent'} » n'existe pas."]


def test_erase_is_limited_while_documents_are_kept(
    qtbot: Any, aged_window: MainWindow, prompts: ScriptedPrompts
) -> None:
    tab = select_participant(qtbot, aged_window, "helene")
    hours = hours_per_group(aged_window.database)
    prompts.confirm_answers = [True]
    tab.erase_data_action.trigger()
    [question] = prompts.messages("confirm")
    assert "seules les coordonnées de MULLER Hélène (n° 1)" in question
    assert prompts.messages("inform") == [
        "Les feuilles d'émargement et attestations de cette personne doivent être conservées "
        f"jusqu'au {short(KEPT_UNTIL)} : seules ses coordonnées ont été effacées."
    ]
    assert column_values(tab.model, 0) == ["MULLER"]
    assert column_values(tab.model, 5) == [""]  # e-mail
    assert "Coordonnées effacées le " in tab.detail_browser.toPlainText()
    assert hours_per_group(aged_window.database) == hours
    # A second erasure is refused, saying until when.
    tab.erase_data_action.trigger()
    [refusal] = prompts.messages("error")
    assert f"jusqu'au {short(KEPT_UNTIL)} : ses coordonnées ont déjà été effacées le " in refusal


def test_declined_erasure_changes_nothing(
    qtbot: Any, aged_window: MainWindow, prompts: ScriptedPrompts
) -> None:
    tab = select_participant(qtbot, aged_window, "becker")
    before = snapshot(aged_window.database)
    prompts.confirm_answers = [False]
    tab.erase_data_action.trigger()
    assert "seront définitivement remplacées par « Anonyme »" in prompts.messages("confirm")[0]
    assert snapshot(aged_window.database) == before
    prompts.confirm_answers = [True]
    tab.erase_data_action.trigger()
    assert prompts.messages("inform")[-1].endswith("a été anonymisé.")
    tab.search_field.clear()
    qtbot.waitUntil(lambda: "ANONYME" in column_values(tab.model, 0))


def test_purge_from_the_window(
    qtbot: Any, aged_window: MainWindow, prompts: ScriptedPrompts
) -> None:
    hours = hours_per_group(aged_window.database)
    seen: dict[str, Any] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, PrivacyDialog)
        assert dialog.people_model.rowCount() == 21
        seen["summary"] = dialog.summary_label.text()
        seen["rules"] = dialog.rules_label.text()
        assert dialog.log_model.rowCount() == 0
        prompts.confirm_answers.append(True)
        dialog.purge_button.click()
        qtbot.waitUntil(lambda: bool(prompts.messages("inform")), timeout=20000)
        seen["after"] = dialog.people_model.rowCount()
        seen["log"] = [dialog.log_model.index(0, c).data() for c in range(5)]
        seen["enabled"] = dialog.purge_button.isEnabled()
        dialog.reject()

    prompts.dialog_handlers.append(handle)
    aged_window.privacy_action.trigger()
    assert seen["summary"].startswith("La purge ferait : 11 participant(s) anonymisé(s), 10 ")
    assert "Feuilles d'émargement, attestations, certificats : 6 ans" in seen["rules"]
    assert seen["after"] == 0 and seen["enabled"] is False
    assert seen["log"][1] == "Purge" and seen["log"][2]
    assert prompts.messages("inform") == [
        "11 participant(s) anonymisé(s), 10 dont seules les coordonnées sont effacées, "
        "détail de 0 import(s) effacé, 0 ligne(s) du journal supprimée(s)."
    ]
    assert hours_per_group(aged_window.database) == hours
    tab = aged_window.show_tab("participants")
    qtbot.waitUntil(lambda: column_values(tab.model, 0).count("ANONYME") == 11)


def test_a_failed_purge_in_the_window_changes_nothing(
    qtbot: Any, aged_window: MainWindow, prompts: ScriptedPrompts
) -> None:
    database = aged_window.database
    with database.transaction() as session:
        refuse_inserts(session, "privacy_log")
    before = snapshot(database)

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, PrivacyDialog)
        prompts.confirm_answers.append(True)
        dialog.purge_button.click()
        qtbot.waitUntil(lambda: bool(prompts.messages("error")), timeout=20000)
        assert dialog.people_model.rowCount() == 21
        dialog.reject()

    prompts.dialog_handlers.append(handle)
    aged_window.privacy_action.trigger()
    [message] = prompts.messages("error")
    assert message.startswith("La purge n'a pas pu être faite (")
    assert message.endswith(") : rien n'a été modifié.")
    assert snapshot(database) == before
    with database.session() as session:
        assert log.entries(session) == []
        assert session.get_one(Participant, 1).email == "helene.muller@exemple.fr"


def test_undo_refused_in_the_history_window_after_erasure(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts
) -> None:
    from allervers_desktop.excel.importer import import_file
    from allervers_desktop.ui.import_history import ImportHistoryDialog, show_import_history
    from tests.unit.excel.conftest import LISTS

    report = import_file(window.database, LISTS / "capacite.xlsx", group_id=2)
    assert report.batch_id is not None
    with window.database.session() as session:
        created = max(session.scalars(select(Participant.id)))
    window.show_tab("participants")
    tab = window.participants_tab
    tab.select_id(created)
    assert tab.current_id() == created
    prompts.confirm_answers = [True]
    tab.erase_data_action.trigger()
    assert prompts.messages("inform")[-1] == f"Le participant n° {created} a été anonymisé."
    before = snapshot(window.database)
    seen: dict[str, str] = {}

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportHistoryDialog)
        dialog.view.selectRow(0)
        qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    prompts.dialog_handlers.append(handle)
    show_import_history(window.context)
    seen["error"] = prompts.messages("error")[-1]
    assert seen["error"].startswith(f"L'import n° {report.batch_id} ne peut pas être annulé :")
    assert (
        f"Les données personnelles du participant n° {created} ont été effacées le "
        in seen["error"]
    )
    assert snapshot(window.database) == before
