"""Attestations de présence and certificats de réalisation: content, numbers, reprints, log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import EnrollmentStatus, IssuedDocument
from allervers_desktop.documents.batch import BatchResult, DocumentRequest, export_documents
from allervers_desktop.documents.issuing import issued_numbers
from allervers_desktop.documents.model import DocumentError, DocumentKind
from allervers_desktop.documents.register import document_register
from allervers_desktop.services import attendance
from allervers_desktop.services.enrollments import set_status
from tests.unit.documents.conftest import GROUP_1, ISSUED_ON, enrollment_of, pdf_pages

MULLER = 1  # participant ids of the example data
SCHNEIDER = 2
BAUER = 6


def _export(
    database: Database, tmp_path: Path, kind: DocumentKind, name: str = "doc.pdf", **options: Any
) -> tuple[BatchResult, list[str]]:
    options.setdefault("issued_on", ISSUED_ON)
    request = DocumentRequest(kind, group_id=GROUP_1, **options)
    path = tmp_path / name
    result = export_documents(database, request, path)
    return result, pdf_pages(path)


def test_attestation_states_hours_attended_out_of_planned(attended, tmp_path):
    result, pages = _export(
        attended.database, tmp_path, DocumentKind.ATTESTATION, participant_ids=(MULLER,)
    )
    assert result.documents == 1
    assert len(pages) == 1
    text = pages[0]
    for expected in (
        "PRAXIS 12 rue du Faubourg National 67000 Strasbourg "
        "SIRET 123 456 782 00010 – NDA 44 67 99999 67",
        "ATTESTATION DE FIN DE FORMATION",
        "N° ATT-2023-0001",
        "Je soussigné(e) Claire FONTAINE, Directrice de PRAXIS, atteste que Madame Hélène "
        "MULLER (Éducatrice spécialisée, Association Le Relais de l'Ill) a suivi l'action de "
        "formation suivante :",
        "La pratique de l'Aller Vers les publics",
        "Module 1 « Aller vers : une nécessaire préparation »",
        "Nature de l'action Action de formation",
        "Groupe 1 – Strasbourg",
        "Du 25/09/2023 au 26/09/2023",
        "Action financée par Opco Santé – Fonds mutualisé de Branche – Cofinancement : DGCS",
        "Objectifs de la formation 1. Mettre en perspective",
        "7. Repenser les organisations",
        "26/09/2023 après-midi 13 h 30 – 17 h 00 Absente —",
        "25/09/2023 matin 9 h 00 – 12 h 30 Présente 3 h 30",
        "Durée suivie : 10 h 30 sur 14 h prévues",
        "3 demi-journées suivies sur 4",
        "Fait à Strasbourg, le 27/09/2023",
        "Signature et cachet de l'organisme de formation Claire FONTAINE Directrice",
        "Déclaration d'activité enregistrée sous le n° 44 67 99999 67 auprès du préfet de "
        "région Grand Est",
        "Attestation n° ATT-2023-0001",
    ):
        assert expected in text, expected
    # The Opco of « Paramètres » is the financer, never the issuer nor the signatory.
    assert "Aurore JOANNES" not in text
    assert "Délégation Grand Est" not in text
    assert "lun." not in text and "mar." not in text


def test_excused_reason_and_late_are_shown(attended, tmp_path):
    _, pages = _export(
        attended.database,
        tmp_path,
        DocumentKind.ATTESTATION,
        participant_ids=(SCHNEIDER, BAUER),
    )
    bauer, schneider = pages  # alphabetical order
    assert "Madame Zoé BAUER" in bauer
    assert "matin 9 h 00 – 12 h 30 En retard (arrivée 9 h 20) 3 h 10" in bauer
    assert "Présente 3 h 30" in bauer
    assert "Durée suivie : 13 h 40 sur 14 h prévues" in bauer
    assert "Monsieur Loïc SCHNEIDER" in schneider
    assert "Excusé (médecin) —" in schneider
    assert "Présent 3 h 30" in schneider and "Présente" not in schneider
    assert "Durée suivie : 10 h 30 sur 14 h prévues" in schneider


def test_a_reprint_is_the_document_as_issued_even_after_a_change(attended, tmp_path):
    database = attended.database
    first, first_pages = _export(database, tmp_path, DocumentKind.ATTESTATION, "a.pdf")
    assert first.numbers == [f"ATT-2023-{n:04d}" for n in range(1, 11)]
    # Later, MULLER's absence is corrected to present, and everything is printed again.
    muller = enrollment_of(database, MULLER)
    with database.transaction() as session:
        half = attendance.attendance_grid(session, GROUP_1).columns[3].half_day_id
        attendance.set_cell(session, muller, half, "present")
    second, pages = _export(
        database, tmp_path, DocumentKind.ATTESTATION, "b.pdf", participant_ids=(MULLER,)
    )
    assert second.numbers == ["ATT-2023-0006"]
    assert pages[0] == next(page for page in first_pages if "N° ATT-2023-0006" in page)
    assert "Durée suivie : 10 h 30 sur 14 h prévues" in pages[0]
    assert any(
        "MULLER Hélène : ATT-2023-0006 (heures : 10 h 30 → 14 h, présences)" in line
        for line in second.report.warnings
    )
    with database.session() as session:
        log = document_register(session, GROUP_1)
        assert len(log) == 10
        entry = next(item for item in log if item.number == "ATT-2023-0006")
        assert entry.participant_name == "MULLER Hélène"
        assert entry.print_count == 2
        assert entry.hours_attended == 10.5
        assert {item.print_count for item in log if item is not entry} == {1}
        assert issued_numbers(session, [muller]) == ["ATT-2023-0006"]


def test_numbers_continue_per_kind_and_year(attended, tmp_path):
    database = attended.database
    _export(database, tmp_path, DocumentKind.ATTESTATION, "a.pdf", participant_ids=(MULLER,))
    result, _ = _export(
        database, tmp_path, DocumentKind.ATTESTATION, "b.pdf", participant_ids=(BAUER, SCHNEIDER)
    )
    assert result.numbers == ["ATT-2023-0002", "ATT-2023-0003"]
    later, _ = _export(
        database,
        tmp_path,
        DocumentKind.REALISATION,
        "c.pdf",
        participant_ids=(MULLER,),
        issued_on=dt.date(2024, 1, 5),
    )
    assert later.numbers == ["CR-2024-0001"]


def test_no_attendance_recorded_is_reported_not_given_zero_hours(identity_database, tmp_path):
    database = identity_database
    with database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        first = grid.columns[0].half_day_id
        by_name = {row.name: row.enrollment_id for row in grid.rows}
        attendance.set_cell(session, by_name["MULLER Hélène"], first, "present")
        attendance.set_cell(session, by_name["KLEIN Amélie"], first, "absent")
    result, pages = _export(database, tmp_path, DocumentKind.ATTESTATION)
    assert result.documents == 1
    assert "Madame Hélène MULLER" in pages[0]
    assert "Durée suivie : 3 h 30 sur 14 h prévues" in pages[0]
    assert "non saisi" in pages[0]
    skipped = result.report.skipped
    assert "KLEIN Amélie : aucune demi-journée suivie, pas d'attestation." in skipped
    assert "WEBER Céline : aucune présence saisie, pas d'attestation." in skipped
    assert len(skipped) == 9
    assert any(
        "MULLER Hélène : 3 demi-journées sans présence saisie" in line
        for line in result.report.warnings
    )
    with database.session() as session:
        assert len(session.scalars(select(IssuedDocument)).all()) == 1


def test_nobody_who_attended_nothing_gets_a_certificate(identity_database, tmp_path):
    database = identity_database
    with database.transaction() as session:
        attendance.mark_all(session, GROUP_1, "absent")
    with pytest.raises(DocumentError, match="Aucun document à produire") as caught:
        _export(database, tmp_path, DocumentKind.REALISATION, "r.pdf")
    assert "BAUER Zoé : aucune demi-journée suivie, pas de certificat." in caught.value.message
    with pytest.raises(DocumentError) as asked:
        _export(database, tmp_path, DocumentKind.ATTESTATION, "a.pdf", participant_ids=(BAUER,))
    assert asked.value.message == "BAUER Zoé : aucune demi-journée suivie, pas d'attestation."
    assert not (tmp_path / "a.pdf").exists()


def test_cancelled_or_unknown_participants_are_refused(attended, tmp_path):
    database = attended.database
    with database.transaction() as session:
        set_status(session, enrollment_of(database, MULLER), EnrollmentStatus.CANCELLED.value)
    with pytest.raises(DocumentError, match="MULLER Hélène est annulée"):
        _export(database, tmp_path, DocumentKind.ATTESTATION, participant_ids=(MULLER,))
    with pytest.raises(DocumentError, match="BECKER Jérôme n'est pas inscrit"):
        _export(database, tmp_path, DocumentKind.ATTESTATION, participant_ids=(11,))


def test_unknown_representative_leaves_the_line_blank_never_the_opco(attended, tmp_path):
    from allervers_desktop.db.models import TrainingProvider

    with attended.database.transaction() as session:
        provider = session.scalars(select(TrainingProvider)).one()
        provider.legal_representative = ""
        provider.legal_representative_title = ""
        provider.nda = ""
    result, pages = _export(
        attended.database, tmp_path, DocumentKind.REALISATION, participant_ids=(MULLER,)
    )
    text = pages[0]
    assert any(
        "Identité de l'organisme de formation incomplète (représentant légal, numéro de "
        "déclaration d'activité)" in line
        for line in result.report.warnings
    )
    assert (
        "Je soussigné(e) ……………………………, représentant légal du dispensateur de l'action "
        "concourant au développement des compétences PRAXIS"
    ) in text
    assert "Aurore JOANNES" not in text  # the Paramètres signatory is the Opco's
    assert "Fait à : Strasbourg" in text  # the provider's city
    _, attestation = _export(
        attended.database, tmp_path, DocumentKind.ATTESTATION, "a.pdf", participant_ids=(MULLER,)
    )
    assert "Je soussigné(e) ……………………………, pour PRAXIS, atteste que" in attestation[0]
    assert "Aurore JOANNES" not in attestation[0]


def test_certificat_de_realisation_follows_the_ministry_model(attended, tmp_path):
    result, pages = _export(
        attended.database, tmp_path, DocumentKind.REALISATION, participant_ids=(MULLER,)
    )
    assert result.numbers == ["CR-2023-0001"]
    text = pages[0]
    for expected in (
        "CERTIFICAT DE RÉALISATION",
        "PRAXIS 12 rue du Faubourg National 67000 Strasbourg SIRET 123 456 782 00010 – NDA 44 "
        "67 99999 67 N° CR-2023-0001",
        "Je soussigné(e) Claire FONTAINE, représentant légal du dispensateur de l'action "
        "concourant au développement des compétences PRAXIS",
        "atteste que :",
        "Madame Hélène MULLER",
        "salariée de l'entreprise Association Le Relais de l'Ill",
        "a suivi l'action La pratique de l'Aller Vers les publics",
        "Nature de l'action concourant au développement des compétences :",
        "X action de formation",
        "bilan de compétences",
        "action de VAE",
        "action de formation par apprentissage",
        "qui s'est déroulée du 25/09/2023 au 26/09/2023 pour une durée de 10 h 30.",
        "je m'engage à conserver l'ensemble des pièces justificatives",
        "pendant une durée de 3 ans",
        "Fait à : Strasbourg",
        "Le : 27/09/2023",
        "Cachet et signature du responsable du dispensateur de formation (nom, prénom, "
        "qualité du signataire) Claire FONTAINE Directrice",
        "Action financée par Opco Santé – Fonds mutualisé de Branche – Cofinancement : DGCS.",
        "PRAXIS – SIRET 123 456 782 00010 – Déclaration d'activité enregistrée sous le n° 44 67 "
        "99999 67 auprès du préfet de région Grand Est. Cet enregistrement ne vaut pas agrément "
        "de l'État.",
    ):
        assert expected in text, expected
    assert text.count("X ") == 1  # one box ticked
    assert "Aurore JOANNES" not in text and "Délégation Grand Est" not in text


def test_realisation_ticks_the_course_nature(attended, tmp_path):
    from allervers_desktop.db.models import Course

    with attended.database.transaction() as session:
        course = session.get(Course, 1)
        assert course is not None
        course.action_nature = "vae"
    _, pages = _export(
        attended.database, tmp_path, DocumentKind.REALISATION, participant_ids=(BAUER,)
    )
    assert "X action de VAE" in pages[0]
    assert "X action de formation" not in pages[0]
