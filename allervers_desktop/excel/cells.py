"""Turn raw cell values (text, numbers, Excel dates) into clean text and dates."""

from __future__ import annotations

import datetime as dt
import re

from allervers_desktop.excel.reading import CellValue
from allervers_desktop.formatting import parse_date, short_date
from allervers_desktop.text import collapse_spaces

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_DIGITS = re.compile(r"\D+")
_DATE_LIKE = re.compile(r"\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\s*$")


def cell_text(value: CellValue) -> str:
    """The cell as trimmed text with collapsed spaces; numbers without a useless « .0 »."""
    if value.__class__ is str:
        text: str = value
        if text.isprintable() and "  " not in text:
            return text.strip()
        return collapse_spaces(_CONTROL.sub("", text))
    if value is None:
        return ""
    if isinstance(value, str):
        return collapse_spaces(_CONTROL.sub("", value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return short_date(value.date())
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return short_date(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def cell_date(value: CellValue) -> dt.date | None:
    """A date from an Excel date cell or a text date (« 25/09/2023 »)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_LIKE.match(value):
        return parse_date(value.strip())
    return None


def phone_text(value: CellValue) -> str:
    """A phone number; a number cell that lost its leading zero gets it back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = cell_text(value)
        if digits.isdigit() and len(digits) == 9:
            digits = "0" + digits
        if digits.isdigit() and len(digits) == 10:
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        return digits
    return cell_text(value)


def phone_key(phone: str) -> str:
    """Digits only, French international prefix folded: « +33 3 88 » == « 03 88 »."""
    digits = _DIGITS.sub("", phone)
    if phone.strip().startswith("+33") or digits.startswith("0033"):
        digits = "0" + digits[2:] if digits.startswith("33") else "0" + digits[4:]
    return digits
