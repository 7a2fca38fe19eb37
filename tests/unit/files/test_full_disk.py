"""A full disk (a 200 KB tmpfs, as root): nothing reported written, nothing half written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.excel.errors import ExportError
from allervers_desktop.excel.export import export_participants
from tests.unit.files.conftest import fill


def run(database: Database, *args: str) -> int:
    return main(["--db", database.target, *args])


def print_counts(database: Database, capsys: pytest.CaptureFixture[str]) -> list[int]:
    capsys.readouterr()
    assert run(database, "certificates", "--json") == 0
    return [entry["print_count"] for entry in json.loads(capsys.readouterr().out)]


def only_filler(disk: Path) -> list[str]:
    return sorted(path.name for path in disk.iterdir())


def test_a_pdf_printed_onto_a_full_disk_is_refused_and_not_counted(
    attended, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(small_disk, leave=16_000)  # an attestations PDF of the group takes about 60 KB
    target = small_disk / "Attestations.pdf"
    code = run(attended.database, "print", "attestation", "--group", "1", "--out", str(target))
    out, err = capsys.readouterr()
    assert code == 1
    assert "Écrit" not in out
    assert err.strip().splitlines()[-1] == (
        f"allervers : erreur : Le fichier « {target} » n'a pas pu être écrit : le disque est "
        "plein. Libérez de la place ou choisissez un autre emplacement."
    )
    assert only_filler(small_disk) == ["remplissage.bin"]
    assert print_counts(attended.database, capsys) == [0] * 10


def test_a_batch_that_fills_the_disk_writes_no_file_at_all(
    attended, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Room for three of the ten attestations: none is written (not 3 of 10), none counted."""
    fill(small_disk, leave=75_000)
    folder = small_disk / "attestations"
    code = run(attended.database, "print", "attestation", "--group", "1", "--out-dir", str(folder))
    out, err = capsys.readouterr()
    assert code == 1
    assert "Écrit" not in out
    assert "le disque est plein" in err and "No space" not in err
    assert list(folder.iterdir()) == []
    assert print_counts(attended.database, capsys) == [0] * 10
    # Once there is room (the whole disk holds about 8 of them), two are printed and counted.
    (small_disk / "remplissage.bin").unlink()
    two = ["--participant", "1", "--participant", "2"]
    args = ["print", "attestation", "--group", "1", "--out-dir", str(folder), *two]
    assert run(attended.database, *args) == 0
    assert len(list(folder.iterdir())) == 2
    assert sorted(print_counts(attended.database, capsys)) == [0] * 8 + [1] * 2


def test_an_export_onto_a_full_disk_says_so_in_french_and_leaves_nothing(
    demo_database: Database, small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = small_disk / "Annuaire.xlsx"
    with demo_database.session() as session:
        export_participants(session, target)  # fits: about 8 KB
    size = target.stat().st_size
    fill(small_disk, leave=size // 2)
    before = target.read_bytes()
    with demo_database.session() as session, pytest.raises(ExportError) as caught:
        export_participants(session, target)
    assert caught.value.message == (
        f"Le fichier « {target} » n'a pas pu être écrit : le disque est plein. "
        "Libérez de la place ou choisissez un autre emplacement."
    )
    assert target.read_bytes() == before  # the previous export is intact
    assert only_filler(small_disk) == ["Annuaire.xlsx", "remplissage.bin"]
    code = run(demo_database, "export", str(small_disk / "autre.xlsx"), "--participants")
    _out, err = capsys.readouterr()
    assert code == 1
    assert err.count("\n") == 1 and "le disque est plein" in err and "Traceback" not in err
    assert only_filler(small_disk) == ["Annuaire.xlsx", "remplissage.bin"]
