"""Convocations and the course sheet (fiche technique)."""

from __future__ import annotations

import datetime as dt

from allervers_desktop.documents.batch import DocumentRequest, export_documents
from allervers_desktop.documents.course_sheet import dates_label
from allervers_desktop.documents.model import DocumentKind
from tests.unit.documents.conftest import GROUP_1, pdf_pages


def test_convocation_per_participant(identity_database, tmp_path):
    path = tmp_path / "convocations.pdf"
    request = DocumentRequest(
        DocumentKind.CONVOCATION, group_id=GROUP_1, issued_on=dt.date(2023, 9, 1)
    )
    result = export_documents(identity_database, request, path)
    pages = pdf_pages(path)
    assert result.documents == len(pages) == 10
    muller = next(page for page in pages if "Madame Hélène MULLER" in page)
    for expected in (
        "CONVOCATION",
        "Strasbourg, le 01/09/2023",
        "Objet : convocation à la formation « La pratique de l'Aller Vers les publics »",
        "Madame,",
        "Module 1 « Aller vers : une nécessaire préparation »",
        "animée par PRAXIS",
        "Vous êtes attendue aux dates et horaires suivants",
        "Lundi 25 septembre 2023 9 h 00 – 12 h 30 13 h 30 – 17 h 00",
        "Mardi 26 septembre 2023 9 h 00 – 12 h 30 13 h 30 – 17 h 00",
        "Groupe 1 – Strasbourg",
        "PRAXIS — 12 rue du Faubourg National, 67000 Strasbourg",
        "14 h",
        "Chantal CORNIER, Chargée de projets",
        "Jean-Xavier COUROT, Chef de service hébergement",
        "Occuper une fonction d'intervenant social",
        "Aurore JOANNES – aurore.joannes@opco-sante.fr (Opco Santé)",
        "Aurore JOANNES Chargée de mission formation",
    ):
        assert expected in muller, expected
    schneider = next(page for page in pages if "Monsieur Loïc SCHNEIDER" in page)
    assert "Monsieur," in schneider
    assert "Vous êtes attendu aux dates" in schneider


def test_convocation_for_chosen_participants_only(identity_database, tmp_path):
    path = tmp_path / "c.pdf"
    request = DocumentRequest(DocumentKind.CONVOCATION, group_id=GROUP_1, participant_ids=(1, 6))
    result = export_documents(identity_database, request, path)
    assert result.documents == 2
    pages = pdf_pages(path)
    assert "Zoé BAUER" in pages[0]
    assert "Hélène MULLER" in pages[1]


def test_course_sheet_has_every_section_of_the_seed(identity_database, tmp_path):
    path = tmp_path / "fiche.pdf"
    request = DocumentRequest(DocumentKind.COURSE_SHEET, course_id=1)
    result = export_documents(identity_database, request, path)
    pages = pdf_pages(path)
    assert result.pages == len(pages) == 2
    text = " ".join(pages)
    for expected in (
        "FICHE TECHNIQUE",
        "Grand Est · Fonds mutualisé de Branche",
        "La pratique de l'Aller Vers les publics",
        "Module 1 « Aller vers : une nécessaire préparation »",
        "SECTEURS Social et Médico-social",
        "PUBLIC Les travailleurs sociaux et les professionnels de première ligne",
        "DURÉE 2 jours (14 h)",
        "ORGANISME DE FORMATION PRAXIS",
        "LIEUX & DATES Groupe 1 STRASBOURG Les 25 & 26 sept. 2023 "
        "Groupe 2 METZ Les 16 & 17 oct. 2023",
        "INTERLOCUTEUR OPCO SANTÉ Aurore JOANNES aurore.joannes@opco-sante.fr",
        "Chantal CORNIER Chargée de projets",
        "Jean-Xavier COUROT Chef de service hébergement",
        "Lara GELDREICH Directrice d'un chez soi d'abord",
        "PARTENARIAT & COFINANCEMENT DGCS",
        "Contexte",
        "mise en œuvre de tout type de projet d'accompagnement social",
        "Objectifs",
        "Repenser les organisations",
        "Prérequis",
        "Occuper une fonction d'intervenant social",
        "Contenu",
        "Jour 1 : « ALLER VERS », fondements et enjeux professionnels",
        "Jour 2 : « ALLER VERS », un élément incontournable pour une pratique professionnelle",
        "dispositifs existants",
        "page 1 / 2",
        "page 2 / 2",
    ):
        assert expected in text, expected


def test_course_sheet_keeps_every_programme_item_of_the_seed(identity_database, tmp_path):
    path = tmp_path / "fiche.pdf"
    export_documents(
        identity_database, DocumentRequest(DocumentKind.COURSE_SHEET, course_id=1), path
    )
    text = " ".join(pdf_pages(path)).replace("’", "'")
    items = [
        "Les enjeux sociétaux",
        "La genèse de cette notion : feed back sur les modèles professionnels",
        "Identification de la question du sens de l'ALLER VERS et de sa finalité",
        "La mobilisation des acteurs d'un territoire incontournable dans la rencontre d'un "
        "public « invisible »",
    ]
    for item in items:
        assert item in text, item


def test_dates_label():
    assert dates_label([dt.date(2023, 9, 26), dt.date(2023, 9, 25)]) == "Les 25 & 26 sept. 2023"
    assert dates_label([dt.date(2023, 10, 3)]) == "Le 3 oct. 2023"
    days = [dt.date(2023, 9, 29), dt.date(2023, 9, 30), dt.date(2023, 10, 1)]
    assert dates_label(days) == "Les 29 & 30 sept. & 1 oct. 2023"
    assert dates_label([dt.date(2023, 12, 31), dt.date(2024, 1, 2)]) == (
        "Les 31 déc. 2023, 2 janv. 2024"
    )
    assert dates_label([]) == "Dates à venir"
