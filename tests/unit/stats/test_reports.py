"""The reports read back with openpyxl: sheets, values, charts and the cells they refer to."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from allervers_desktop.db.database import Database
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.stats.filters import StatsFilter
from allervers_desktop.stats.reports import write_report
from tests.unit.stats.sample import Sample, build_sample


@pytest.fixture
def sample(database: Database) -> Sample:
    return build_sample(database)


def report(database: Database, kind: str, out: Path, **fields: object) -> list[Path]:
    with database.session() as session:
        return write_report(session, kind, StatsFilter(**fields), out)  # type: ignore[arg-type]


def table(sheet: object, first_row: int) -> list[list[object]]:
    rows = list(sheet.iter_rows(min_row=first_row, values_only=True))  # type: ignore[attr-defined]
    return [list(row) for row in rows]


def minutes(value: object) -> int:
    assert isinstance(value, dt.timedelta), value  # an Excel duration, not a text
    return int(value.total_seconds()) // 60


def test_cofinancer_workbook(database: Database, sample: Sample, tmp_path: Path) -> None:
    target = tmp_path / "bilan.xlsx"
    assert report(database, "cofinancer", target) == [target]
    workbook = load_workbook(target)
    assert workbook.sheetnames == [
        "Synthèse",
        "Par groupe",
        "Par mois",
        "Par établissement",
        "Par ville",
        "Par département",
        "Par fonction",
        "Par civilité",
    ]
    summary = workbook["Synthèse"]
    assert summary["A1"].value == "Bilan pour le cofinanceur"
    assert summary["A2"].value == "Période" and summary["B2"].value == "toutes les dates"
    header = next(row for row in range(1, 10) if summary.cell(row, 1).value == "Indicateur")
    values = {row[0]: tuple(row[1:3]) for row in table(summary, header + 1)}
    assert values["Groupes réalisés"] == (1, None)
    assert values["Groupes annulés"] == (1, None)
    assert values["Inscrits"] == (6, None)
    assert values["Stagiaires formés"] == (3, None)
    assert values["Heures-stagiaires"] == (round(1810 / 60, 2), None)
    assert values["Taux d'assiduité"] == (None, 0.5625)
    assert values["Taux de remplissage"] == (None, 0.8)
    assert values["Jamais venus"] == (6 - 5, None)
    assert summary.cell(header + 10, 3).number_format == "0.0 %"

    employers = workbook["Par établissement"]
    header = next(row for row in range(1, 12) if employers.cell(row, 1).value == "Établissement")
    rows = table(employers, header + 1)
    assert rows == [
        ["=EHPAD Les Tilleuls (Strasbourg)", 2, 2, round(1180 / 60, 2)],
        ["CCAS de Metz (Metz)", 1, 3, 10.5],
    ]
    first = employers.cell(header + 1, 1)
    assert first.data_type == "s" and first.quotePrefix  # text, never a formula
    (chart,) = employers._charts
    (series,) = chart.series
    assert series.val.numRef.f == f"'Par établissement'!$B${header + 1}:$B${header + 2}"
    assert series.cat.numRef.f == f"'Par établissement'!$A${header + 1}:$A${header + 2}"

    months = workbook["Par mois"]
    (line,) = months._charts
    assert type(line).__name__ == "LineChart"
    assert len(workbook["Par groupe"]._charts) == 1
    assert len(workbook["Par groupe"]._charts[0].series) == 2  # fill and attendance rates
    assert workbook["Synthèse"]._charts == []
    departements = workbook["Par département"]
    header = next(row for row in range(1, 12) if departements.cell(row, 1).value == "Département")
    assert [row[0] for row in table(departements, header + 1)] == ["67", "57"]


def test_employers_workbook(database: Database, sample: Sample, tmp_path: Path) -> None:
    target, pdf = report(database, "employers", tmp_path)  # a folder: both files
    assert target == tmp_path / "recapitulatif-etablissements.xlsx"
    assert pdf == tmp_path / "recapitulatif-etablissements.pdf" and pdf.stat().st_size > 0
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Récapitulatif", "Par établissement"]
    detail = workbook["Récapitulatif"]
    header = next(row for row in range(1, 10) if detail.cell(row, 1).value == "Établissement")
    rows = [
        (r[0], r[3], r[7], r[9], r[10], minutes(r[11]), r[12], r[13])
        for r in table(detail, header + 1)
    ]
    # CAMUS and DORE are also in Groupe 3 (planned: 2 half-days, none recorded yet).
    assert rows == [
        ("=EHPAD Les Tilleuls", "AUBRY", "Groupe 1", 4, 4, 840, 0, 0),
        ("=EHPAD Les Tilleuls", "BARDOT", "Groupe 1", 4, 2, 340, 1, 1),
        ("CCAS de Metz", "CAMUS", "Groupe 1", 4, 3, 630, 1, 0),
        ("CCAS de Metz", "CAMUS", "Groupe 3", 2, 0, 0, 0, 0),
        ("CCAS de Metz", "DORE", "Groupe 3", 2, 0, 0, 0, 0),
        ("CCAS de Metz", "ESTIER", "Groupe 1", 4, 0, 0, 2, 0),
    ]
    summary = workbook["Par établissement"]
    header = next(row for row in range(1, 10) if summary.cell(row, 1).value == "Établissement")
    assert [(r[0], r[2], r[3], r[5]) for r in table(summary, header + 1)] == [
        ("=EHPAD Les Tilleuls", 2, 6, 1),
        ("CCAS de Metz", 4, 3, 3),
    ]


def test_an_employer_filter_and_a_period_show_in_the_title(
    database: Database, sample: Sample, tmp_path: Path
) -> None:
    target = tmp_path / "tilleuls.xlsx"
    report(
        database,
        "employers",
        target,
        employer_id=sample.employers["tilleuls"],
        date_from=dt.date(2024, 9, 26),
        date_to=dt.date(2024, 9, 30),
    )
    detail = load_workbook(target)["Récapitulatif"]
    assert detail["B2"].value == "du 26/09/2024 au 30/09/2024"
    header = next(row for row in range(1, 10) if detail.cell(row, 1).value == "Établissement")
    assert [(r[3], r[9], r[10], r[12]) for r in table(detail, header + 1)] == [
        ("AUBRY", 2, 2, 0),
        ("BARDOT", 2, 0, 1),
    ]


def test_wrong_targets_are_refused(database: Database, sample: Sample, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match=r"doit avoir l'extension \.xlsx ou \.pdf"):
        report(database, "cofinancer", tmp_path / "bilan.docx")
    with pytest.raises(ServiceError, match="n'existe pas"):
        report(database, "cofinancer", tmp_path / "absent" / "dossier")
    assert not (tmp_path / "bilan.docx").exists() and not (tmp_path / "absent").exists()


def test_employers_pdf_one_section_per_employer(
    database: Database, sample: Sample, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from allervers_desktop.services.settings import DocumentIdentity, save_identity

    with database.transaction() as session:
        save_identity(
            session,
            DocumentIdentity(organisation_name="Opco Santé Grand Est", address="1 rue X\n67000"),
        )
    target = tmp_path / "recap.pdf"
    assert report(database, "employers", target) == [target]
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert len(pages) == 2  # one page per employer
    tilleuls, metz = pages
    assert "Opco Santé Grand Est" in tilleuls and "Récapitulatif de présence" in tilleuls
    assert "=EHPAD Les Tilleuls (Strasbourg)" in tilleuls and "CCAS" not in tilleuls
    assert "AUBRY Zoé" in tilleuls and "BARDOT Loïc" in tilleuls
    assert "14 h" in tilleuls and "5 h 40" in tilleuls  # AUBRY 840 min, BARDOT 340 min
    assert "Total" in tilleuls and "19 h 40" in tilleuls
    assert "ESTIER Anaïs" in metz and "10 h 30" in metz
    assert "toutes les dates" in metz


def test_a_long_recap_goes_on_over_pages(database: Database, tmp_path: Path) -> None:
    import datetime as dt

    from pypdf import PdfReader

    from allervers_desktop.db.models import (
        Course,
        Employer,
        Enrollment,
        Group,
        GroupDay,
        Participant,
    )

    with database.transaction() as session:
        employer = Employer(name="Foyer Horizon", city="Nancy")
        group = Group(course=Course(title="Aller vers"), label="Groupe 1", status="planned")
        group.days.append(GroupDay(date=dt.date(2024, 9, 25)))
        for number in range(60):
            session.add(
                Enrollment(
                    group=group,
                    status="registered",
                    participant=Participant(last_name=f"NOM{number:02d}", employer=employer),
                )
            )
    target = tmp_path / "long.pdf"
    report(database, "employers", target)
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert len(pages) == 2
    assert (
        "NOM00" in pages[0] and "NOM59" in pages[1] and "Foyer Horizon (Nancy) (suite)" in pages[1]
    )
    assert "Page 1" in pages[0] and "Page 2" in pages[1]


def test_nothing_to_print(database: Database, sample: Sample, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="Aucun inscrit ne correspond"):
        report(database, "employers", tmp_path / "vide.pdf", departement="2A")
    folder = tmp_path / "vide"
    with pytest.raises(ServiceError, match="Aucun inscrit ne correspond"):
        report(database, "employers", folder, departement="2A")
    assert not (tmp_path / "vide.pdf").exists() and list(folder.iterdir()) == []


def test_cofinancer_pdf(database: Database, sample: Sample, tmp_path: Path) -> None:
    from pypdf import PdfReader

    target = tmp_path / "bilan.pdf"
    assert report(database, "cofinancer", target, course_id=sample.course_id) == [target]
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Bilan pour le cofinanceur" in text
    assert "La pratique de l'Aller Vers Module 1" in text  # the course filter, in the title
    assert "Groupes réalisés / prévus / annulés\n1 / 1 / 1" in text
    assert "Heures-stagiaires\n30 h 10" in text and "Taux d'assiduité\n56,3 %" in text
    assert "Stagiaires formés par département" in text and "19 h 40" in text
    assert "Groupe 1 — La pratique de l" in text and "Remplissage et assiduité" in text
    assert reader.metadata is not None and reader.metadata.title == "Bilan pour le cofinanceur"


def test_top_ten_and_others() -> None:
    from allervers_desktop.documents.cofinancer_report import top_lines
    from allervers_desktop.stats.figures import Breakdown

    lines = [Breakdown(str(n), f"E{n}", 20 - n, 30 - n, 60) for n in range(13)]
    shown = top_lines(lines)
    assert [line.label for line in shown] == [*(f"E{n}" for n in range(10)), "Autres (3)"]
    assert (shown[-1].participants, shown[-1].enrolled, shown[-1].trainee_minutes) == (
        10 + 9 + 8,
        20 + 19 + 18,
        180,
    )
    assert top_lines(lines[:11]) == lines[:11]  # « Autres (1) » would hide nothing
