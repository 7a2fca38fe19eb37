"""Phone numbers: stored in E.164 (« +33623456789 »), shown the French way (« 06 23 45 67 89 »).

A number that cannot be read as a real number (« poste 12 », « 06 12 ») is kept as typed, so
nothing is lost: ``is_normalised`` tells the two apart (only E.164 values start with « + »
followed by digits alone).
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

DEFAULT_REGION = "FR"
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


@lru_cache(maxsize=50_000)
def to_e164(text: str | None, region: str = DEFAULT_REGION) -> str | None:
    """« 06.23.45.67.89 » -> « +33623456789 »; None when it is not a valid number."""
    if not text or not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def store_phone(text: str | None, region: str = DEFAULT_REGION) -> str:
    """The stored form: E.164 when the number is valid, the trimmed text as typed otherwise."""
    typed = " ".join((text or "").split())
    return to_e164(typed, region) or typed


def is_normalised(stored: str) -> bool:
    return bool(_E164.match(stored))


@lru_cache(maxsize=50_000)
def display_phone(stored: str | None) -> str:
    """French numbers as « 06 23 45 67 89 », others internationally (« +49 30 1234567 »)."""
    if not stored:
        return ""
    if not is_normalised(stored):
        return stored
    try:
        number = phonenumbers.parse(stored, None)
    except phonenumbers.NumberParseException:
        return stored
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
