"""The import matches employers by SIRET, then FINESS, before their name and city."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import func, select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Employer, Participant
from allervers_desktop.excel.importer import import_file
from allervers_desktop.excel.mapping import ImportField, match_header

GROUP_1 = 1


def with_luhn(digits: str) -> str:
    """``digits`` followed by the check digit that makes the whole pass Luhn."""
    for check in "0123456789":
        number = digits + check
        total = 0
        for position, char in enumerate(reversed(number)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError(digits)


SIRET_A = with_luhn("7328293200007")  # given to an existing employer
SIRET_NEW = with_luhn("4420212300001")
FINESS_B = with_luhn("67078123")


def workbook(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nom", "Prénom", "E-mail", "Établissement", "Ville", "N° SIRET", "FINESS"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def employer_of(database: Database, email: str) -> Employer:
    with database.session() as session:
        person = session.scalars(select(Participant).where(Participant.email == email)).one()
        assert person.employer is not None
        return person.employer


def test_headers_name_the_identifiers() -> None:
    assert match_header("N° SIRET") is ImportField.SIRET
    assert match_header("SIRET de l'établissement") is ImportField.SIRET
    assert match_header("N° FINESS") is ImportField.FINESS
    assert match_header("Code postal") is None


def test_employers_are_found_by_their_numbers(demo_database: Database, tmp_path: Path) -> None:
    with demo_database.transaction() as session:
        first, second = session.scalars(select(Employer).order_by(Employer.id).limit(2)).all()
        first.siret, second.finess = SIRET_A, FINESS_B
        first_id, second_id = first.id, second.id
        employers_before = session.scalar(select(func.count()).select_from(Employer)) or 0
    spaced = f"{SIRET_A[:3]} {SIRET_A[3:6]} {SIRET_A[6:9]} {SIRET_A[9:]}"
    path = workbook(
        tmp_path / "liste.xlsx",
        [
            ["ALPHA", "Anne", "anne.alpha@exemple.fr", "Autre nom du même", "Ailleurs", spaced, ""],
            ["BETA", "Bruno", "bruno.beta@exemple.fr", "Nom inconnu", "", "", FINESS_B],
            ["GAMMA", "Gaël", "gael.gamma@exemple.fr", "Maison Neuve", "Colmar", SIRET_NEW, ""],
            ["DELTA", "Dora", "dora.delta@exemple.fr", "La Maison Neuve", "", SIRET_NEW, ""],
            ["EPSILON", "Éva", "eva.epsilon@exemple.fr", "Foyer Sans Numéro", "Nancy", "123", ""],
        ],
    )
    report = import_file(demo_database, path, group_id=GROUP_1)
    assert employer_of(demo_database, "anne.alpha@exemple.fr").id == first_id
    assert employer_of(demo_database, "bruno.beta@exemple.fr").id == second_id
    new = employer_of(demo_database, "gael.gamma@exemple.fr")
    assert employer_of(demo_database, "dora.delta@exemple.fr").id == new.id  # same SIRET
    assert (new.name, new.city, new.siret, new.finess) == ("Maison Neuve", "Colmar", SIRET_NEW, "")
    assert employer_of(demo_database, "eva.epsilon@exemple.fr").siret == ""
    with demo_database.session() as session:
        # Two new employers: « Maison Neuve » (once, by its SIRET) and « Foyer Sans Numéro ».
        assert session.scalar(select(func.count()).select_from(Employer)) == employers_before + 2
    [epsilon] = [row.row for row in report.rows if row.name.startswith("EPSILON")]
    assert [n.message for n in report.warnings if n.row == epsilon] == [
        "SIRET « 123 » non valide : ignoré"
    ]
