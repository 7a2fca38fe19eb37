"""``allervers db copy``: a coordinator's file copied into an empty server database, checked."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import open_database
from allervers_desktop.db.server import open_server
from allervers_desktop.services import attendance
from allervers_desktop.services.demo import load_demo
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.services.settings import StoredImage, save_identity
from tests.pg_server import Cluster, url_text
from tests.unit.documents.conftest import IDENTITY, png

LISTS = Path(__file__).resolve().parents[2] / "data" / "lists"
LISTINGS = (
    ("list", "courses"),
    ("list", "groups"),
    ("list", "trainers"),
    ("list", "participants"),
    ("list", "participants", "--group", "1"),
    ("imports",),
    ("documents",),
    ("employers", "list"),
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str], target: str, *argv: str) -> Any:
    code, out, err = run(capsys, "--db", target, *argv, "--json")
    assert (code, err) == (0, ""), err
    return json.loads(out)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def coordinator_file(tmp_path: Path, qapp: Any, capsys: pytest.CaptureFixture[str]) -> Path:
    """The example data with a letterhead (stored images), group 1's attendance taken, an
    import into group 2 and group 1's attestations issued."""
    from allervers_desktop.documents.fonts import prepare_fonts

    prepare_fonts()
    path = tmp_path / "coordinatrice.sqlite3"
    database = open_database(path)
    with database.transaction() as session:
        load_demo(session)
        save_identity(
            session,
            replace(IDENTITY, logo=StoredImage("logo.png", png()), signature=None),
        )
    with database.transaction() as session:
        attendance.mark_all(session, 1)
    database.close()
    target = str(path)
    code, _, err = run(
        capsys, "--db", target, "import", str(LISTS / "liste-utf8-bom.csv"), "--group", "2"
    )
    assert (code, err) == (0, "")
    pdf = tmp_path / "Attestations.pdf"
    code, _, err = run(
        capsys, "--db", target, "print", "attestation", "--group", "1", "--out", str(pdf)
    )
    assert (code, err) == (0, ""), err
    return path


def test_the_copy_lists_the_same_on_both(
    coordinator_file: Path,
    cluster: Cluster,
    server_database_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = url_text(cluster.url(server_database_name))
    before = sha256(coordinator_file)
    code, out, err = run(capsys, "db", "copy", "--from", str(coordinator_file), "--to", url)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].startswith("Copie terminée : ")
    assert "  participants : 23" in out.splitlines()
    assert sha256(coordinator_file) == before  # the file is only read

    for listing in LISTINGS:
        on_file = listed(capsys, str(coordinator_file), *listing)
        assert on_file, listing
        assert listed(capsys, url, *listing) == on_file, listing

    # The server's counters go on after the copied ids.
    database = open_server(cluster.url(server_database_name))
    try:
        with database.transaction() as session:
            created = create_participant(
                session, ParticipantData(last_name="NOUVEAU", first_name="Né")
            )
    finally:
        database.close()
    assert created.id == 24


def test_a_database_already_in_use_is_refused(
    coordinator_file: Path,
    cluster: Cluster,
    server_database_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = url_text(cluster.url(server_database_name))
    assert run(capsys, "db", "copy", "--from", str(coordinator_file), "--to", url)[0] == 0
    participants = listed(capsys, url, "list", "participants")

    code, out, err = run(capsys, "db", "copy", "--from", str(coordinator_file), "--to", url)
    assert (code, out) == (1, "")
    assert err.startswith("allervers : erreur : La base ")
    assert "n'est pas vide" in err and "Rien n'a été copié." in err
    assert listed(capsys, url, "list", "participants") == participants


def test_a_row_the_server_refuses_leaves_it_empty(
    coordinator_file: Path,
    cluster: Cluster,
    server_database_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SQLite does not enforce a column's length; the server does: the copy stops at that
    row and nothing of it stays on the server, not even the tables copied before."""
    with sqlite3.connect(coordinator_file) as connection:
        connection.execute("UPDATE participants SET last_name = ? WHERE id = 21", ("X" * 500,))
    url = url_text(cluster.url(server_database_name))
    code, out, err = run(capsys, "db", "copy", "--from", str(coordinator_file), "--to", url)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("allervers : erreur : La copie vers ")
    assert lines[0].endswith("rien n'a été écrit sur le serveur.")
    assert listed(capsys, url, "list", "courses") == []


def test_what_each_side_must_be(
    tmp_path: Path, cluster: Cluster, server_database_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = url_text(cluster.url(server_database_name))
    missing = tmp_path / "absent.sqlite3"
    code, _, err = run(capsys, "db", "copy", "--from", str(missing), "--to", url)
    assert code == 1
    assert "n'existe pas" in err
    assert not missing.exists()
    code, _, err = run(capsys, "db", "copy", "--from", url, "--to", url)
    assert (code, err.strip()) == (
        1,
        "allervers : erreur : --from attend un fichier local (.sqlite3), pas l'adresse d'un "
        "serveur.",
    )
    code, _, err = run(capsys, "db", "copy", "--from", str(missing), "--to", str(missing))
    assert code == 1
    assert "--to attend l'adresse d'un serveur" in err
