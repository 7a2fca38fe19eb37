"""Phone numbers: stored in E.164, shown the French way, kept as typed when not a number."""

from __future__ import annotations

import pytest

from allervers_desktop.formatting import phone
from allervers_desktop.phones import display_phone, is_normalised, store_phone
from allervers_desktop.services.errors import Errors
from allervers_desktop.services.validation import clean_phone


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("0623456789", "+33623456789", "06 23 45 67 89"),
        ("06.45.67.89.01", "+33645678901", "06 45 67 89 01"),
        ("+33 3 88 10 20 30", "+33388102030", "03 88 10 20 30"),
        ("0033 6 23 45 67 89", "+33623456789", "06 23 45 67 89"),
        ("+49 30 1234567", "+49301234567", "+49 30 1234567"),
        ("poste 12", "poste 12", "poste 12"),
        ("06 12", "06 12", "06 12"),
        ("", "", ""),
    ],
)
def test_stored_and_shown(typed: str, stored: str, shown: str) -> None:
    assert store_phone(typed) == stored
    assert display_phone(stored) == shown == phone(stored)
    assert is_normalised(stored) == stored.startswith("+")


def test_clean_phone_stores_e164_and_keeps_an_unreadable_number_as_typed() -> None:
    errors = Errors()
    assert clean_phone(errors, "phone", " 06 23  45 67 89 ") == "+33623456789"
    assert clean_phone(errors, "phone", "06 12 34") == "06 12 34"
    assert not errors.items
    assert clean_phone(errors, "phone", "appeler Marie") == "appeler Marie"
    assert errors.items
