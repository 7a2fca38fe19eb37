"""Hostile files (tests/data/make_hostile.py) given to ``allervers import`` in a real process:
one French message, exit 2, the database untouched, and peak memory under a stated bound."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from allervers_desktop.db.database import Database
from allervers_desktop.excel.limits import MIB, PEAK_MEMORY_BOUND
from tests.data import make_hostile as hostile
from tests.unit.excel.conftest import LISTS, snapshot

pytestmark = pytest.mark.sqlite_only(reason="the database file stays byte-identical")

ROOT = Path(__file__).resolve().parents[3]
HANG_GUARD = 300  # seconds: only stops a hanging child, never a measure of speed
BOMB = "ressemble à une « bombe de décompression »"
DAMAGED = "est endommagé ou incomplet (archive tronquée ou corrompue)"
FAR = "s'étend jusqu'à la cellule"

CASES = [
    (hostile.far_cell, f"{FAR} XFD1048576 (1 048 576 lignes × 16 384 colonnes)"),
    (hostile.declared_dimension, f"{FAR} XFD1048576"),
    (hostile.wide_and_long, f"{FAR} ALL50000 (50 000 lignes × 1 000 colonnes)"),
    (hostile.unplaced_cell, f"{FAR} XFD2 (2 lignes × 16 384 colonnes)"),
    (hostile.tab_before_reference, f"{FAR} XFD1048576"),
    (hostile.prefixed_far_cell, f"{FAR} XFD1048576"),
    (hostile.ods_repeats, f"{FAR} XFD1048576"),
    (hostile.far_cell_xls, f"{FAR} IV65536 (65 536 lignes × 256 colonnes)"),
    (hostile.far_cell_xlsb, f"{FAR} XFD1048576 (1 048 576 lignes × 16 384 colonnes)"),
    (hostile.declared_dimension_xlsb, f"{FAR} XFD1048576"),
    (hostile.repeated_shared_string_xlsb, "répète un même long texte dans de nombreuses cellules"),
    (hostile.bomb_one_member, f"{BOMB} : son élément « xl/worksheets/sheet1.xml » ferait 200,0"),
    (hostile.bomb_ratio, "est compressé 1019 fois (de 0,0 Mo à 20,0 Mo"),
    (hostile.bomb_many_members, "contient trop d'éléments (5005 ;"),
    (hostile.bomb_total, "« (tous les éléments) » ferait 300,0 Mo une fois décompressé"),
    (hostile.huge_shared_string, "contient un texte de 3,0 Mo dans une seule cellule"),
    (hostile.repeated_shared_string, "répète un même long texte dans de nombreuses cellules"),
    (hostile.size_lie_bomb, "dépasse 128,0 Mo une fois décompressé (il en annonçait 0,0 Mo)"),
    (hostile.size_lie_small, DAMAGED),
    (hostile.overlapping_members, "partage ses données avec un autre"),
    (hostile.duplicate_members, "contient deux fois l'élément « xl/worksheets/sheet1.xml »"),
    (hostile.bzip2_member, "utilise une méthode de compression inconnue des tableurs"),
    (hostile.too_many_entries_claimed, "contient trop d'éléments (65535 ;"),
    (hostile.truncated_zip, DAMAGED),
    (hostile.named_pipe, "« tube.csv » est un tube nommé (FIFO), pas un fichier"),
    (hostile.unix_socket, "« prise.xlsx » est une prise de communication (socket), pas un"),
    (hostile.directory, "« dossier.xlsx » est un dossier, pas un fichier"),
    (hostile.link_to_zero, "« liste.xlsx » est un périphérique, pas un fichier"),
    (hostile.empty_file, "Le fichier « vide.csv » est vide."),
    (hostile.not_a_workbook, "n'est ni un tableur ni un fichier CSV lisible"),
    (
        hostile.mixed_encoding_csv,
        "mélange deux encodages de caractères : ses accents sont en UTF-8",
    ),
    (hostile.wide_csv, "compte plus de 2 000 000 cases, la limite d'un import"),
]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    peak_bytes: int


def run_import(database: Path, target: str, *extra: str) -> Run:
    """``python -m allervers_desktop import`` in a child spawned by ``bench/spawn_measured.py``
    (a small process: Linux carries a parent's memory high-water mark into its child, so
    spawning from pytest would measure pytest), which reports the child's peak RSS (wait4)."""
    out, err = database.with_suffix(".out"), database.with_suffix(".err")
    measure = database.with_suffix(".json")
    environment = {key: value for key, value in os.environ.items() if key != "ALLERVERS_DB"}
    command = [sys.executable, "-m", "allervers_desktop", "--db", str(database), "import", target]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        spawner = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "spawn_measured.py"), str(measure), *command,
             *extra],
            cwd=ROOT, env=environment, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
            start_new_session=True,
        )  # fmt: skip
        try:
            spawner.wait(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            os.killpg(spawner.pid, signal.SIGKILL)
            spawner.wait()
            pytest.fail(f"« allervers import {target} » ne s'est pas terminé")
    assert spawner.returncode == 0
    figures = json.loads(measure.read_text(encoding="utf-8"))
    return Run(
        figures["exit_code"],
        out.read_text(encoding="utf-8"),
        err.read_text(encoding="utf-8"),
        figures["maxrss_kb"] * 1024,  # kilobytes on Linux
    )


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_case_has_a_builder_and_a_message() -> None:
    assert [build for build, _ in CASES] == list(hostile.BUILDERS)
    assert len(CASES) >= 25


@pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, sockets and /dev are Linux here")
@pytest.mark.parametrize(("build", "expected"), CASES, ids=[b.__name__ for b, _ in CASES])
def test_hostile_file_is_refused_in_a_bounded_child(
    demo_database: Database, tmp_path: Path, build: hostile.Builder, expected: str
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    target = build(folder)
    before, digest = snapshot(demo_database), file_digest(demo_database.path)
    result = run_import(demo_database.path, str(target))
    assert result.code == 2, result.err
    assert result.out == ""
    assert result.err.startswith("allervers : erreur : ")
    assert result.err.count("\n") == 1, result.err  # one line, no traceback
    assert expected in result.err
    assert "Traceback" not in result.err and "Error" not in result.err
    assert result.peak_bytes < PEAK_MEMORY_BOUND, f"{result.peak_bytes / MIB:.0f} Mo"
    assert snapshot(demo_database) == before
    assert file_digest(demo_database.path) == digest


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_before_reading(demo_database: Database, device: str) -> None:
    before = snapshot(demo_database)
    result = run_import(demo_database.path, device)
    assert result.code == 2
    name = Path(device).name
    assert result.err == (
        f"allervers : erreur : « {name} » est un périphérique, pas un fichier : choisissez "
        "un fichier de tableur ou CSV.\n"
    )
    assert result.peak_bytes < PEAK_MEMORY_BOUND
    assert snapshot(demo_database) == before


def test_a_refused_file_does_not_even_create_the_database(tmp_path: Path) -> None:
    target = hostile.far_cell(tmp_path)
    database = tmp_path / "nouvelle.sqlite3"
    result = run_import(database, str(target))
    assert result.code == 2
    assert not database.exists()


def test_a_normal_list_imports_in_the_same_bounded_child(
    demo_database: Database, tmp_path: Path
) -> None:
    """The control: the real corpus passes the same checks, under the same bound."""
    result = run_import(demo_database.path, str(LISTS / "organisme-sessions.ods"), "--dry-run")
    assert result.code == 0, result.err
    assert "Simulation (rien n'a été écrit)" in result.out
    assert result.peak_bytes < PEAK_MEMORY_BOUND
