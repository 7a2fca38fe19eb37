"""Field checks shared by the services: required values, e-mail syntax, phone numbers."""

from __future__ import annotations

import re

from allervers_desktop.phones import store_phone
from allervers_desktop.services.errors import Errors
from allervers_desktop.text import collapse_spaces

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE_PATTERN = re.compile(r"^\+?[0-9 .()\-]{6,25}$")
CIVILITIES = ("", "M.", "Mme")


def clean(value: str | None) -> str:
    return collapse_spaces(value)


def require(errors: Errors, field: str, value: str, label: str) -> None:
    if not value:
        errors.add(field, f"« {label} » est obligatoire.")


def clean_email(errors: Errors, field: str, value: str | None) -> str | None:
    """Lower-cased e-mail, or None when empty; adds an error when the syntax is wrong."""
    email = clean(value).lower()
    if not email:
        return None
    if not EMAIL_PATTERN.match(email):
        errors.add(field, f"L'adresse e-mail « {email} » n'est pas valide.")
    return email


def clean_phone(errors: Errors, field: str, value: str | None) -> str:
    """The number in E.164 (« +33623456789 ») when valid; kept as typed otherwise."""
    phone = clean(value)
    if phone and not PHONE_PATTERN.match(phone):
        errors.add(field, f"Le numéro de téléphone « {phone} » n'est pas valide.")
    return store_phone(phone)


def clean_civility(errors: Errors, field: str, value: str | None) -> str:
    civility = clean(value)
    aliases = {"m": "M.", "m.": "M.", "monsieur": "M.", "mme": "Mme", "madame": "Mme"}
    civility = aliases.get(civility.lower(), civility)
    if civility not in CIVILITIES:
        errors.add(field, f"La civilité « {civility} » n'est pas reconnue (M. ou Mme).")
    return civility
