"""Amounts as users write them: French and plain forms accepted, anything else refused in French."""

from __future__ import annotations

import pytest

from allervers_desktop.budgets.amounts import euros, parse_amount
from allervers_desktop.services.errors import ServiceError


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1 234,50", 123450),
        ("1234.5", 123450),
        ("1 234,50 €", 123450),
        ("1\u00a0234,50\u00a0€", 123450),
        ("1\u202f234,5", 123450),
        ("80", 8000),
        ("80 €", 8000),
        ("0,05", 5),
        ("1 000 000", 100000000),
        (" 7,1 ", 710),
    ],
)
def test_good_amounts(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Montant manquant"),
        ("  € ", "Montant manquant"),
        ("-12,00", "négatif"),
        ("12,345", "deux décimales"),
        ("12,", "deux décimales"),
        ("1.234,50", "deux décimales"),
        ("douze", "illisible"),
        ("12 34,5", "illisible"),
        ("12 $", "illisible"),
        ("1e3", "illisible"),
        ("20 000 000", "trop élevé"),
    ],
)
def test_bad_amounts_are_refused_in_french(text: str, message: str) -> None:
    with pytest.raises(ServiceError, match=message):
        parse_amount(text)


def test_euros_are_shown_the_french_way() -> None:
    assert euros(123450) == "1 234,50 €"
    assert euros(5) == "0,05 €"
    assert euros(36762.5) == "367,62 €"  # round half to even on the cent
    assert euros(100000000) == "1 000 000,00 €"
