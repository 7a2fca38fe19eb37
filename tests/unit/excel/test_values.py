"""Cell values and row cleaning: text, numbers, dates, e-mails, civilities, footers."""

from __future__ import annotations

import datetime as dt

import pytest

from allervers_desktop.excel.cells import cell_date, cell_text, phone_key, phone_text
from allervers_desktop.excel.layout import SheetLayout
from allervers_desktop.excel.mapping import ColumnMapping
from allervers_desktop.excel.reading import SheetTable
from allervers_desktop.excel.rows import is_footer, parse_sheet


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Marie \u00a0 Claire \n", "Marie Claire"),
        ("a\x00b\x07c", "abc"),
        (12, "12"),
        (12.0, "12"),
        (10.5, "10,5"),
        (float("nan"), ""),
        (True, "oui"),
        (dt.datetime(2023, 9, 25), "25/09/2023"),
        (dt.datetime(2023, 9, 25, 14, 30), "25/09/2023 14:30"),
        (dt.date(2023, 9, 25), "25/09/2023"),
        (dt.time(9, 0), "09:00"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "date"),
    [
        (dt.datetime(2023, 9, 25, 0, 0), dt.date(2023, 9, 25)),
        (dt.date(2023, 9, 25), dt.date(2023, 9, 25)),
        ("25/09/2023", dt.date(2023, 9, 25)),
        (" 25/09/23 ", dt.date(2023, 9, 25)),
        ("2023-09-25", dt.date(2023, 9, 25)),
        ("Groupe 1", None),
        (45194, None),
    ],
)
def test_cell_date(value: object, date: dt.date | None) -> None:
    assert cell_date(value) == date  # type: ignore[arg-type]


def test_phone_numbers() -> None:
    assert phone_text(388102030) == "03 88 10 20 30"
    assert phone_text(388102030.0) == "03 88 10 20 30"
    assert phone_text("06.12.34.56.78") == "06.12.34.56.78"
    assert phone_key("+33 3 88 10 20 30") == phone_key("03.88.10.20.30") == "0388102030"
    assert phone_key("0033 3 88 10 20 30") == "0388102030"


@pytest.mark.parametrize(
    "text",
    [
        "Total : 38 inscrits",
        "TOTAL",
        "Sous-total",
        "Nombre de participants : 12",
        "38 inscrits",
        "Totaux",
        "Effectif : 12",
        "nb inscrits 12",
    ],
)
def test_footers(text: str) -> None:
    assert is_footer(text)


@pytest.mark.parametrize("text", ["Totale", "DUPONT", "Nombreuse", "Totem"])
def test_not_footers(text: str) -> None:
    assert not is_footer(text)


def _parse(*rows: tuple[object, ...]) -> list[tuple[int, str | None, list[str], object]]:
    header = ("Civilité", "Nom", "Prénom", "E-mail", "Téléphone", "Établissement", "Ville")
    table = SheetTable("Feuil1", [header, *rows])  # type: ignore[list-item]
    layout = SheetLayout("Feuil1", 1, ColumnMapping.propose(list(header)))
    return [(r.row, r.skip_reason, r.warnings, r.values) for r in parse_sheet(table, layout).rows]


def test_rows_are_cleaned_and_checked() -> None:
    parsed = _parse(
        ("Monsieur", " DURAND ", "jean-luc", " Jean.Durand@Exemple.FR ", "12", "", "Metz"),
        ("Mlle", "PETIT", "Léa", "lea@exemple.fr; autre@exemple.fr", "0102030405", "Foyer", ""),
        ("Dr", "1234", "X", "", "", "", ""),
        ("", "", "", "pas-une-adresse", "", "", ""),
        ("Civilité", "Nom", "Prénom", "E-mail", "", "", ""),
    )
    first = parsed[0]
    assert first[0] == 2 and first[1] is None
    values = first[3]
    assert (values.civility, values.last_name, values.first_name) == ("M.", "DURAND", "Jean-Luc")  # type: ignore[attr-defined]
    assert values.email == "jean.durand@exemple.fr"  # type: ignore[attr-defined]
    assert values.phone == "" and values.city == ""  # type: ignore[attr-defined]
    assert first[2] == [
        "téléphone « 12 » non valide : ignoré",
        "ville « Metz » sans établissement : ignorée",
    ]
    second = parsed[1]
    assert second[3].civility == "Mme"  # type: ignore[attr-defined]
    assert second[3].email == "lea@exemple.fr"  # type: ignore[attr-defined]
    assert second[2] == [
        "plusieurs adresses e-mail (« lea@exemple.fr; autre@exemple.fr ») : "
        "seule « lea@exemple.fr » est gardée"
    ]
    assert parsed[2][1] == "le nom « 1234 » ne contient aucune lettre"
    assert parsed[2][2] == ["civilité « Dr » non reconnue (M. ou Mme) : ignorée"]
    assert parsed[3][1] == "nom manquant"
    assert parsed[4][1] == "ligne d'en-tête répétée"


def test_too_long_values_skip_the_row() -> None:
    parsed = _parse(("", "X" * 101, "", "", "", "", ""))
    assert parsed[0][1] == "« Nom » trop long (101 caractères, 100 au plus)"
