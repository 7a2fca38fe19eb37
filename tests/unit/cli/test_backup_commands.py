"""``allervers backup`` and ``allervers restore`` through the command line's entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from allervers_desktop.cli import main
from allervers_desktop.services import backups
from tests.unit.db.conftest import Snapshot, dump, quick_check, raw

pytestmark = pytest.mark.sqlite_only(reason="backups and restores of the database file")

TABLES = ["participants", "employers", "settings"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(capsys, "--db", str(db_path), "demo")[0] == 0
    return db_path


def test_backup_goes_to_the_backup_folder(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "backup")
    assert (code, err) == (0, "")
    [copy] = list(backups.default_backup_dir().iterdir())
    assert out == f"Sauvegarde enregistrée : « {copy} ».\n"
    assert quick_check(copy) == ["ok"]
    assert dump(copy, TABLES) == dump(demo_db, TABLES)


def test_backup_to_a_folder_or_a_file(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clé"
    folder.mkdir()
    assert run(capsys, "--db", str(demo_db), "backup", "--to", str(folder))[0] == 0
    assert len(list(folder.iterdir())) == 1
    target = tmp_path / "copie.sqlite3"
    code, out, _ = run(capsys, "--db", str(demo_db), "backup", "--to", str(target))
    assert (code, out) == (0, f"Copie enregistrée : « {target} ».\n")
    before = Snapshot.of(target)
    code, out, err = run(capsys, "--db", str(demo_db), "backup", "--to", str(target))
    assert code == 1 and out == ""
    assert err == f"allervers : erreur : « {target} » existe déjà ; choisissez un autre nom.\n"
    assert Snapshot.of(target) == before


def test_backup_of_no_database_yet(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(db_path), "backup")
    assert code == 1
    assert "aucune base allervers à sauvegarder" in err
    assert not db_path.exists()


def test_restore_puts_the_backup_back_and_keeps_the_current_file(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "avant.sqlite3"
    assert run(capsys, "--db", str(demo_db), "backup", "--to", str(saved))[0] == 0
    with raw(demo_db) as connection:
        connection.execute("DELETE FROM settings")
        connection.execute("UPDATE participants SET notes = 'modifié'")
        connection.commit()
    changed = dump(demo_db, TABLES)
    code, out, err = run(capsys, "--db", str(demo_db), "restore", str(saved))
    assert (code, err) == (0, "")
    [previous] = list(backups.default_backup_dir().iterdir())
    assert out == (
        f"La sauvegarde « avant.sqlite3 » a été restaurée. La base remplacée a été "
        f"sauvegardée dans « {previous} ».\n"
    )
    assert dump(demo_db, TABLES) == dump(saved, TABLES)
    assert dump(previous, TABLES) == changed


def test_restore_of_a_missing_file(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = Snapshot.of(demo_db)
    code, _, err = run(capsys, "--db", str(demo_db), "restore", "/nulle/part.sqlite3")
    assert code == 1
    assert len(err.splitlines()) == 1
    assert "aucune base allervers" in err
    assert Snapshot.of(demo_db).content == before.content


def test_restore_onto_a_missing_database(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "copie.sqlite3"
    assert run(capsys, "--db", str(demo_db), "backup", "--to", str(saved))[0] == 0
    fresh = tmp_path / "nouveau" / "base.sqlite3"
    fresh.parent.mkdir()
    code, out, err = run(capsys, "--db", str(fresh), "restore", str(saved))
    assert (code, err) == (0, "")
    assert out == "La sauvegarde « copie.sqlite3 » a été restaurée.\n"
    assert dump(fresh, TABLES) == dump(saved, TABLES)
    assert sorted(p.name for p in fresh.parent.iterdir()) == ["base.sqlite3"]
