"""Département of an employer, from its address or its FINESS number."""

from __future__ import annotations

import pytest

from allervers_desktop.stats.departements import departement_label, departement_of


@pytest.mark.parametrize(
    ("address", "finess", "expected"),
    [
        ("3 rue des Lilas, 67000 Strasbourg", "", "67"),
        ("BP 12, 57000 Metz Cedex 1", "670001234", "57"),  # the address wins
        ("1 route de la Plage, 97411 Saint-Paul", "", "974"),
        ("Cours Napoléon, 20090 Ajaccio", "", "2A"),
        ("Boulevard Paoli, 20200 Bastia", "", "2B"),
        ("", "2B0001234", "2B"),
        ("", "9D0001234", "974"),
        ("", "570001234", "57"),
        ("rue sans code", "", ""),
        ("12345678 (SIRET en trop)", "", ""),
    ],
)
def test_departement_of(address: str, finess: str, expected: str) -> None:
    assert departement_of(address, finess) == expected


def test_unknown_has_a_french_label() -> None:
    assert (departement_label(""), departement_label("67")) == ("Non renseigné", "67")
