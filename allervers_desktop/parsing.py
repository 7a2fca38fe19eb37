"""Read dates and times typed the French way: « 12032027 », « 12/03/2027 », « 8h30 », « 0830 ».

Each parser returns the value or raises ``ParseError`` with a French message for the form;
nothing is silently changed (« 31/02/2027 » is refused, not turned into 03/03/2027)."""

from __future__ import annotations

import datetime as dt
import re

DATE_EXAMPLE = "jj/mm/aaaa, par exemple 12/03/2027"
TIME_EXAMPLE = "hh:mm, par exemple 08:30"

_DATE_SEPARATED = re.compile(
    r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$", re.ASCII
)
_DATE_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{2}|\d{4})$", re.ASCII)
_TIME_SEPARATED = re.compile(r"^(\d{1,2})\s*(?:[h:.]\s*(\d{2})?)?$", re.IGNORECASE | re.ASCII)
_TIME_DIGITS = re.compile(r"^(\d{1,2})(\d{2})$", re.ASCII)


class ParseError(ValueError):
    """What was typed is not a date or a time; ``message`` is French, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _full_year(text: str) -> int:
    """« 27 » is 2027 and « 95 » is 1995 (two-digit years from 70 are the previous century)."""
    year = int(text)
    if len(text) == 2:
        return 1900 + year if year >= 70 else 2000 + year
    return year


def parse_date_fr(text: str) -> dt.date:
    """« 12032027 », « 12/03/2027 », « 12.03.2027 », « 12-03-27 », « 1/3/2027 » → 12 March 2027."""
    cleaned = text.strip()
    if not cleaned:
        raise ParseError(f"Indiquez une date ({DATE_EXAMPLE}).")
    match = _DATE_SEPARATED.match(cleaned) or _DATE_DIGITS.match(cleaned)
    if match is None:
        raise ParseError(f"« {cleaned} » n'est pas une date : écrivez-la {DATE_EXAMPLE}.")
    day, month, year = int(match.group(1)), int(match.group(2)), _full_year(match.group(3))
    if not 1 <= month <= 12:
        raise ParseError(f"« {cleaned} » n'est pas une date : le mois {month} n'existe pas.")
    if year < 1900:
        raise ParseError(f"« {cleaned} » n'est pas une date : l'année {year} est trop ancienne.")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(
            f"« {cleaned} » n'est pas une date : ce mois n'a pas de jour {day}."
        ) from None


def parse_time_fr(text: str) -> dt.time:
    """« 8h30 », « 08:30 », « 0830 », « 8h », « 8 » → 08:30 (or 08:00)."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        raise ParseError(f"Indiquez une heure ({TIME_EXAMPLE}).")
    match = _TIME_DIGITS.match(cleaned) or _TIME_SEPARATED.match(cleaned)
    if match is None:
        raise ParseError(f"« {text.strip()} » n'est pas une heure : écrivez-la {TIME_EXAMPLE}.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23:
        raise ParseError(f"« {text.strip()} » n'est pas une heure : il n'y a pas de {hour} h.")
    if minute > 59:
        raise ParseError(f"« {text.strip()} » n'est pas une heure : les minutes vont de 00 à 59.")
    return dt.time(hour, minute)


def format_date_fr(value: dt.date) -> str:
    """12 March 2027 → « 12/03/2027 »."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_time_fr(value: dt.time) -> str:
    """08:30 → « 08:30 »."""
    return f"{value.hour:02d}:{value.minute:02d}"
