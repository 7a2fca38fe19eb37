"""The ``cost`` command: add, list, delete; French amounts; exit codes and French errors."""

from __future__ import annotations

import json

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from tests.unit.stats.sample import Sample, build_sample


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", database.target, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample(database: Database) -> Sample:
    return build_sample(database)


def test_add_list_delete_and_the_stats(
    capsys: pytest.CaptureFixture[str], database: Database, sample: Sample
) -> None:
    g1 = str(sample.groups["g1"])
    code, out, err = run(
        capsys, database, "cost", "add", "--group", g1, "--kind", "salle",
        "--amount", "1 234,50 €", "--funder", "cofinanceur", "--cofinancer", "DGCS",
        "--label", "=Salle Kléber",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "1 234,50 €" in out and "Cofinanceur (DGCS)" in out
    code, out, err = run(
        capsys, database, "cost", "add", "--course", str(sample.course_id), "--kind",
        "prestataire", "--amount", "1000", "--funder", "opco", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    added = json.loads(out)
    assert (added["amount"], added["funder"], added["course_id"]) == (
        1000.0,
        "opco",
        sample.course_id,
    )
    code, out, err = run(capsys, database, "cost", "list", "--json")
    rows = json.loads(out)
    assert [(r["kind"], r["amount"], r["label"]) for r in rows] == [
        ("provider", 1000.0, ""),  # the course's lines first
        ("venue", 1234.5, "=Salle Kléber"),
    ]
    code, out, err = run(capsys, database, "cost", "list", "--group", g1)
    assert code == 0 and "Total : 1 234,50 €" in out
    # Groupe 1 is the only held group: the whole course cost is its own; 3 people trained,
    # 1810 minutes: (123 450 + 100 000) / 3 = 74 483,33 cents; × 60 / 1810 = 7 407,18.
    code, out, err = run(capsys, database, "stats", "--json")
    figures = json.loads(out)
    assert (figures["total_cost"], figures["opco_cost"], figures["cofinancer_cost"]) == (
        2234.5,
        1000.0,
        1234.5,
    )
    assert figures["cost_per_participant"] == 744.83
    assert figures["cost_per_trainee_hour"] == 74.07
    code, out, err = run(capsys, database, "stats")
    assert "Coût par stagiaire formé  744,83 €" in out
    code, out, err = run(capsys, database, "cost", "delete", str(rows[1]["id"]))
    assert (code, err) == (0, "") and "supprimée" in out
    code, out, err = run(capsys, database, "cost", "list", "--json")
    assert [r["kind"] for r in json.loads(out)] == ["provider"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--amount", "12,345", "--funder", "opco"], "deux décimales au plus"),
        (["--amount", "-5", "--funder", "opco"], "Montant négatif refusé"),
        (["--amount", "5", "--funder", "cofinanceur"], "Indiquez le nom du cofinanceur"),
        (["--amount", "5", "--funder", "region"], "Financeur inconnu « region »"),
    ],
)
def test_bad_input_is_refused_in_french(
    capsys: pytest.CaptureFixture[str],
    database: Database,
    sample: Sample,
    argv: list[str],
    message: str,
) -> None:
    code, out, err = run(
        capsys, database, "cost", "add", "--group", str(sample.groups["g1"]), "--kind", "salle",
        *argv,
    )  # fmt: skip
    assert code == 1
    assert err.startswith("allervers : erreur : ") and message in err
    code, out, err = run(capsys, database, "cost", "list", "--json")
    assert json.loads(out) == []


def test_unknown_line_and_group(
    capsys: pytest.CaptureFixture[str], database: Database, sample: Sample
) -> None:
    code, _out, err = run(capsys, database, "cost", "delete", "42")
    assert (code, err) == (1, "allervers : erreur : Aucune ligne de coût n° 42.\n")
    code, _out, err = run(
        capsys, database, "cost", "add", "--group", "99", "--kind", "salle", "--amount", "5",
        "--funder", "opco",
    )  # fmt: skip
    assert code == 1 and "Aucun groupe ne porte le numéro 99." in err
