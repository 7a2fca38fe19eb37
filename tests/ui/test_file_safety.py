"""Writing files from the window: read-only files asked about, a full disk said in French,
what a crash left removed when the window starts."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from allervers_desktop.files import leftovers
from allervers_desktop.files.errors import is_read_only
from allervers_desktop.paths import leftovers_anchor
from allervers_desktop.ui import excel_actions
from allervers_desktop.ui.app import clean_leftovers_in_background
from allervers_desktop.ui.document_actions import CLOSE, save_documents
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.prompts import READ_ONLY_TITLE
from tests.ui.test_document_actions import attestations, finish, issued, mark_all, set_identity
from tests.unit.files.conftest import fill, mounted_tmpfs


@pytest.fixture
def ready(window: MainWindow) -> MainWindow:
    set_identity(window)
    mark_all(window)
    return window


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    yield from mounted_tmpfs(tmp_path)


def read_only(path: Path, content: bytes = b"ancien") -> Path:
    path.write_bytes(content)
    path.chmod(0o444)
    return path


def test_replacing_a_read_only_pdf_is_asked_first(
    qtbot: Any, ready: MainWindow, prompts: Any, tmp_path: Path
) -> None:
    target = read_only(tmp_path / "Attestations.pdf")
    prompts.files = [str(target)]
    prompts.confirm_answers = [False]
    assert save_documents(ready.context, attestations(ready)) is None
    assert prompts.shown[-1][:2] == ("confirm", READ_ONLY_TITLE)
    assert "Ce fichier est en lecture seule" in prompts.shown[-1][2]
    assert target.read_bytes() == b"ancien"
    assert issued(ready) == {}  # nothing numbered for a file the user kept
    prompts.files = [str(target)]
    prompts.confirm_answers = [True]
    prompts.choice_answers = [CLOSE]
    finish(qtbot, save_documents(ready.context, attestations(ready)))
    assert len(PdfReader(target).pages) == 10
    assert not is_read_only(target)
    assert {count for _number, count in issued(ready).values()} == {1}


def test_replacing_read_only_pdfs_of_a_folder_is_asked_first(
    qtbot: Any, ready: MainWindow, prompts: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "attestations"
    folder.mkdir()
    locked = read_only(folder / "Attestation - MEYER Léa - Groupe 1.pdf")
    prompts.files = [str(folder)]
    prompts.confirm_answers = [True, False]  # replace the existing files? yes; read-only? no
    assert save_documents(ready.context, attestations(ready), split=True) is None
    assert locked.read_bytes() == b"ancien"
    assert sorted(path.name for path in folder.iterdir()) == [locked.name]


def test_an_export_onto_a_read_only_file_is_asked_first(
    qtbot: Any, window: MainWindow, prompts: Any, tmp_path: Path
) -> None:
    target = read_only(tmp_path / "liste.xlsx")
    prompts.files = [str(target)]
    prompts.confirm_answers = [False]
    assert excel_actions.export_group_roster(window.context, 1) is None
    assert target.read_bytes() == b"ancien"
    prompts.files = [str(target)]
    prompts.confirm_answers = [True]
    prompts.choice_answers = [excel_actions.CLOSE]
    finish(qtbot, excel_actions.export_group_roster(window.context, 1))
    assert target.read_bytes()[:2] == b"PK"


def test_a_full_disk_is_said_in_french_and_nothing_is_written(
    qtbot: Any, ready: MainWindow, prompts: Any, small_disk: Path
) -> None:
    fill(small_disk, leave=16_000)
    target = small_disk / "Attestations.pdf"
    prompts.files = [str(target)]
    finish(qtbot, save_documents(ready.context, attestations(ready)))
    assert prompts.messages("error") == [
        f"Le fichier « {target} » n'a pas pu être écrit : le disque est plein. "
        "Libérez de la place ou choisissez un autre emplacement."
    ]
    assert sorted(path.name for path in small_disk.iterdir()) == ["remplissage.bin"]
    assert {count for _number, count in issued(ready).values()} == {0}


def test_the_window_removes_what_a_crash_left_when_it_starts(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    folder = tmp_path / "documents"
    folder.mkdir()
    database = window.database
    leftovers.use_registry(leftovers_anchor(database.file or database.url))
    leftovers.remember_folder(folder)
    crash = folder / f".allervers-tmp-{int(dead.stdout)}-00ff00ff-Attestation.pdf"
    crash.write_bytes(b"%PDF-1.4 moitie")
    running = folder / f".allervers-tmp-{os.getpid()}-00ff00ff-Annuaire.xlsx"
    running.write_bytes(b"PK")
    old = folder / "Attestations - Groupe 1.pdf.partiel"
    old.write_bytes(b"%PDF")
    clean_leftovers_in_background().join()
    qtbot.waitUntil(lambda: not crash.exists() and not old.exists(), timeout=10000)
    assert running.exists()


def test_printing_to_a_file_goes_through_a_checked_temporary_file(
    qtbot: Any, ready: MainWindow, prompts: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QDialog, QLineEdit

    from allervers_desktop.ui.document_actions import print_documents

    target = read_only(tmp_path / "imprimante.pdf")

    def choose_file(dialog: QDialog) -> None:
        field = dialog.findChild(QLineEdit, "filename")  # « Imprimer dans un fichier »
        assert field is not None
        field.setText(str(target))
        dialog.accept()

    prompts.dialog_handlers = [choose_file]
    prompts.confirm_answers = [False]  # keep the read-only file
    assert print_documents(ready.context, attestations(ready)) is None
    assert target.read_bytes() == b"ancien"
    prompts.dialog_handlers = [choose_file]
    prompts.confirm_answers = [True]
    finish(qtbot, print_documents(ready.context, attestations(ready)))
    assert len(PdfReader(target).pages) == 10
    assert sorted(path.name for path in tmp_path.iterdir() if path.suffix == ".pdf") == [
        "imprimante.pdf"
    ]
    assert not list(tmp_path.glob(".allervers-tmp-*"))
