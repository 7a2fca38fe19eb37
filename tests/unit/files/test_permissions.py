"""Unwritable folders and read-only files: refused in French, nothing numbered, --force."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.files.errors import is_read_only
from tests.unit.files.conftest import NOBODY, cli_as_nobody, nobody_env

FORCE = "Ajoutez --force pour le remplacer."


def run(database: Database, *args: str) -> int:
    return main(["--db", database.target, *args])


def test_a_read_only_pdf_is_not_replaced_without_force(
    attended, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "Émargement.pdf"
    target.write_bytes(b"ancien")
    target.chmod(0o444)
    args = ["print", "signin", "--group", "1", "--out", str(target)]
    assert run(attended.database, *args) == 1
    assert capsys.readouterr().err == (
        f"allervers : erreur : Le fichier « {target} » existe et est en lecture seule : "
        f"il n'a pas été remplacé. {FORCE}\n"
    )
    assert target.read_bytes() == b"ancien"
    previous = os.umask(0o022)
    try:
        assert run(attended.database, *args, "--force") == 0
    finally:
        os.umask(previous)
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [path for path in tmp_path.iterdir() if path.name.startswith(".allervers-tmp")] == []


def test_read_only_files_of_a_batch_and_an_export(
    attended, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "attestations"
    args = ["print", "attestation", "--group", "1", "--out-dir", str(folder)]
    assert run(attended.database, *args) == 0
    locked = folder / "Attestation - MEYER Léa - Groupe 1.pdf"
    locked.chmod(0o444)
    capsys.readouterr()
    assert run(attended.database, *args) == 1
    assert FORCE in capsys.readouterr().err
    assert run(attended.database, *args, "--force") == 0
    assert not is_read_only(locked)
    export = tmp_path / "liste.xlsx"
    export.write_bytes(b"ancien")
    export.chmod(0o400)
    capsys.readouterr()
    assert run(attended.database, "export", str(export), "--group", "1") == 1
    assert capsys.readouterr().err.endswith(f"il n'a pas été remplacé. {FORCE}\n")
    assert run(attended.database, "export", str(export), "--group", "1", "--force") == 0
    assert export.read_bytes()[:2] == b"PK"


def test_an_unwritable_folder_is_named_as_such_and_nothing_is_numbered(
    attended, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """chmod 0555: as root, the command runs in a child process that became « nobody »."""
    database = attended.database
    as_root = os.geteuid() == 0
    if as_root:  # pytest's temporary folders are root's alone: « nobody » works in /tmp
        if database.on_server:  # the folder's rights do not depend on where the data is
            pytest.skip("as root, « nobody » runs on a copy of the database file")
        database.close()
        home = Path(tempfile.mkdtemp(prefix="allervers-nobody-"))
        try:
            shutil.copy2(database.path, home / database.path.name)
            _unwritable_as_nobody(database, home)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        return
    locked = tmp_path / "verrouillé"
    locked.mkdir(mode=0o555)
    try:
        target = locked / "Attestations.pdf"
        code = run(database, "print", "attestation", "--group", "1", "--out", str(target))
        err = capsys.readouterr().err
        assert code == 1
        assert err == (
            f"allervers : erreur : Le fichier « Attestations.pdf » n'a pas pu être écrit : "
            f"le dossier « {locked} » est en lecture seule pour vous (accès refusé).\n"
        )
        assert list(locked.iterdir()) == []
        assert run(database, "certificates", "--json") == 0
        assert json.loads(capsys.readouterr().out) == []
    finally:
        locked.chmod(0o755)


def _unwritable_as_nobody(database: Database, home: Path) -> None:
    home.chmod(0o755)
    for path in [home, *home.rglob("*")]:
        os.chown(path, NOBODY, NOBODY)
    (home / "run").mkdir(mode=0o700)
    os.chown(home / "run", NOBODY, NOBODY)
    db = home / database.path.name
    locked = home / "verrouillé"
    locked.mkdir(mode=0o555)
    os.chown(locked, NOBODY, NOBODY)
    env = nobody_env(home)
    warm = ["--db", str(db), "print", "signin", "--group", "1", "--out", str(home / "essai.pdf")]
    for kind, target in (("attestation", "Attestations.pdf"), ("export", "liste.xlsx")):
        if kind == "export":
            args = ["--db", str(db), "export", str(locked / target), "--participants"]
            warm_up = ["--db", str(db), "export", str(home / "essai.xlsx"), "--participants"]
        else:
            args = ["--db", str(db), "print", kind, "--group", "1", "--out", str(locked / target)]
            warm_up = warm
        done = cli_as_nobody(warm_up, args, env)
        assert done.returncode == 1, done.stderr
        assert done.stderr == (
            f"allervers : erreur : Le fichier « {target} » n'a pas pu être écrit : "
            f"le dossier « {locked} » est en lecture seule pour vous (accès refusé).\n"
        )
        assert list(locked.iterdir()) == []
    listing = cli_as_nobody(warm, ["--db", str(db), "certificates", "--json"], env)
    assert json.loads(listing.stdout) == []  # nothing was numbered for a refused output
