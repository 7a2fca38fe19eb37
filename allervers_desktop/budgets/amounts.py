"""Amounts in euros as the users write them (« 1 234,50 € ») and as cents in the database."""

from __future__ import annotations

import re

from allervers_desktop.services.errors import ServiceError

# Up to 10 million euros: far above any training budget, well inside a 32-bit integer of cents.
MAX_CENTS = 10_000_000_00
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+")
_PLAIN = re.compile(r"\d+")
_DECIMALS = re.compile(r"\d{1,2}")


def parse_amount(text: str) -> int:
    """Cents of an amount in euros: « 1 234,50 », « 1234.5 », « 1 234,50 € », « 80 € » ->
    123450, 123450, 123450, 8000. Spaces group thousands only; a comma or a point separates
    at most two decimals; negative amounts, letters and other currencies are refused."""
    raw = text
    value = _SPACES.sub(" ", text).strip()
    if value.endswith("€"):
        value = value[:-1].rstrip()
    if value.lower().endswith("eur"):
        value = value[:-3].rstrip()
    if not value:
        raise ServiceError("Montant manquant : indiquez un montant en euros, par ex. « 1 234,50 ».")
    if value.startswith("-"):
        raise ServiceError(f"Montant négatif refusé : « {raw.strip()} ».")
    whole, separator, decimals = value.replace(",", ".").partition(".")
    if separator and (not decimals or "." in decimals or not _DECIMALS.fullmatch(decimals)):
        raise ServiceError(
            f"Montant illisible : « {raw.strip()} » (deux décimales au plus, par ex. « 1 234,50 »)."
        )
    if not (_PLAIN.fullmatch(whole) or _GROUPED.fullmatch(whole)):
        raise ServiceError(
            f"Montant illisible : « {raw.strip()} » (un montant en euros, par ex. « 1 234,50 »)."
        )
    cents = int(whole.replace(" ", "")) * 100 + int((decimals or "0").ljust(2, "0"))
    if cents > MAX_CENTS:
        raise ServiceError(f"Montant trop élevé : « {raw.strip()} » (10 000 000 € au plus).")
    return cents


def euros(cents: int | float) -> str:
    """« 1 234,50 € » (thousands grouped by a space, always two decimals)."""
    rounded = round(cents)
    sign = "-" if rounded < 0 else ""
    whole, part = divmod(abs(rounded), 100)
    grouped = f"{whole:,}".replace(",", " ")
    return f"{sign}{grouped},{part:02d} €"


def euros_value(cents: int | float) -> float:
    """Euros as a number (for JSON and spreadsheets), to the cent."""
    return round(cents / 100, 2)
