"""Fichier › Sauvegarder maintenant, Restaurer une sauvegarde…, Enregistrer une copie…, and the
backup made when the window closes, driven through the real window."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer
from allervers_desktop.services import backups
from allervers_desktop.ui.main_window import MainWindow
from tests.ui.conftest import ScriptedPrompts
from tests.unit.db.conftest import Snapshot, dump, quick_check
from tests.unit.db.foreign_kinds import build_aged

pytestmark = pytest.mark.sqlite_only(reason="backups and restores of the database file")

WAIT_MS = 20000


@pytest.fixture
def folder(window: MainWindow, tmp_path: Path) -> Path:
    path = tmp_path / "mes-sauvegardes"
    path.mkdir()
    with window.database.transaction() as session:
        backups.set_backup_dir(session, path)
    return path


def employers(database: Database) -> list[str]:
    with database.session() as session:
        return sorted(e.name for e in session.query(Employer))


def test_backup_now_writes_a_verified_copy(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts, folder: Path
) -> None:
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.messages("inform")), timeout=WAIT_MS)
    [copy] = list(folder.iterdir())
    assert copy.name.endswith("-manuelle.sqlite3")
    assert prompts.messages("inform") == [f"Sauvegarde enregistrée : « {copy} »."]
    assert quick_check(copy) == ["ok"]
    assert dump(copy, ["participants"]) == dump(window.database.path, ["participants"])


def test_save_copy_where_the_user_wants(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    target = tmp_path / "clé" / "copie pour la délégation.sqlite3"
    target.parent.mkdir()
    prompts.files = [str(target)]
    window.save_copy_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.messages("inform")), timeout=WAIT_MS)
    assert quick_check(target) == ["ok"]
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    # The same name again: refused, the first copy kept.
    before = target.read_bytes()
    prompts.files = [str(target)]
    window.save_copy_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.messages("error")), timeout=WAIT_MS)
    assert "existe déjà" in prompts.messages("error")[0]
    assert target.read_bytes() == before


def test_restore_keeps_the_current_file_and_reopens(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts, folder: Path
) -> None:
    saved = backups.make_backup(window.database.path, folder, manual=True).path
    with window.database.transaction() as session:
        session.add(Employer(name="Ajouté après la sauvegarde", city="Metz"))
    assert "Ajouté après la sauvegarde" in employers(window.database)
    window.show_tab("participants")
    prompts.files = [str(saved)]
    prompts.confirm_answers = [True]
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.messages("inform")), timeout=WAIT_MS)
    [message] = prompts.messages("inform")
    assert message.startswith(f"La sauvegarde « {saved.name} » a été restaurée.")
    assert "Ajouté après la sauvegarde" not in employers(window.database)
    [previous] = [p for p in folder.iterdir() if "avant-restauration" in p.name]
    assert str(previous) in message
    assert "Ajouté après la sauvegarde" in str(dump(previous, ["employers"]))
    assert window.participants_tab.model.rowCount() == 21
    # The window goes on working on the restored file.
    with window.database.transaction() as session:
        session.add(Employer(name="Après restauration", city="Metz"))
    assert "Après restauration" in employers(window.database)


@pytest.mark.parametrize("kind", ["other-alembic-0001", "damaged-rollback-journal", "table"])
def test_restore_refuses_a_foreign_or_damaged_file(
    kind: str,
    qtbot: Any,
    window: MainWindow,
    prompts: ScriptedPrompts,
    folder: Path,
    tmp_path: Path,
) -> None:
    other = tmp_path / "ailleurs"
    other.mkdir()
    chosen = build_aged(kind, other / "choisie.sqlite3")
    before = Snapshot.of(chosen)
    current = employers(window.database)
    prompts.files = [str(chosen)]
    prompts.confirm_answers = [True]
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.messages("error")), timeout=WAIT_MS)
    assert prompts.messages("error")[0].startswith("Cette sauvegarde ne peut pas être restaurée")
    assert Snapshot.of(chosen) == before
    assert employers(window.database) == current
    assert list(folder.iterdir()) == []


def closing_window(qtbot: Any, database: Database, prompts: Any, settings: Any) -> MainWindow:
    window = MainWindow(database, prompts=prompts, settings=settings, automatic_backup=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_closing_the_window_backs_up_once_a_day(
    qtbot: Any, demo_database: Database, prompts: ScriptedPrompts, settings: Any, tmp_path: Path
) -> None:
    folder = backups.default_backup_dir()
    for _round in range(2):
        window = closing_window(qtbot, demo_database, prompts, settings)
        window.close()
        qtbot.waitUntil(lambda w=window: not w.isVisible(), timeout=WAIT_MS)
    [copy] = list(folder.iterdir())  # the second close found today's backup
    assert not copy.name.endswith("-manuelle.sqlite3")
    assert quick_check(copy) == ["ok"]
    assert prompts.shown == []


def test_closing_with_the_backup_folder_gone_says_so_and_closes(
    qtbot: Any, demo_database: Database, prompts: ScriptedPrompts, settings: Any, tmp_path: Path
) -> None:
    usb = tmp_path / "clé-usb"
    usb.mkdir()
    with demo_database.transaction() as session:
        backups.set_backup_dir(session, usb)
        session.add(Employer(name="Saisi avant de fermer", city="Metz"))
    shutil.rmtree(usb)  # the drive was removed
    window = closing_window(qtbot, demo_database, prompts, settings)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    [message] = prompts.messages("error")
    assert message.startswith("La sauvegarde automatique n'a pas pu être faite : le dossier")
    assert "introuvable" in message and "Vos données sont intactes" in message
    assert "Saisi avant de fermer" in employers(demo_database)
    assert not usb.exists()


def test_backup_folder_is_chosen_in_parametres(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    from tests.ui.helpers import click_save

    chosen = tmp_path / "Sauvegardes délégation"
    chosen.mkdir()
    gone = tmp_path / "disparu"

    def fill(form: Any) -> None:
        assert form.backup_folder.label.text().endswith("(par défaut)")
        form.backup_folder.choose_button.click()
        click_save(qtbot, form)
        assert "n'existe pas" in form.error_label.text()  # the folder vanished meanwhile
        gone.mkdir()
        click_save(qtbot, form)

    prompts.files = [str(gone)]
    prompts.dialog_handlers.append(fill)
    window.settings_action.trigger()
    with window.database.session() as session:
        assert backups.backup_dir(session) == gone

    def back_to_chosen(form: Any) -> None:
        form.grab().save(str(tmp_path / "parametres.png"))
        form.backup_folder.choose_button.click()
        click_save(qtbot, form)

    prompts.files = [str(chosen)]
    prompts.dialog_handlers.append(back_to_chosen)
    window.settings_action.trigger()
    window.backup_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.messages("inform")), timeout=WAIT_MS)
    assert len(list(chosen.iterdir())) == 1
