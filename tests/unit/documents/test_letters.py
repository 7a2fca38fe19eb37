"""Convocations and the course sheet (fiche technique)."""

from __future__ import annotations

import datetime as dt

import pytest

from allervers_desktop.documents.batch import DocumentRequest, export_documents
from allervers_desktop.documents.course_sheet import dates_label
from allervers_desktop.documents.model import DocumentError, DocumentKind
from tests.unit.documents.conftest import GROUP_1, pdf_pages


def test_convocation_per_participant(identity_database, tmp_path):
    path = tmp_path / "convocations.pdf"
    request = DocumentRequest(
        DocumentKind.CONVOCATION, group_id=GROUP_1, issued_on=dt.date(2023, 9, 1)
    )
    result = export_documents(identity_database, request, path)
    pages = pdf_pages(path)
    assert result.documents == 10
    assert result.pages == len(pages) == 20  # the objectives and programme go on overleaf
    letters = [" ".join(pages[i : i + 2]) for i in range(0, len(pages), 2)]
    muller = next(letter for letter in letters if "Madame Hélène MULLER" in letter)
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
        # What the provider asks of the participant, and what the course is about.
        "À apporter De quoi prendre des notes",
        "Accessibilité Pour tout besoin d'adaptation lié à une situation de handicap, contactez "
        "le référent handicap de PRAXIS : Julien MARTIN – handicap@praxis.exemple.fr",
        "Règlement intérieur Le règlement intérieur de PRAXIS, qui s'applique pendant la "
        "formation, est consultable sur https://www.praxis.exemple.fr/reglement-interieur",
        "Objectifs 1. Mettre en perspective les pratiques professionnelles",
        "7. Repenser les organisations",
        "Programme Jour 1 : « ALLER VERS », fondements et enjeux professionnels",
        "Le programme détaillé figure sur la fiche technique jointe.",
        "Financement Opco Santé – Fonds mutualisé de Branche – Cofinancement : DGCS",
    ):
        assert expected in muller, expected
    # Sent by the Opco (« Paramètres »), for the provider.
    assert muller.startswith("Opco Santé – Délégation Grand Est 2 rue de Rome")
    schneider = next(letter for letter in letters if "Monsieur Loïc SCHNEIDER" in letter)
    assert "Monsieur," in schneider
    assert "Vous êtes attendu aux dates" in schneider


def test_convocation_for_chosen_participants_only(identity_database, tmp_path):
    path = tmp_path / "c.pdf"
    request = DocumentRequest(
        DocumentKind.CONVOCATION,
        group_id=GROUP_1,
        participant_ids=(1, 6),
        issued_on=dt.date(2023, 9, 25),
    )
    result = export_documents(identity_database, request, path)
    assert result.documents == 2
    pages = pdf_pages(path)
    assert "Zoé BAUER" in pages[0]
    assert "Hélène MULLER" in pages[2]
    assert "Strasbourg, le 25/09/2023" in pages[0]  # the first day itself is still allowed


def test_convocation_is_never_dated_after_the_first_day(identity_database, tmp_path):
    path = tmp_path / "c.pdf"
    late = DocumentRequest(
        DocumentKind.CONVOCATION, group_id=GROUP_1, issued_on=dt.date(2023, 9, 26)
    )
    with pytest.raises(DocumentError) as caught:
        export_documents(identity_database, late, path)
    assert caught.value.message == (
        "Une convocation ne peut pas être datée du 26/09/2023, après la première journée du "
        "groupe « Groupe 1 » (25/09/2023)."
    )
    # Dated today (the example group took place in 2023): refused, with what to do instead.
    with pytest.raises(DocumentError, match=r"a commencé le 25/09/2023 .* indiquez sa date"):
        export_documents(
            identity_database, DocumentRequest(DocumentKind.CONVOCATION, group_id=GROUP_1), path
        )
    assert not path.exists()


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
