"""Commands ``demo`` and ``list``, driven through ``allervers_desktop.cli.main``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import BUSY_MESSAGE
from allervers_desktop.paths import DB_ENV_VAR


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> Any:
    code, out, err = run(capsys, "--db", str(db), "list", *argv, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


@pytest.fixture
def demo_db(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, err = run(capsys, "--db", str(db_path), "demo")
    assert (code, err) == (0, "")
    assert out == (
        "Données d'exemple chargées : 1 formation, 2 groupes, 3 intervenants, 21 participants.\n"
    )
    return db_path


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("allervers : erreur : ")
    return lines[0]


def test_demo_twice_does_not_duplicate(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "demo")
    assert code == 0
    assert out == "Les données d'exemple sont déjà chargées.\n"
    assert len(run_json(capsys, demo_db, "participants")) == 21
    assert len(run_json(capsys, demo_db, "groups")) == 2
    assert len(run_json(capsys, demo_db, "courses")) == 1
    assert len(run_json(capsys, demo_db, "trainers")) == 3


def test_list_participants_json(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(capsys, demo_db, "participants")
    assert isinstance(rows, list)
    for row in rows:
        assert {"id", "last_name", "first_name", "email", "employer"} <= set(row)
        assert isinstance(row["id"], int)
    muller = next(r for r in rows if r["last_name"] == "MULLER")
    assert muller["first_name"] == "Hélène"
    assert muller["email"] == "helene.muller@exemple.fr"
    assert muller["employer"] == "Association Le Relais de l'Ill"


def test_list_groups_json(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = run_json(capsys, demo_db, "groups")
    courses = run_json(capsys, demo_db, "courses")
    for row in rows:
        assert {"id", "course_id", "label", "city", "dates", "enrolled", "capacity"} <= set(row)
        assert row["course_id"] == courses[0]["id"]
    summary = [(r["label"], r["city"], r["dates"], r["enrolled"], r["capacity"]) for r in rows]
    assert summary == [
        ("Groupe 1", "Strasbourg", ["2023-09-25", "2023-09-26"], 10, 15),
        ("Groupe 2", "Metz", ["2023-10-16", "2023-10-17"], 11, 15),
    ]


def test_list_courses_and_trainers_json(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (course,) = run_json(capsys, demo_db, "courses")
    assert course["title"] == "La pratique de l'Aller Vers les publics"
    assert course["provider"] == "PRAXIS"
    trainers = run_json(capsys, demo_db, "trainers")
    assert [(t["first_name"], t["last_name"]) for t in trainers] == [
        ("Chantal", "CORNIER"),
        ("Jean-Xavier", "COUROT"),
        ("Lara", "GELDREICH"),
    ]


def test_list_participants_of_a_group(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    metz = next(g for g in run_json(capsys, demo_db, "groups") if g["city"] == "Metz")
    rows = run_json(capsys, demo_db, "participants", "--group", str(metz["id"]))
    assert len(rows) == 11
    assert "MULLER" not in {r["last_name"] for r in rows}
    assert {r["enrollment_status"] for r in rows} <= {"registered", "confirmed"}

    code, out, err = run(capsys, "--db", str(demo_db), "list", "participants", "--group",
                         str(metz["id"]))  # fmt: skip
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["N°", "Nom", "Prénom", "Établissement", "E-mail", "Inscription"]
    assert len(lines) == 2 + 11


def test_list_groups_of_a_course(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (course,) = run_json(capsys, demo_db, "courses")
    assert len(run_json(capsys, demo_db, "groups", "--course", str(course["id"]))) == 2
    assert run_json(capsys, demo_db, "groups", "--course", str(course["id"] + 1)) == []


def test_readable_tables(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "list", "groups")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["N°", "Formation", "Groupe", "Lieu", "Dates", "Statut", "Inscrits"]
    assert set(lines[1]) <= {"-", " "}
    assert "25/09/2023, 26/09/2023" in lines[2]
    assert "Confirmé" in lines[2]
    assert "10 / 15" in lines[2]
    assert "11 / 15" in lines[3]
    _, out, _ = run(capsys, "--db", str(demo_db), "list", "participants")
    assert any("MULLER" in line and "Hélène" in line for line in out.splitlines())
    _, out, _ = run(capsys, "--db", str(demo_db), "list", "trainers")
    assert "Chargée de projets" in out
    _, out, _ = run(capsys, "--db", str(demo_db), "list", "courses")
    assert "PRAXIS" in out


def test_empty_database_lists_nothing(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(db_path), "list", "courses")
    assert code == 0
    assert out.splitlines()[-1] == "(aucun)"
    assert run_json(capsys, db_path, "participants") == []


def test_unknown_group_is_one_line_on_stderr(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "list", "participants", "--group", "999")
    assert code != 0
    assert out == ""
    assert one_error_line(err) == "allervers : erreur : Aucun groupe ne porte le numéro 999."
    code, out, err = run(capsys, "--db", str(demo_db), "list", "participants", "--group", "999",
                         "--json")  # fmt: skip
    assert (code != 0, out) == (True, "")
    one_error_line(err)


def test_group_filter_only_for_participants(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "list", "courses", "--group", "1")
    assert code != 0
    assert out == ""
    assert "--group" in one_error_line(err)


@pytest.mark.parametrize(
    "content",
    [b"Nom;Pr\xc3\xa9nom\nMULLER;H\xc3\xa9l\xc3\xa8ne\n", b"\x89PNG\r\n\x1a\n" + bytes(50)],
    ids=["csv", "png"],
)
def test_non_sqlite_file_is_refused_and_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "inscrits.csv"
    path.write_bytes(content)
    before = path.stat().st_mtime_ns
    for argv in (["list", "participants"], ["demo"], ["list", "groups", "--json"]):
        code, out, err = run(capsys, "--db", str(path), *argv)
        assert code != 0
        assert out == ""
        assert "n'est pas une base de données SQLite" in one_error_line(err)
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("inscrits")] == [path.name]


def test_newer_database_is_refused(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(demo_db)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
        connection.commit()
    code, out, err = run(capsys, "--db", str(demo_db), "list", "courses")
    assert code != 0
    assert out == ""
    assert "version plus récente" in one_error_line(err)


def test_environment_variable_is_honoured(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(db_path))
    code, _, err = run(capsys, "demo")
    assert (code, err) == (0, "")
    assert db_path.exists()
    code, out, _ = run(capsys, "list", "participants", "--json")
    assert code == 0
    assert len(json.loads(out)) == 21
    # --db wins over the environment.
    other = db_path.with_name("autre.sqlite3")
    code, out, _ = run(capsys, "--db", str(other), "list", "participants", "--json")
    assert json.loads(out) == []
    assert os.environ[DB_ENV_VAR] == str(db_path)


def test_unknown_kind_is_refused(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--db", str(db_path), "list", "salles"])
    assert caught.value.code != 0
    assert "salles" in capsys.readouterr().err
    assert not db_path.exists()


def test_locked_database_is_one_line_on_stderr(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program writing: the command waits a little, then says so on one line."""
    import sqlite3
    from contextlib import closing

    from allervers_desktop.db import engine

    assert run(capsys, "--db", str(db_path), "list", "courses")[0] == 0  # creates the file
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 50)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other_program:
        other_program.execute("BEGIN IMMEDIATE")
        code, out, err = run(capsys, "--db", str(db_path), "demo")
        other_program.execute("ROLLBACK")
    assert code != 0
    assert out == ""
    assert one_error_line(err) == f"allervers : erreur : {BUSY_MESSAGE}"
