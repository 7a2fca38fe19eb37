"""Splitting a single « Nom Prénom » cell."""

from __future__ import annotations

import pytest

from allervers_desktop.excel.names import NameSplit, split_full_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DUPONT Marie-Claire", NameSplit("DUPONT", "Marie-Claire")),
        ("Marie-Claire DUPONT", NameSplit("DUPONT", "Marie-Claire")),
        ("DE LA FONTAINE Jean", NameSplit("DE LA FONTAINE", "Jean")),
        ("Jean de LA FONTAINE", NameSplit("de LA FONTAINE", "Jean")),
        ("N'DIAYE Aminata", NameSplit("N'DIAYE", "Aminata")),
        ("MÜLLER-SCHMITT Hélène Anne", NameSplit("MÜLLER-SCHMITT", "Hélène Anne")),
        ("DUPONT", NameSplit("DUPONT", "")),
        ("", NameSplit("", "")),
        ("DUPONT MARIE", NameSplit("DUPONT", "Marie", ambiguous=True)),
        ("Martin Paul", NameSplit("Martin", "Paul", ambiguous=True)),
        ("Anne MARTIN Claire", NameSplit("MARTIN", "Anne Claire", ambiguous=True)),
    ],
)
def test_split(text: str, expected: NameSplit) -> None:
    assert split_full_name(text) == expected


def test_first_name_first_when_the_header_says_so() -> None:
    assert split_full_name("Paul Martin", first_name_first=True) == NameSplit(
        "Martin", "Paul", ambiguous=True
    )
