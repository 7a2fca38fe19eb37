"""Header names, header row detection and the column mapping the wizard changes."""

from __future__ import annotations

import pytest

from allervers_desktop.excel.layout import detect_header, layout_at, sample_rows
from allervers_desktop.excel.mapping import ColumnMapping, ImportField, match_header
from allervers_desktop.excel.reading import SheetTable

F = ImportField


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nom", F.LAST_NAME),
        ("NOM", F.LAST_NAME),
        ("Nom de naissance", F.LAST_NAME),
        ("NOM DE FAMILLE", F.LAST_NAME),
        ("Prénom", F.FIRST_NAME),
        ("PRENOM", F.FIRST_NAME),
        ("Civilité", F.CIVILITY),
        ("Civ.", F.CIVILITY),
        ("E-mail", F.EMAIL),
        ("Adresse e-mail", F.EMAIL),
        ("Courriel", F.EMAIL),
        ("Mail", F.EMAIL),
        ("E-mail professionnel", F.EMAIL),
        ("Téléphone", F.PHONE),
        ("Tél.", F.PHONE),
        ("Portable", F.PHONE),
        ("N° de téléphone", F.PHONE),
        ("Fonction", F.JOB_TITLE),
        ("Poste", F.JOB_TITLE),
        ("Fonction occupée", F.JOB_TITLE),
        ("Établissement", F.EMPLOYER),
        ("Employeur", F.EMPLOYER),
        ("Structure", F.EMPLOYER),
        ("Etablissement employeur", F.EMPLOYER),
        ("Nom de l'établissement", F.EMPLOYER),
        ("Ville", F.CITY),
        ("Ville de l'établissement", F.CITY),
        ("Groupe", F.GROUP),
        ("Session", F.GROUP),
        ("N° de groupe", F.GROUP),
        ("Nom Prénom", F.FULL_NAME),
        ("NOM et Prénom", F.FULL_NAME),
        ("Stagiaire", F.FULL_NAME),
        ("Prénom NOM", F.FULL_NAME),
        ("Statut", F.STATUS),
        ("Date d'inscription", F.ENROLLED_ON),
        ("Observations", F.NOTES),
        ("Adresse postale", None),
        ("Date de naissance", None),
        ("N°", None),
        ("Heures réalisées", None),
        ("lun. 25/09 matin", None),
        ("", None),
        ("Liste des participants inscrits à la formation Aller vers", None),
    ],
)
def test_known_header_names(header: str, field: ImportField | None) -> None:
    assert match_header(header) is field


def test_proposed_mapping_leaves_a_second_column_of_the_same_field_out() -> None:
    mapping = ColumnMapping.propose(["Nom", "Tél. fixe", "Portable", "Divers"])
    assert mapping.fields == (F.LAST_NAME, F.PHONE, None, None)
    assert mapping.describe() == [
        ("Nom", "Nom"),
        ("Tél. fixe", "Téléphone"),
        ("Portable", "ignorée"),
        ("Divers", "ignorée"),
    ]


def test_user_can_move_a_field_to_another_column() -> None:
    mapping = ColumnMapping.propose(["Nom", "Tél. fixe", "Portable"])
    changed = mapping.with_field(2, F.PHONE)
    assert changed.fields == (F.LAST_NAME, None, F.PHONE)
    assert changed.column_of(F.PHONE) == 2
    assert changed.with_field(0, None).problems() == [
        "Aucune colonne ne donne le nom des participants : associez une colonne à « Nom » "
        "ou à « Nom et prénom (colonne unique) »."
    ]
    assert mapping.fields == (F.LAST_NAME, F.PHONE, None)  # the original is unchanged


def test_header_found_below_title_lines() -> None:
    table = SheetTable(
        "Feuil1",
        [
            ("Liste des participants — Groupe 1", None, None),
            (None, None, None),
            ("Formation", "Aller vers", None),
            ("NOM", "Prénom", "Courriel"),
            ("DUPONT", "Marie", "marie@exemple.fr"),
        ],
    )
    layout = detect_header(table)
    assert layout is not None
    assert layout.header_row == 4
    assert layout.mapping.fields == (F.LAST_NAME, F.FIRST_NAME, F.EMAIL)
    assert sample_rows(table, layout) == [["DUPONT", "Marie", "marie@exemple.fr"]]


def test_header_beyond_row_twenty_is_not_found() -> None:
    rows = [("titre",)] * 20 + [("Nom", "Prénom"), ("DUPONT", "Marie")]
    assert detect_header(SheetTable("Feuil1", rows)) is None  # type: ignore[arg-type]
    assert layout_at(SheetTable("Feuil1", rows), 21).mapping.fields == (  # type: ignore[arg-type]
        F.LAST_NAME,
        F.FIRST_NAME,
    )
