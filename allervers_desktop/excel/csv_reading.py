"""Read a CSV (or tab-separated) text file: encoding and separator are detected."""

from __future__ import annotations

import csv
import io
from collections import Counter

from allervers_desktop.excel.errors import UnreadableFileError

DELIMITERS = (";", ",", "\t", "|")
_SAMPLE_LINES = 50
_MAX_CONTROL_RATIO = 0.01
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\x0c"}


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252: (text, encoding)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
        break
    raise UnreadableFileError(
        f"Le fichier « {name} » n'est ni un tableur ni un fichier CSV lisible "
        "(son contenu est binaire)."
    )


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:
        return False
    sample = text[:20000]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls <= max(1, int(len(sample) * _MAX_CONTROL_RATIO))


def detect_delimiter(text: str) -> str:
    """The separator giving the most lines with the same number (> 1) of fields."""
    lines = [line for line in text.splitlines() if line.strip()][:_SAMPLE_LINES]
    best, best_score = ";", 0
    for delimiter in DELIMITERS:
        counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        if not counts:
            break
        width, lines_with_width = max(counts.items(), key=lambda item: (item[1], item[0]))
        if width <= 1:
            continue
        score = lines_with_width * 1000 + width
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv_rows(data: bytes, name: str, max_rows: int) -> tuple[list[list[str]], str]:
    """All rows of the CSV file as lists of strings, and a description of what was detected."""
    text, encoding = decode_text(data, name)
    if not text.strip():
        raise UnreadableFileError(f"Le fichier « {name} » est vide.")
    delimiter = detect_delimiter(text)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > max_rows:
                raise UnreadableFileError(too_many_rows_message(name, max_rows))
    except csv.Error as exc:
        raise UnreadableFileError(
            f"Le fichier « {name} » est un CSV mal formé (ligne {len(rows) + 1}) : {exc}."
        ) from exc
    labels = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
    encodings = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
    return rows, f"CSV {encodings[encoding]}, séparateur {labels[delimiter]}"


def too_many_rows_message(name: str, max_rows: int) -> str:
    limit = f"{max_rows:,}".replace(",", " ")
    return (
        f"Le fichier « {name} » compte plus de {limit} lignes, la limite d'un import : "
        "découpez-le en plusieurs fichiers."
    )
