"""Read the data rows below the header: clean each value, split names, skip what is not a person."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from allervers_desktop.db.models import EnrollmentStatus
from allervers_desktop.excel.cells import cell_date, cell_text, phone_text
from allervers_desktop.excel.keys import fast_compact, fast_fold
from allervers_desktop.excel.layout import SheetLayout
from allervers_desktop.excel.mapping import FIELD_LABELS, ImportField
from allervers_desktop.excel.names import nice_first_name, split_full_name
from allervers_desktop.excel.progress import ProgressTicker
from allervers_desktop.excel.reading import Row, SheetTable
from allervers_desktop.phones import store_phone
from allervers_desktop.services.employer_directory import finess_valid
from allervers_desktop.services.providers import siret_valid
from allervers_desktop.services.validation import EMAIL_PATTERN, PHONE_PATTERN

MAX_LENGTHS = {
    ImportField.LAST_NAME: 100,
    ImportField.FIRST_NAME: 100,
    ImportField.EMAIL: 254,
    ImportField.PHONE: 40,
    ImportField.JOB_TITLE: 200,
    ImportField.EMPLOYER: 200,
    ImportField.CITY: 100,
    ImportField.GROUP: 200,
    ImportField.NOTES: 2000,
}
CIVILITY_ALIASES = {
    "m": "M.", "mr": "M.", "monsieur": "M.", "homme": "M.", "h": "M.",
    "mme": "Mme", "madame": "Mme", "mlle": "Mme", "mademoiselle": "Mme", "femme": "Mme",
    "f": "Mme",
}  # fmt: skip
STATUS_ALIASES = {
    "inscrit": EnrollmentStatus.REGISTERED.value,
    "inscrite": EnrollmentStatus.REGISTERED.value,
    "preinscrit": EnrollmentStatus.REGISTERED.value,
    "confirme": EnrollmentStatus.CONFIRMED.value,
    "confirmee": EnrollmentStatus.CONFIRMED.value,
    "listedattente": EnrollmentStatus.WAITLISTED.value,
    "enattente": EnrollmentStatus.WAITLISTED.value,
    "attente": EnrollmentStatus.WAITLISTED.value,
    "annule": EnrollmentStatus.CANCELLED.value,
    "annulee": EnrollmentStatus.CANCELLED.value,
    "desiste": EnrollmentStatus.CANCELLED.value,
}
_FOOTER = re.compile(
    r"^(sous[- ]?)?tota(l|ux)\b|^nombre (d'|de )|^nb\b|^effectifs?\b|"
    r"^\d+\s+(inscrits?|participants?|stagiaires?|personnes?)\b"
)
_FOOTER_STARTS = ("tota", "sous", "nombre", "nb", "effectif")
_SPLIT_EMAILS = re.compile(r"[;,\s]+")
_EMAIL_SEPARATORS = re.compile(r"[;,\s]")
_SHORTEST_LIMIT = 100
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class RowValues:
    """One person as a row gives them, cleaned."""

    civility: str = ""
    last_name: str = ""
    first_name: str = ""
    email: str = ""
    phone: str = ""
    job_title: str = ""
    employer: str = ""
    city: str = ""
    siret: str = ""  # 14 digits, checked; empty when absent or not valid
    finess: str = ""  # 9 characters, checked
    notes: str = ""
    group_text: str = ""
    group_date: dt.date | None = None
    status: str | None = None
    enrolled_on: dt.date | None = None

    @property
    def display_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}".strip()


@dataclass(slots=True)
class ParsedRow:
    """A data row: its Excel number, its values, or why it is skipped."""

    row: int
    values: RowValues
    skip_reason: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class ParsedSheet:
    rows: list[ParsedRow]
    blank_rows: int


def is_footer(text: str) -> bool:
    """« Total : 38 inscrits », « Nombre de participants : 12 », « 38 inscrits »…"""
    start = text[:8].lower()
    if not (start[:1].isdigit() or start.startswith(_FOOTER_STARTS)):
        return False
    return bool(_FOOTER.match(fast_fold(text)))


def parse_sheet(
    table: SheetTable, layout: SheetLayout, ticker: ProgressTicker | None = None
) -> ParsedSheet:
    """Every non-empty row below the header, cleaned, with skip reasons and warnings."""
    parser = RowParser(layout)
    parsed: list[ParsedRow] = []
    blank = 0
    rows = table.rows
    for index in range(layout.header_row, len(rows)):
        result = parser.parse(index + 1, rows[index])
        if result is None:
            blank += 1
        else:
            parsed.append(result)
        if ticker is not None:
            ticker.advance()
    return ParsedSheet(parsed, blank)


class RowParser:
    """Cleans the rows of one sheet; column positions are looked up once."""

    def __init__(self, layout: SheetLayout) -> None:
        mapped = layout.mapping.mapped
        self.headers = [header.casefold() for header in layout.mapping.headers]
        self.mapped_columns = sorted(mapped.values())
        # Column index of each field, -1 when the sheet has no such column.
        get = mapped.get
        self.civility = get(ImportField.CIVILITY, -1)
        self.last_name = get(ImportField.LAST_NAME, -1)
        self.first_name = get(ImportField.FIRST_NAME, -1)
        self.full_name = get(ImportField.FULL_NAME, -1)
        self.email = get(ImportField.EMAIL, -1)
        self.phone = get(ImportField.PHONE, -1)
        self.job_title = get(ImportField.JOB_TITLE, -1)
        self.employer = get(ImportField.EMPLOYER, -1)
        self.city = get(ImportField.CITY, -1)
        self.siret = get(ImportField.SIRET, -1)
        self.finess = get(ImportField.FINESS, -1)
        self.group = get(ImportField.GROUP, -1)
        self.status = get(ImportField.STATUS, -1)
        self.enrolled_on = get(ImportField.ENROLLED_ON, -1)
        self.notes = get(ImportField.NOTES, -1)
        self.first_name_first = self.full_name >= 0 and fast_compact(
            layout.mapping.headers[self.full_name]
        ).startswith("prenom")

    def parse(self, number: int, row: Row) -> ParsedRow | None:
        """The row cleaned, or None when it is empty."""
        texts = [cell_text(value) for value in row]
        if not any(texts):
            return None
        width = len(texts)
        if width < len(self.headers):
            texts += [""] * (len(self.headers) - width)
        result = ParsedRow(number, RowValues())
        filled = [text for text in texts if text]
        if is_footer(filled[0]) or (len(filled) > 1 and is_footer(filled[1])):
            result.skip_reason = f"ligne de total (« {filled[0]} »), pas un participant"
            return result
        if self._is_header(texts):
            result.skip_reason = "ligne d'en-tête répétée"
            return result
        if not any(texts[column] for column in self.mapped_columns):
            result.skip_reason = "aucune valeur dans les colonnes importées"
            return result
        self._names(result, texts)
        self._contact(result, texts, row)
        self._enrollment(result, texts, row)
        if result.skip_reason is None:
            _check_lengths(result)
        return result

    def _is_header(self, texts: list[str]) -> bool:
        """A repeated header: its imported columns say what the header says."""
        same = 0
        for checked, column in enumerate(self.mapped_columns):
            text = texts[column]
            if text and text.casefold() == self.headers[column]:
                same += 1
                if same >= 2:
                    return True
            elif checked >= 1 and same == 0:
                return False
        return False

    def _names(self, result: ParsedRow, texts: list[str]) -> None:
        values = result.values
        values.last_name = texts[self.last_name] if self.last_name >= 0 else ""
        values.first_name = texts[self.first_name] if self.first_name >= 0 else ""
        full = texts[self.full_name] if self.full_name >= 0 else ""
        if not values.last_name and full:
            split = split_full_name(full, first_name_first=self.first_name_first)
            values.last_name = split.last_name
            values.first_name = values.first_name or split.first_name
            if split.ambiguous:
                result.warnings.append(
                    f"« {full} » : nom et prénom séparés au mieux (nom « {split.last_name} », "
                    f"prénom « {split.first_name} ») ; vérifiez."
                )
            elif not split.first_name:
                result.warnings.append(f"« {full} » : un seul mot, pris comme nom ; prénom vide.")
        values.first_name = nice_first_name(values.first_name)
        last = values.last_name
        if not last:
            result.skip_reason = "nom manquant"
        elif last.isalpha():
            pass
        elif not _LETTER.search(last):
            result.skip_reason = f"le nom « {last} » ne contient aucune lettre"
        elif _DIGIT.search(last):
            result.skip_reason = f"le nom « {last} » contient des chiffres"

    def _contact(self, result: ParsedRow, texts: list[str], row: Row) -> None:
        values = result.values
        civility = texts[self.civility] if self.civility >= 0 else ""
        if civility:
            values.civility = CIVILITY_ALIASES.get(fast_compact(civility), "")
            if not values.civility:
                result.warnings.append(
                    f"civilité « {civility} » non reconnue (M. ou Mme) : ignorée"
                )
        email = (texts[self.email] if self.email >= 0 else "").lower()
        if email:
            email = email.removeprefix("mailto:")
            if _EMAIL_SEPARATORS.search(email):
                candidates = [part for part in _SPLIT_EMAILS.split(email) if part]
                if len(candidates) > 1:
                    result.warnings.append(
                        f"plusieurs adresses e-mail (« {email} ») : "
                        f"seule « {candidates[0]} » est gardée"
                    )
                email = candidates[0] if candidates else ""
            if not EMAIL_PATTERN.match(email) and result.skip_reason is None:
                result.skip_reason = f"adresse e-mail « {email} » non valide"
            values.email = email
        if self.phone >= 0:
            raw = row[self.phone] if self.phone < len(row) else None
            phone = texts[self.phone] if isinstance(raw, str) else phone_text(raw)
            if phone and not PHONE_PATTERN.match(phone):
                result.warnings.append(f"téléphone « {phone} » non valide : ignoré")
                phone = ""
            values.phone = store_phone(phone)
        values.job_title = texts[self.job_title] if self.job_title >= 0 else ""
        values.employer = texts[self.employer] if self.employer >= 0 else ""
        values.city = texts[self.city] if self.city >= 0 else ""
        values.notes = texts[self.notes] if self.notes >= 0 else ""
        if values.city and not values.employer:
            result.warnings.append(f"ville « {values.city} » sans établissement : ignorée")
            values.city = ""
        self._identifiers(result, texts)

    def _identifiers(self, result: ParsedRow, texts: list[str]) -> None:
        """The employer's SIRET and FINESS, which match it before its name does."""
        values = result.values
        for column, label, clean, valid, target in (
            (self.siret, "SIRET", _digits, siret_valid, "siret"),
            (self.finess, "n° FINESS", _compact_upper, finess_valid, "finess"),
        ):
            text = texts[column] if column >= 0 else ""
            if not text:
                continue
            value = clean(text)
            if not valid(value):
                result.warnings.append(f"{label} « {text} » non valide : ignoré")
            elif not values.employer:
                result.warnings.append(f"{label} « {text} » sans établissement : ignoré")
            else:
                setattr(values, target, value)

    def _enrollment(self, result: ParsedRow, texts: list[str], row: Row) -> None:
        values = result.values
        if self.group >= 0:
            values.group_text = texts[self.group]
            raw = row[self.group] if self.group < len(row) else None
            values.group_date = cell_date(raw)
        status = texts[self.status] if self.status >= 0 else ""
        if status:
            values.status = STATUS_ALIASES.get(fast_compact(status))
            if values.status is None:
                result.warnings.append(f"statut « {status} » non reconnu : « Inscrit » retenu")
        enrolled = texts[self.enrolled_on] if self.enrolled_on >= 0 else ""
        if enrolled:
            raw = row[self.enrolled_on] if self.enrolled_on < len(row) else None
            values.enrolled_on = cell_date(raw)
            if values.enrolled_on is None:
                result.warnings.append(f"date d'inscription « {enrolled} » illisible : ignorée")


def _check_lengths(result: ParsedRow) -> None:
    values = result.values
    texts = (
        values.last_name,
        values.first_name,
        values.email,
        values.phone,
        values.job_title,
        values.employer,
        values.city,
        values.group_text,
        values.notes,
    )
    if max(map(len, texts)) <= _SHORTEST_LIMIT:
        return
    current = (
        (ImportField.LAST_NAME, values.last_name),
        (ImportField.FIRST_NAME, values.first_name),
        (ImportField.EMAIL, values.email),
        (ImportField.PHONE, values.phone),
        (ImportField.JOB_TITLE, values.job_title),
        (ImportField.EMPLOYER, values.employer),
        (ImportField.CITY, values.city),
        (ImportField.GROUP, values.group_text),
        (ImportField.NOTES, values.notes),
    )
    for import_field, text in current:
        limit = MAX_LENGTHS[import_field]
        if len(text) > limit:
            result.skip_reason = (
                f"« {FIELD_LABELS[import_field]} » trop long ({len(text)} caractères, "
                f"{limit} au plus)"
            )
            return


def _digits(text: str) -> str:
    """« 123 456 789 00012 » → « 12345678900012 »."""
    return "".join(ch for ch in text if ch.isdigit())


def _compact_upper(text: str) -> str:
    """« 67 078 123 4 » → « 670781234 », « 2a0001234 » → « 2A0001234 »."""
    return "".join(ch for ch in text if ch.isalnum()).upper()
