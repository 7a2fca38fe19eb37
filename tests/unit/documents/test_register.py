"""The document register: snapshots, identical reprints, corrected versions, backdating."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import DocumentCounter, IssuedDocument, StoredFile
from allervers_desktop.documents import snapshot
from allervers_desktop.documents.batch import BatchResult, DocumentRequest, export_documents
from allervers_desktop.documents.issuing import changed_documents, load_certificate
from allervers_desktop.documents.model import Certificate, DocumentError, DocumentKind
from allervers_desktop.documents.register import document_register, export_register
from allervers_desktop.services import attendance
from allervers_desktop.services.settings import get_identity, save_identity
from allervers_desktop.services.signed_sheets import attach_sheet
from tests.conftest import TEST_NOW
from tests.unit.documents.conftest import GROUP_1, ISSUED_ON, enrollment_of, pdf_pages

MULLER = 1
PDF_SCAN = b"%PDF-1.4\n% scan\n"


def _export(
    database: Database, path: Path, kind: DocumentKind = DocumentKind.ATTESTATION, **options: Any
) -> tuple[BatchResult, list[str]]:
    request = DocumentRequest(kind, group_id=GROUP_1, **options)
    result = export_documents(database, request, path)
    return result, pdf_pages(path)


def _correct_muller(database: Database) -> None:
    """MULLER Hélène was absent on 26/09 afternoon; the grid is corrected to present."""
    with database.transaction() as session:
        half = attendance.attendance_grid(session, GROUP_1).columns[3].half_day_id
        attendance.set_cell(session, enrollment_of(database, MULLER), half, "present")


def test_snapshot_round_trip_keeps_every_field_and_stores_images_once(attended, tmp_path):
    database = attended.database
    _export(database, tmp_path / "a.pdf", issued_on=ISSUED_ON)
    with database.session() as session:
        documents = session.scalars(select(IssuedDocument).order_by(IssuedDocument.id)).all()
        assert len(documents) == 10
        certificate = load_certificate(session, documents[0])
        assert isinstance(certificate, Certificate)
        assert certificate.number == documents[0].number
        assert certificate.issued_on == ISSUED_ON
        assert certificate.identity == get_identity(session)  # logo and signature bytes too
        assert certificate.hours_attended == documents[0].hours_attended
        again = snapshot.load(session, Certificate, snapshot.encode(certificate)[0])
        assert dataclasses.asdict(again) == dataclasses.asdict(certificate)
        # Ten snapshots, one logo and one signature stored.
        blobs = session.scalar(
            select(func.count())
            .select_from(StoredFile)
            .where(StoredFile.key.startswith(snapshot.BLOB_PREFIX))
        )
        assert blobs == 2
        assert all(b"PNG" not in (document.content or "").encode() for document in documents)


def test_identical_reprint_even_when_settings_and_data_changed(attended, tmp_path):
    database = attended.database
    first, first_pages = _export(database, tmp_path / "a.pdf", participant_ids=(MULLER,))
    with database.transaction() as session:
        identity = get_identity(session)
        save_identity(session, dataclasses.replace(identity, signatory_name="Nouveau SIGNATAIRE"))
    _correct_muller(database)
    second, second_pages = _export(
        database, tmp_path / "b.pdf", participant_ids=(MULLER,), issued_on=dt.date(2023, 10, 2)
    )
    assert second.numbers == first.numbers
    assert second_pages == first_pages  # the same text, number and issue date
    assert "Délivrée le " + TEST_NOW.date().strftime("%d/%m/%Y") in first_pages[0]
    assert "Nouveau SIGNATAIRE" not in second_pages[0]
    warnings = " ".join(second.report.warnings)
    assert "réimprimé(s) à l'identique" in warnings
    assert "heures : 10 h 30 → 14 h" in warnings
    assert "identité de l'émetteur (Paramètres)" in warnings
    assert "la réimpression garde cette date" in warnings
    with database.session() as session:
        (entry,) = document_register(session, GROUP_1)
        assert entry.print_count == 2 and entry.is_valid and not entry.backdated


def test_corrected_version_cancels_and_replaces(attended, tmp_path):
    database = attended.database
    _export(database, tmp_path / "a.pdf", issued_on=ISSUED_ON)  # ATT-2023-0001 … 0010
    _correct_muller(database)
    with database.session() as session:
        (change,) = changed_documents(session, DocumentKind.ATTESTATION, GROUP_1)
    assert change.number == "ATT-2023-0006"
    assert change.changes == ("heures : 10 h 30 → 14 h", "présences")
    result, pages = _export(database, tmp_path / "b.pdf", reissue=True, issued_on=ISSUED_ON)
    assert len(pages) == 10
    muller = next(page for page in pages if "Hélène MULLER" in page)
    assert "N° ATT-2023-0011" in muller
    assert "Annule et remplace le n° ATT-2023-0006" in muller
    assert "Durée suivie : 14 h sur 14 h prévues" in muller
    others = [page for page in pages if page is not muller]
    assert all("Annule et remplace" not in page for page in others)
    assert any(
        "ATT-2023-0011 annule et remplace ATT-2023-0006" in w for w in result.report.warnings
    )
    with database.session() as session:
        entries = [e for e in document_register(session, GROUP_1) if "MULLER" in e.participant_name]
        assert [(e.number, e.state, e.replaces, e.replaced_by) for e in entries] == [
            ("ATT-2023-0006", "cancelled", "", "ATT-2023-0011"),
            ("ATT-2023-0011", "valid", "ATT-2023-0006", ""),
        ]
        assert entries[0].cancelled_at is not None
        assert entries[0].hours_attended == 10.5 and entries[1].hours_attended == 14
        assert changed_documents(session, DocumentKind.ATTESTATION, GROUP_1) == []
    # The corrected version reprints identically, its mention included.
    again, again_pages = _export(database, tmp_path / "c.pdf", participant_ids=(MULLER,))
    assert again.numbers == ["ATT-2023-0011"]
    assert again_pages == [muller]


def test_backdating_is_explicit_and_recorded(attended, tmp_path):
    database = attended.database
    _export(database, tmp_path / "a.pdf", participant_ids=(MULLER,), issued_on=ISSUED_ON)
    _export(database, tmp_path / "b.pdf", participant_ids=(2,))
    with database.session() as session:
        backdated, today = document_register(session, GROUP_1)
    assert backdated.issued_on == ISSUED_ON and backdated.backdated
    assert backdated.created_at.date() == TEST_NOW.date()
    assert today.issued_on == TEST_NOW.date() and not today.backdated
    tomorrow = TEST_NOW.date() + dt.timedelta(days=1)
    with pytest.raises(DocumentError, match="ne peut pas être postérieure à aujourd'hui"):
        _export(database, tmp_path / "c.pdf", participant_ids=(3,), issued_on=tomorrow)
    assert not (tmp_path / "c.pdf").exists()


def test_numbers_per_kind_and_year_come_from_the_counter(attended, tmp_path):
    database = attended.database
    _export(database, tmp_path / "a.pdf", participant_ids=(MULLER,), issued_on=ISSUED_ON)
    _export(database, tmp_path / "b.pdf", DocumentKind.REALISATION, issued_on=dt.date(2024, 1, 5))
    with database.session() as session:
        counters = {
            (c.kind, c.year): c.last_number for c in session.scalars(select(DocumentCounter))
        }
    assert counters == {("attestation", 2023): 1, ("realisation", 2024): 10}


def test_realisation_warns_where_no_signed_sheet_is_attached(attended, tmp_path):
    database = attended.database
    result, _ = _export(database, tmp_path / "a.pdf", DocumentKind.REALISATION)
    warning = next(w for w in result.report.warnings if "feuille d'émargement signée" in w)
    assert "25/09/2023, 26/09/2023" in warning
    with database.transaction() as session:
        attach_sheet(session, GROUP_1, dt.date(2023, 9, 25), "lundi.pdf", PDF_SCAN)
    result, _ = _export(database, tmp_path / "b.pdf", DocumentKind.REALISATION)
    warning = next(w for w in result.report.warnings if "feuille d'émargement signée" in w)
    assert "26/09/2023" in warning and "25/09/2023" not in warning
    attestations, _ = _export(database, tmp_path / "c.pdf")
    assert not any("feuille d'émargement signée" in w for w in attestations.report.warnings)


def test_register_export_reads_back(attended, tmp_path):
    database = attended.database
    _export(database, tmp_path / "a.pdf", issued_on=ISSUED_ON)
    _correct_muller(database)
    _export(database, tmp_path / "b.pdf", participant_ids=(MULLER,), reissue=True)
    target = tmp_path / "journal.xlsx"
    with database.session() as session:
        assert export_register(session, target, GROUP_1) == 11
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Journal des documents"
    header = rows.index(next(row for row in rows if row and row[0] == "N°"))
    headers = list(rows[header])
    data = {row[0]: dict(zip(headers, row, strict=True)) for row in rows[header + 1 :]}
    assert len(data) == 11
    corrected = f"ATT-{TEST_NOW.date().year}-0001"  # issued today: this year's first
    old, new = data["ATT-2023-0006"], data[corrected]
    assert old["État"] == "annulé" and old["Remplacé par"] == corrected
    assert new["État"] == "valide" and new["Remplace"] == "ATT-2023-0006"
    assert old["Heures"] == dt.timedelta(hours=10.5) and new["Heures"] == dt.timedelta(hours=14)
    assert old["Date de délivrance"] == dt.datetime(2023, 9, 27)
    assert old["Antidaté"] == "oui" and new["Antidaté"] in ("", None)
    assert old["Participant"] == "MULLER Hélène"
    assert not list(tmp_path.glob(".*tmp"))


def test_snapshot_of_an_older_version_reads_with_the_defaults_of_new_fields(attended, tmp_path):
    """A field added to the documents' dataclasses later is missing from older snapshots."""
    import json

    database = attended.database
    _export(database, tmp_path / "a.pdf", participant_ids=(MULLER,))
    with database.transaction() as session:
        document = session.scalars(select(IssuedDocument)).one()
        assert document.content is not None
        stored = json.loads(document.content)
        del stored["data"]["replaces_number"]  # as if written before the field existed
        del stored["data"]["participant"]["employer_city"]
        stored["data"]["retired_field"] = "ignored"
        document.content = json.dumps(stored)
    with database.session() as session:
        certificate = load_certificate(session, session.scalars(select(IssuedDocument)).one())
    assert certificate is not None
    assert certificate.replaces_number == "" and certificate.participant.employer_city == ""
    assert certificate.participant.last_name == "MULLER"
    with pytest.raises(snapshot.SnapshotError, match="autre version"):
        snapshot.raw_data(json.dumps({"format": 99, "data": {}}))


def test_a_day_with_a_signed_sheet_stays_in_the_schedule(attended):
    from allervers_desktop.services.errors import ValidationError
    from allervers_desktop.services.groups import (
        GroupData,
        describe_group_deletion,
        get_group,
        update_group,
    )

    database = attended.database
    with database.transaction() as session:
        attach_sheet(session, 2, dt.date(2023, 10, 17), "mardi.pdf", PDF_SCAN)
    with database.session() as session:
        group = get_group(session, 2)
        data = GroupData.from_group(group)
        impact = describe_group_deletion(session, 2)
    assert "1 feuille signée jointe sera supprimée avec le planning." in impact.consequences
    data.days = [day for day in data.days if day.date != dt.date(2023, 10, 17)]
    refused = "17/10/2023 a une feuille d'émargement signée"
    with pytest.raises(ValidationError, match=refused), database.transaction() as session:
        update_group(session, 2, data)
