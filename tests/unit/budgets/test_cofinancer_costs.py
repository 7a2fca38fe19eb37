"""The costs in the « Bilan pour le cofinanceur »: summary lines, the « Coûts » sheet and its
chart read back with openpyxl, and the PDF read back with pypdf (figures of test_figures)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from allervers_desktop.db.database import Database
from allervers_desktop.stats.filters import StatsFilter
from allervers_desktop.stats.reports import write_report
from tests.unit.budgets.test_figures import build_costed_sample


def test_workbook_and_pdf(database: Database, tmp_path: Path) -> None:
    build_costed_sample(database)
    with database.session() as session:
        xlsx, pdf = write_report(session, "cofinancer", StatsFilter(), tmp_path)
    workbook = load_workbook(xlsx)
    assert workbook.sheetnames[:2] == ["Synthèse", "Coûts"]
    summary = workbook["Synthèse"]
    values = {
        row[0]: row[1] for row in summary.iter_rows(values_only=True) if isinstance(row[0], str)
    }
    assert values["Coût total"] == 1470.5
    assert (values["Part Opco"], values["Part cofinanceur(s)"]) == (1050.0, 420.5)
    assert values["dont DGCS"] == 420.5
    assert values["Coût par stagiaire formé"] == 367.62
    assert values["Coût par heure-stagiaire"] == 36.16

    costs = workbook["Coûts"]
    header = next(row for row in range(1, 12) if costs.cell(row, 1).value == "Formation")
    rows = [
        [costs.cell(r, c).value for c in (2, 4, 5, 6, 7, 8, 9)]
        for r in range(header + 1, header + 4)
    ]
    assert rows == [
        ["Groupe 1", 300.0, 741.8, 1041.8, 741.8, 300.0, 3],
        ["Groupe 2", 50.0, 0.0, 50.0, 50.0, 0.0, 0],
        ["Groupe 3", 120.5, 258.2, 378.7, 258.2, 120.5, 2],
    ]
    assert costs.cell(header + 1, 6).number_format == '#,##0.00" €"'
    (chart,) = costs._charts
    opco, cofinancer = chart.series
    assert opco.val.numRef.f == f"'Coûts'!$G${header + 1}:$G${header + 3}"
    assert cofinancer.val.numRef.f == f"'Coûts'!$H${header + 1}:$H${header + 3}"
    assert opco.tx.strRef.f == f"'Coûts'!G{header}"  # « Part Opco »
    assert opco.cat.numRef.f == f"'Coûts'!$B${header + 1}:$B${header + 3}"

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Coût total" in text and "1 470,50 €" in text
    assert "Coût par stagiaire formé" in text and "367,62 €" in text
    assert "Coûts par groupe" in text and "1 041,80 €" in text
