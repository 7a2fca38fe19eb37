"""The complaints log: record, edit, close (a closed one has its date), list, export read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from allervers_desktop.db.database import Database
from allervers_desktop.services.complaints import (
    EXPORT_HEADERS,
    ComplaintData,
    add_complaint,
    close_complaint,
    export_complaints,
    list_complaints,
    update_complaint,
)
from allervers_desktop.services.errors import ServiceError
from tests.unit.stats.sample import Sample, build_sample


@pytest.fixture
def sample(database: Database) -> Sample:
    return build_sample(database)


def test_record_edit_close_and_list(database: Database, sample: Sample) -> None:
    g1 = sample.groups["g1"]
    with database.transaction() as session:
        first = add_complaint(
            session,
            ComplaintData(
                received_on=dt.date(2024, 9, 27),
                source="stagiaire",
                description="Salle trop petite",
                group_id=g1,
            ),
        ).id
        second = add_complaint(
            session,
            ComplaintData(dt.date(2024, 10, 2), "employeur", "Convocation reçue tard"),
        ).id
    with database.transaction() as session:
        update_complaint(
            session,
            first,
            ComplaintData(
                dt.date(2024, 9, 27),
                "stagiaire",
                "Salle trop petite",
                group_id=g1,
                analysis="18 places pour 20",
                status="en cours",
                person_in_charge="  Mme  MARTIN ",
            ),
        )
        closed = close_complaint(
            session, first, on=dt.date(2024, 10, 5), action="Salle Kléber réservée"
        )
        assert (closed.status, closed.closed_on) == ("closed", dt.date(2024, 10, 5))
        with pytest.raises(ServiceError, match="déjà close"):
            close_complaint(session, first)
    with database.session() as session:
        everything = list_complaints(session)
        assert [r.id for r in everything] == [second, first]  # newest first
        done = list_complaints(session, status="close")
        assert [(r.id, r.action_taken, r.person_in_charge, r.group) for r in done] == [
            (first, "Salle Kléber réservée", "Mme MARTIN", "Groupe 1 – Strasbourg")
        ]
        assert [r.id for r in list_complaints(session, group_id=g1)] == [first]
        assert [r.status_label for r in list_complaints(session, status="ouverte")] == ["Ouverte"]


def test_refusals_in_french(database: Database, sample: Sample) -> None:
    with database.transaction() as session:
        with pytest.raises(ServiceError, match="description est obligatoire"):
            add_complaint(session, ComplaintData(dt.date(2024, 1, 1), "interne", "  "))
        with pytest.raises(ServiceError, match="Origine inconnue « voisin »"):
            add_complaint(session, ComplaintData(dt.date(2024, 1, 1), "voisin", "Bruit"))
        with pytest.raises(ServiceError, match="Aucun groupe ne porte le numéro 99"):
            add_complaint(session, ComplaintData(dt.date(2024, 1, 1), "autre", "x", group_id=99))
        with pytest.raises(ServiceError, match="ne peut pas précéder"):
            add_complaint(
                session,
                ComplaintData(
                    dt.date(2024, 3, 1), "autre", "x", status="close", closed_on=dt.date(2024, 1, 1)
                ),
            )
        with pytest.raises(ServiceError, match="Aucune réclamation ne porte le numéro 7"):
            close_complaint(session, 7)


def test_the_database_refuses_a_closed_complaint_without_its_date(
    database: Database, sample: Sample
) -> None:
    with database.transaction() as session:
        complaint_id = add_complaint(
            session, ComplaintData(dt.date(2024, 1, 1), "interne", "Retard du formateur")
        ).id
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(
            text("UPDATE complaints SET status = 'closed', closed_on = NULL WHERE id = :id"),
            {"id": complaint_id},
        )


def test_export_read_back(database: Database, sample: Sample, tmp_path: Path) -> None:
    with database.transaction() as session:
        add_complaint(
            session,
            ComplaintData(
                dt.date(2024, 9, 27),
                "financeur",
                '=HYPERLINK("http://x")',  # user text must stay text
                group_id=sample.groups["g1"],
                status="close",
                closed_on=dt.date(2024, 9, 30),
            ),
        )
    target = tmp_path / "reclamations.xlsx"
    with database.session() as session:
        assert export_complaints(session, target) == 1
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
    header = rows.index(tuple(EXPORT_HEADERS))
    line = rows[header + 1]
    assert line[1] == dt.datetime(2024, 9, 27)
    assert line[2:5] == ("Financeur", "Groupe 1 – Strasbourg", '=HYPERLINK("http://x")')
    assert (line[8], line[9]) == ("Close", dt.datetime(2024, 9, 30))
    cell = sheet.cell(row=header + 2, column=5)
    assert cell.data_type == "s"  # text, not a formula
    with database.session() as session, pytest.raises(ServiceError, match=r"extension \.xlsx"):
        export_complaints(session, tmp_path / "reclamations.csv")
