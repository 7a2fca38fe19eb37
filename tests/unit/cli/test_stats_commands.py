"""``allervers stats`` and ``allervers report`` on the hand-counted sample."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from tests.unit.stats.sample import Sample, build_sample


@pytest.fixture
def sample(database: Database) -> Sample:
    return build_sample(database)


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", database.target, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json_has_the_figures(
    database: Database, sample: Sample, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, database, "stats", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {
        key: data[key]
        for key in (
            "groups_held",
            "enrollments",
            "participants_trained",
            "trainee_hours",
            "attendance_rate",
            "no_shows",
            "fill_rate",
        )
    } == {
        "groups_held": 1,
        "enrollments": 6,
        "participants_trained": 3,
        "trainee_hours": 30.17,
        "attendance_rate": 0.5625,
        "no_shows": 1,
        "fill_rate": 0.8,
    }
    strip = [
        {k: line[k] for k in ("label", "participants", "trainee_hours")}
        for line in data["by_departement"]
    ]
    assert strip == [
        {"label": "67", "participants": 2, "trainee_hours": 19.67},
        {"label": "57", "participants": 1, "trainee_hours": 10.5},
    ]
    assert [line["label"] for line in data["by_employer"]] == [
        "=EHPAD Les Tilleuls (Strasbourg)",
        "CCAS de Metz (Metz)",
    ]
    assert [(line["label"], line["participants"]) for line in data["by_job_title"]] == [
        ("Éducatrice", 2),
        ("Infirmier", 1),
        ("Psychologue", 0),
    ]


def test_stats_with_french_dates_and_a_course(
    database: Database, sample: Sample, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        database,
        "stats",
        "--course",
        str(sample.course_id),
        "--from",
        "26/09/2024",
        "--to",
        "26/09/2024",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert (data["trainee_hours"], data["no_shows"], data["participants_trained"]) == (10.5, 2, 2)
    assert data["filter"]["from"] == "2024-09-26"


def test_stats_as_a_french_table(
    database: Database, sample: Sample, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, database, "stats")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["Indicateur", "Valeur"]
    cells = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in lines[2:17])
    assert cells["Heures-stagiaires"] == "30 h 10"
    assert cells["Taux d'assiduité"] == "56,3 %"
    assert cells["Taux de remplissage"] == "80 %"
    assert cells["Jamais venus"] == "1"
    assert "Par département" in out


def test_stats_errors(
    database: Database, sample: Sample, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, database, "stats", "--from", "02/10/2024", "--to", "01/10/2024")
    assert (code, err) == (
        1,
        "allervers : erreur : La période est vide : le 02/10/2024 est après le 01/10/2024.\n",
    )
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, database, "stats", "--from", "32/13/2024")
    assert exit_info.value.code == 2
    assert "date illisible : « 32/13/2024 » (JJ/MM/AAAA)" in capsys.readouterr().err


def test_report_commands(
    database: Database, sample: Sample, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "bilan.xlsx"
    code, out, err = run(capsys, database, "report", "cofinancer", "--out", str(target))
    assert (code, out, err) == (0, f"Fichier « {target} » écrit.\n", "")
    assert load_workbook(target).sheetnames[0] == "Synthèse"
    code, out, _ = run(capsys, database, "report", "cofinancer", "--out", str(tmp_path / "b.pdf"))
    assert (code, out) == (0, f"Fichier « {tmp_path / 'b.pdf'} » écrit.\n")
    code, out, _ = run(capsys, database, "report", "employers", "--out", str(tmp_path), "--json")
    assert code == 0
    assert json.loads(out) == {
        "files": [
            str(tmp_path / "recapitulatif-etablissements.xlsx"),
            str(tmp_path / "recapitulatif-etablissements.pdf"),
        ]
    }
    code, _, err = run(
        capsys, database, "report", "cofinancer", "--course", "999", "--out", str(target)
    )
    assert (code, err) == (1, "allervers : erreur : Aucune formation ne porte le numéro 999.\n")
