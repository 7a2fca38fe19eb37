"""Read a CSV (or tab-separated) text file: encoding and separator are detected.

The encoding is decided for the whole file: UTF-8 when every line is UTF-8, Windows-1252 when
no line is, and a refusal naming the lines when the two are mixed (a list pasted together from
two files), or when the accents were already garbled by an earlier conversion (« HÃ©lÃ¨ne »).
Decoding each line its own way would be a guess, and a wrong guess stores garbled names with no
one noticing; re-saving the file in one encoding takes the user a minute."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.limits import MAX_CELLS, MAX_COLUMNS

DELIMITERS = (";", ",", "\t", "|")
_SAMPLE_LINES = 50
_MAX_CONTROL_RATIO = 0.01
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\x0c"}
_SHOWN_LINES = 5
# UTF-8 read as Windows-1252: « Ã© », « Ã¨ », « Ã‰ », « Ã§ »… (a second byte 0x80-0xBF)
_GARBLED = re.compile(
    "[ÂÃ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
RESAVE = (
    "ouvrez-le dans votre tableur et enregistrez-le au format « CSV UTF-8 », "
    "puis importez cette copie."
)


def _line_list(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:_SHOWN_LINES])
    more = len(numbers) - _SHOWN_LINES
    if more > 0:
        shown += f" et {more} autre{'s' if more > 1 else ''}"
    return f"ligne{'s' if len(numbers) > 1 else ''} {shown}"


def _mixed_lines(data: bytes) -> tuple[list[int], list[int]]:
    """(lines in UTF-8 with accents, lines that are not UTF-8), numbered from 1."""
    utf8: list[int] = []
    other: list[int] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)
    return utf8, other


def _refuse_mixed(data: bytes, name: str) -> None:
    utf8, other = _mixed_lines(data.removeprefix(b"\xef\xbb\xbf"))
    if utf8 and other:
        raise UnreadableFileError(
            f"Le fichier « {name} » mélange deux encodages de caractères : ses accents sont "
            f"en UTF-8 ({_line_list(utf8)}) mais pas ailleurs ({_line_list(other)}), où les "
            f"noms seraient importés illisibles. Pour le corriger, {RESAVE}"
        )


def _refuse_garbled(text: str, name: str) -> None:
    found = _GARBLED.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.start())
    sample = text[start : end if end >= 0 else len(text)].strip()[:60]
    raise UnreadableFileError(
        f"Le fichier « {name} » a des accents déjà abîmés par une conversion (ligne {line} : "
        f"« {sample} ») : les noms seraient importés illisibles. Demandez à l'expéditeur une "
        "copie enregistrée directement depuis son tableur au format « CSV UTF-8 »."
    )


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
        if not _looks_like_text(text):
            break
        if encoding == "cp1252":
            _refuse_mixed(data, name)
        _refuse_garbled(text, name)
        return text, encoding
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
        try:
            counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        except csv.Error:  # a field over the csv module's limit: not this separator
            continue
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
    if text.count(delimiter) > MAX_CELLS:  # every field would be a string in memory
        limit = f"{MAX_CELLS:,}".replace(",", " ")
        raise UnreadableFileError(
            f"Le fichier « {name} » compte plus de {limit} cases, la limite d'un import : "
            "ce n'est pas une liste de participants."
        )
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(row) > MAX_COLUMNS:
                raise UnreadableFileError(
                    f"La ligne {len(rows) + 1} du fichier « {name} » compte {len(row)} colonnes "
                    f"(la limite est de {MAX_COLUMNS}) : ce n'est pas une liste de participants."
                )
            rows.append(row)
            if len(rows) > max_rows:
                raise UnreadableFileError(too_many_rows_message(name, max_rows))
    except csv.Error as exc:
        reason = (
            "un champ dépasse 131 072 caractères"
            if "field larger" in str(exc)
            else "guillemets ou caractères inattendus"
        )
        raise UnreadableFileError(
            f"Le fichier « {name} » est un CSV mal formé (ligne {len(rows) + 1} : {reason})."
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
