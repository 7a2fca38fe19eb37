"""Commands ``employers``, ``employer``, ``duplicates``, ``conflicts`` and the planning fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.cli.test_data_commands import demo_db, run, run_json  # noqa: F401

SIRET = "73282932000074"


def test_employers_list_edit_and_merge(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    db = str(demo_db)
    code, out, err = run(capsys, "--db", db, "employer", "2", "--siret", "123")
    assert code == 1 and "Le SIRET « 123 » n'est pas valide (14 chiffres)." in err
    code, out, err = run(capsys, "--db", db, "employer", "2", "--siret", SIRET)
    assert (code, err, out) == (0, "", "Établissement « Foyer Saint-Éloi (Colmar) » enregistré.\n")
    code, out, err = run(capsys, "--db", db, "employers", "list", "--json")
    rows = json.loads(out)
    assert [(r["id"], r["participants"]) for r in rows if r["id"] in (1, 2)] == [(1, 4), (2, 4)]
    code, out, err = run(capsys, "--db", db, "employers", "merge", "1", "1")
    assert code == 1 and "lui-même" in err
    code, out, err = run(capsys, "--db", db, "employers", "merge", "1", "2")
    assert (code, err) == (0, "") and "4 participant(s) déplacé(s)" in out
    code, out, err = run(capsys, "--db", db, "employers", "list", "--json")
    assert [(r["participants"], r["siret"]) for r in json.loads(out) if r["id"] == 1] == [
        (8, SIRET)
    ]


def test_duplicates_conflicts_and_listing_fields(
    demo_db: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = str(demo_db)
    assert run(capsys, "--db", db, "duplicates", "--json")[1] == "[]\n"
    assert run(capsys, "--db", db, "conflicts") == (0, "Aucun conflit.\n", "")
    code, _out, err = run(capsys, "--db", db, "conflicts", "--group", "99")
    assert code == 1 and "99" in err
    groups = run_json(capsys, demo_db, "groups")
    assert {g["course_title"] for g in groups} == {"La pratique de l'Aller Vers les publics"}
    people = run_json(capsys, demo_db, "participants")
    assert all(p["phone"].startswith("+33") for p in people if p["phone"])
