"""The provider issues attestations and certificats: its identity, its signatory, agreement."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Course, Participant, TrainingProvider
from allervers_desktop.documents.batch import DocumentRequest, export_documents
from allervers_desktop.documents.model import ISSUERS, DocumentKind, Issuer
from allervers_desktop.services.assessment import set_assessment
from allervers_desktop.services.providers import ProviderData, update_provider
from allervers_desktop.services.settings import StoredImage
from tests.unit.documents.conftest import GROUP_1, ISSUED_ON, enrollment_of, pdf_pages, png

MULLER = 1
SCHNEIDER = 2


def _export(
    database: Database, tmp_path: Path, kind: DocumentKind, participant: int, name: str = "doc.pdf"
) -> tuple[Path, str]:
    path = tmp_path / name
    request = DocumentRequest(
        kind, group_id=GROUP_1, participant_ids=(participant,), issued_on=ISSUED_ON
    )
    export_documents(database, request, path)
    return path, pdf_pages(path)[0]


def test_every_kind_has_a_declared_issuer():
    assert {kind.value for kind in DocumentKind} == set(ISSUERS)
    assert DocumentKind.REALISATION.issuer is Issuer.PROVIDER
    assert DocumentKind.ATTESTATION.issuer is Issuer.PROVIDER
    assert DocumentKind.CONVOCATION.issuer is Issuer.OPCO
    assert DocumentKind.SIGNIN.issuer is Issuer.BOTH


def test_assessment_result_is_ticked(attended, tmp_path):
    database = attended.database
    with database.transaction() as session:
        set_assessment(session, enrollment_of(database, MULLER), "partial")
    _, text = _export(database, tmp_path, DocumentKind.ATTESTATION, MULLER)
    assert (
        "Évaluation des acquis de la formation : Objectifs acquis X Objectifs partiellement "
        "acquis Objectifs non acquis"
    ) in text
    assert "à cocher" not in text
    assert text.count("X ") == 1
    # Without the course flag, the attestation says nothing of an assessment.
    with database.transaction() as session:
        course = session.get(Course, 1)
        assert course is not None
        course.assesses_learning = False
    _, text = _export(database, tmp_path, DocumentKind.ATTESTATION, SCHNEIDER, "b.pdf")
    assert "Évaluation des acquis" not in text


def test_words_agree_with_civility_or_stay_neutral(attended, tmp_path):
    database = attended.database
    _, schneider = _export(database, tmp_path, DocumentKind.REALISATION, SCHNEIDER)
    assert "salarié de l'entreprise" in schneider
    with database.transaction() as session:
        participant = session.get(Participant, MULLER)
        assert participant is not None
        participant.civility = ""
    _, attestation = _export(database, tmp_path, DocumentKind.ATTESTATION, MULLER, "a.pdf")
    assert "atteste que Hélène MULLER (Éducatrice spécialisée" in attestation
    assert "Présent(e) 3 h 30" in attestation and "Absent(e) —" in attestation
    _, certificate = _export(database, tmp_path, DocumentKind.REALISATION, MULLER, "r.pdf")
    assert "salarié(e) de l'entreprise" in certificate


def test_stamp_image_is_printed_in_the_box(attended, tmp_path):
    database = attended.database
    with database.transaction() as session:
        provider = session.scalars(select(TrainingProvider)).one()
        data = ProviderData.from_provider(session, provider)
        data = replace(data, stamp=StoredImage("cachet.png", png(200, 90, "#aa2222")))
        update_provider(session, provider.id, data)
    path, text = _export(database, tmp_path, DocumentKind.REALISATION, MULLER)
    assert "Claire FONTAINE Directrice" in text
    assert len(PdfReader(str(path)).pages[0].images) == 1
    # The Opco's own signature image (« Paramètres ») is never put on the provider's document.
    with database.transaction() as session:
        provider = session.scalars(select(TrainingProvider)).one()
        data = replace(ProviderData.from_provider(session, provider), stamp=None)
        update_provider(session, provider.id, data)
    # MULLER's certificat keeps its stamp (an issued document is reprinted as issued); a new
    # one, for SCHNEIDER, has none.
    path, _ = _export(database, tmp_path, DocumentKind.REALISATION, MULLER, "b.pdf")
    assert len(PdfReader(str(path)).pages[0].images) == 1
    path, _ = _export(database, tmp_path, DocumentKind.REALISATION, SCHNEIDER, "c.pdf")
    assert len(PdfReader(str(path)).pages[0].images) == 0


def test_a_course_without_provider_prints_blanks_never_the_opco(attended, tmp_path):
    database = attended.database
    with database.transaction() as session:
        course = session.get(Course, 1)
        assert course is not None
        course.provider = None
    path = tmp_path / "r.pdf"
    result = export_documents(
        database,
        DocumentRequest(
            DocumentKind.REALISATION,
            group_id=GROUP_1,
            participant_ids=(MULLER,),
            issued_on=ISSUED_ON,
        ),
        path,
    )
    text = pdf_pages(path)[0]
    assert (
        "Je soussigné(e) ……………………………, représentant légal du dispensateur de l'action "
        "concourant au développement des compétences ……………………………"
    ) in text
    assert "Opco Santé – Délégation" not in text and "Aurore JOANNES" not in text
    assert any("raison sociale, représentant légal" in w for w in result.report.warnings)


def _lowest_body_text(path: Path, footer_words: tuple[str, ...]) -> list[float]:
    """Per page, the lowest baseline (mm from the top) of any text that is not the footer."""
    lowest: list[float] = []
    for page in PdfReader(str(path)).pages:
        height = float(page.mediabox.height)
        found: list[float] = []

        def visit(text: str, _cm: object, tm: list[float], *_rest: object) -> None:
            if text.strip() and not any(word in text for word in footer_words):
                found.append((height - tm[5]) * 25.4 / 72)  # noqa: B023

        page.extract_text(visitor_text=visit)
        lowest.append(max(found))
    return lowest


def test_a_long_schedule_flows_onto_a_second_page(attended, tmp_path):
    import datetime as dt

    from allervers_desktop.services import attendance
    from allervers_desktop.services.enrollments import enroll
    from allervers_desktop.services.groups import DayData, GroupData, create_group

    database = attended.database
    with database.transaction() as session:
        days = [DayData(dt.date(2024, 3, 11) + dt.timedelta(days=n)) for n in range(5)]
        group = create_group(
            session, GroupData(course_id=1, label="Groupe long", city="Nancy", days=days)
        )
        enroll(session, group.id, MULLER)
        attendance.mark_all(session, group.id)
        group_id = group.id
    path = tmp_path / "long.pdf"
    export_documents(
        database,
        DocumentRequest(DocumentKind.ATTESTATION, group_id=group_id, issued_on=ISSUED_ON),
        path,
    )
    pages = pdf_pages(path)
    assert len(pages) == 2
    assert "15/03/2024 après-midi" in " ".join(pages)
    assert pages[1].startswith("Attestation n° ATT-2023-0001 – Madame Hélène MULLER (suite)")
    text = " ".join(pages)
    assert "Durée suivie : 35 h sur 35 h prévues" in text, text
    assert "Signature et cachet de l'organisme de formation" in pages[1]
    footer_words = ("PRAXIS – SIRET", "préfet de région", "Attestation n° ATT-2023-0001")
    # Nothing runs into the footer (its rule is 16 mm above the bottom of the page).
    assert all(y < 297 - 16 for y in _lowest_body_text(path, footer_words))
