"""The atomic writer: usual permissions, checks before the rename, French reasons, leftovers."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest

from allervers_desktop.files import leftovers
from allervers_desktop.files.atomic import write_bytes, write_file
from allervers_desktop.files.checks import check_pdf, check_xlsx
from allervers_desktop.files.errors import (
    FileWriteError,
    ReadOnlyTargetError,
    os_reason,
    write_failure,
)


def hidden(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_get_the_usual_permissions(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        target = write_bytes(tmp_path / "export.xlsx", b"contenu")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert target.read_bytes() == b"contenu"
    assert hidden(tmp_path) == []


def test_a_failed_check_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "document.pdf"
    target.write_bytes(b"ancien")
    with pytest.raises(FileWriteError, match=re.escape("incomplet (fin du PDF absente)")):
        write_bytes(
            target, b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n", lambda p: check_pdf(p, 1)
        )
    assert target.read_bytes() == b"ancien"
    assert hidden(tmp_path) == []


def test_a_writer_failing_half_way_leaves_nothing(tmp_path: Path) -> None:
    def half(path: Path) -> None:
        path.write_bytes(b"moiti")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(FileWriteError) as caught:
        write_file(tmp_path / "liste.xlsx", half)
    assert "le disque est plein" in caught.value.message
    assert "No space" not in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_file_is_refused_unless_replacing_was_allowed(tmp_path: Path) -> None:
    target = tmp_path / "protégé.pdf"
    target.write_bytes(b"ancien")
    target.chmod(0o444)
    with pytest.raises(ReadOnlyTargetError, match="lecture seule"):
        write_bytes(target, b"nouveau")
    assert target.read_bytes() == b"ancien"
    write_bytes(target, b"nouveau", replace_read_only=True)
    assert target.read_bytes() == b"nouveau"
    assert stat.S_IMODE(target.stat().st_mode) & stat.S_IWUSR
    assert hidden(tmp_path) == []


def test_refusals_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="n'existe pas"):
        write_bytes(tmp_path / "absent" / "a.pdf", b"x")
    with pytest.raises(FileWriteError, match="est un dossier"):
        write_bytes(tmp_path, b"x")
    with pytest.raises(FileWriteError, match="trop long"):
        write_bytes(tmp_path / ("é" * 200 + ".pdf"), b"x")


def test_reasons_are_french_and_name_the_real_cause(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    assert os_reason(OSError(errno.ENAMETOOLONG, "File name too long")) == (
        "le nom ou le chemin du fichier est trop long"
    )
    assert os_reason(OSError(errno.EROFS, "x")) == "le support est en lecture seule"
    if hasattr(errno, "EDQUOT"):
        quota = write_failure(OSError(errno.EDQUOT, "Disk quota exceeded"), target).message
        assert "quota d'espace disque est dépassé" in quota
    target.write_bytes(b"x")
    target.chmod(0o444)
    permission = OSError(errno.EACCES, "Permission denied")
    if os.access(tmp_path, os.W_OK):  # the folder is writable: the file is the cause
        assert (
            "est en lecture seule : il n'a pas été remplacé"
            in write_failure(permission, target).message
        )
    missing = write_failure(OSError(errno.ENOENT, "x"), tmp_path / "absent" / "a.pdf")
    assert missing.message == f"Le dossier « {tmp_path / 'absent'} » n'existe pas."


def test_xlsx_check_wants_the_workbook_and_its_sheets(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "")
        archive.writestr("xl/workbook.xml", "")
        archive.writestr("xl/worksheets/sheet1.xml", "")
    check_xlsx(path, 1)
    with pytest.raises(FileWriteError, match=re.escape("1 feuille(s) au lieu de 2")):
        check_xlsx(path, 2)
    path.write_bytes(path.read_bytes()[:-30])  # the central directory is cut
    with pytest.raises(FileWriteError, match="archive illisible"):
        check_xlsx(path, 1)


def test_leftovers_of_dead_processes_are_removed_not_those_being_written(
    tmp_path: Path, db_path: Path
) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(dead.stdout)
    folder = tmp_path / "sorties"
    folder.mkdir()
    leftovers.use_registry(db_path)
    leftovers.remember_folder(folder)
    names = {
        "crash": f".allervers-tmp-{dead_pid}-0a1b2c3d-Attestation.pdf",
        "running": f".allervers-tmp-{os.getpid()}-0a1b2c3d-Attestation.pdf",
        "old_partial": "Attestations - Groupe 1.pdf.partiel",
        "old_xlsx": ".liste.abc123.xlsx.tmp",
        "user": ".mon-fichier-caché",
        "document": "Attestation.pdf",
    }
    for name in names.values():
        (folder / name).write_bytes(b"x")
    removed = leftovers.start_up(db_path)
    assert sorted(path.name for path in removed) == sorted(
        [names["crash"], names["old_partial"], names["old_xlsx"]]
    )
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [names["running"], names["user"], names["document"]]
    )
    assert str(folder) in (db_path.parent / leftovers.REGISTRY_NAME).read_text(encoding="utf-8")
