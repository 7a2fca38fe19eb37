"""The window's real start-up path (run_gui) checks every file as the command line does,
before anything may write to it: foreign and damaged files are refused byte-identical."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from allervers_desktop.services import backups
from allervers_desktop.ui.app import run_gui
from tests.ui.conftest import ScriptedPrompts
from tests.unit.db.conftest import Snapshot, quick_check
from tests.unit.db.foreign_kinds import FOREIGN_KINDS, build_aged, demo_at_head


@pytest.mark.parametrize("kind", sorted(FOREIGN_KINDS))
def test_window_refuses_and_leaves_the_file_as_it_was(
    kind: str, qapp: Any, tmp_path: Path, prompts: ScriptedPrompts, capsys: Any
) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    path = build_aged(kind, folder / "autre.sqlite3")
    before = Snapshot.of(path)
    damaged = kind.startswith("damaged")
    prompts.choice_answers = ["Fermer"] if damaged else []  # a damaged file: restore offered
    assert run_gui(str(path), ["allervers"], prompts=prompts) == 1
    [(shown_kind, title, message)] = prompts.shown
    assert (shown_kind, title) == ("choose" if damaged else "error", "Base de données inutilisable")
    assert "n'a pas été modifié" in message
    assert capsys.readouterr().err == f"allervers : erreur : {message}\n"
    assert Snapshot.of(path) == before
    assert not QApplication.topLevelWidgets() or not any(
        w.isVisible() for w in QApplication.topLevelWidgets()
    )


def test_good_file_opens_and_is_backed_up_when_the_window_closes(
    qapp: Any, tmp_path: Path, prompts: ScriptedPrompts
) -> None:
    path = demo_at_head(tmp_path / "bonne.sqlite3")

    def close_windows() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        assert windows, "the window is shown"
        for window in windows:
            window.close()

    QTimer.singleShot(300, close_windows)
    assert run_gui(str(path), ["allervers"], prompts=prompts) == 0
    assert prompts.shown == []
    [copy] = list(backups.default_backup_dir().iterdir())
    assert copy.name.startswith("bonne-sauvegarde-")
    assert quick_check(copy) == ["ok"]


def test_file_damaged_after_a_clean_close_is_still_refused(
    qapp: Any, tmp_path: Path, prompts: ScriptedPrompts
) -> None:
    """The stamp recorded at a clean close skips quick_check only while the file is unchanged."""
    from allervers_desktop import APP_NAME, ORGANIZATION_NAME
    from allervers_desktop.db.stamp import file_stamp
    from allervers_desktop.ui.app import stamp_key
    from tests.unit.db.foreign_kinds import damaged_in_rollback_mode

    path = tmp_path / "base.sqlite3"
    model = damaged_in_rollback_mode(tmp_path / "modele.sqlite3", mode="WAL")
    demo_at_head(path)
    QTimer.singleShot(300, lambda: [w.close() for w in QApplication.topLevelWidgets()])
    assert run_gui(str(path), ["allervers"], prompts=prompts) == 0
    key = stamp_key(path)
    assert key is not None
    stamp = QSettings(ORGANIZATION_NAME, APP_NAME).value(key)
    assert stamp is not None and stamp == file_stamp(path)
    path.write_bytes(model.read_bytes())  # damaged by something else since
    before = Snapshot.of(path)
    prompts.choice_answers = ["Fermer"]
    assert run_gui(str(path), ["allervers"], prompts=prompts) == 1
    assert "endommagée" in prompts.messages("choose")[0]
    assert Snapshot.of(path) == before


def test_damaged_file_can_be_restored_from_a_backup_at_start(
    qapp: Any, tmp_path: Path, prompts: ScriptedPrompts
) -> None:
    from tests.unit.db.conftest import dump
    from tests.unit.db.foreign_kinds import damaged_in_rollback_mode

    saved = tmp_path / "sauvegarde.sqlite3"
    demo_at_head(saved)
    path = damaged_in_rollback_mode(tmp_path / "base.sqlite3")
    damaged = path.read_bytes()
    prompts.choice_answers = ["Restaurer une sauvegarde…"]
    prompts.files = [str(saved)]
    QTimer.singleShot(300, lambda: [w.close() for w in QApplication.topLevelWidgets()])
    assert run_gui(str(path), ["allervers"], prompts=prompts) == 0
    [restored] = prompts.messages("inform")
    [kept] = [p for p in backups.default_backup_dir().iterdir() if "avant-restauration" in p.name]
    assert restored == (
        "La sauvegarde « sauvegarde.sqlite3 » a été restaurée. "
        f"La base remplacée a été sauvegardée dans « {kept} »."
    )
    assert kept.read_bytes() == damaged
    assert dump(path, ["participants"]) == dump(saved, ["participants"])
