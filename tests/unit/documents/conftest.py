"""Fixtures for document tests: a Qt application, example data with attendance, PDF reading."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Enrollment
from allervers_desktop.services import attendance
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.groups import DayData, GroupData, create_group
from allervers_desktop.services.participants import ParticipantData, create_participant
from allervers_desktop.services.settings import DocumentIdentity, StoredImage, save_identity

GROUP_1 = 1
ISSUED_ON = dt.date(2023, 9, 27)


@pytest.fixture(autouse=True)
def gui(qapp) -> Iterator[None]:
    """A QApplication (pytest-qt) exists before any font or painter is used."""
    from allervers_desktop.documents.fonts import prepare_fonts

    prepare_fonts()
    yield


def png(width: int = 120, height: int = 60, colour: str = "#1f3a5f") -> bytes:
    import tempfile

    from PySide6.QtGui import QColor, QImage

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "image.png"
        assert image.save(str(path))
        return path.read_bytes()


IDENTITY = DocumentIdentity(
    organisation_name="Opco Santé – Délégation Grand Est",
    address="2 rue de Rome\n67300 Schiltigheim",
    signatory_name="Aurore JOANNES",
    signatory_title="Chargée de mission formation",
    city="Strasbourg",
)


@pytest.fixture
def identity_database(demo_database: Database) -> Database:
    """Example data with the identity filled in, logo and signature included."""
    with demo_database.transaction() as session:
        save_identity(
            session,
            replace(
                IDENTITY,
                logo=StoredImage("logo.png", png()),
                signature=StoredImage("signature.png", png(200, 80, "#222266")),
            ),
        )
    return demo_database


@dataclass(frozen=True)
class Attended:
    """Group 1 after the half-days were taken: who did what."""

    database: Database
    grid: attendance.AttendanceGrid


@pytest.fixture
def attended(identity_database: Database) -> Attended:
    """Group 1: everyone present, except MULLER Hélène absent on 26/09 afternoon (10 h 30),
    SCHNEIDER Loïc excused on 25/09 morning and BAUER Zoé late on 25/09 morning, arrived at
    9 h 20 (3 h 10 of the 3 h 30 of that half-day: 13 h 40 in all)."""
    database = identity_database
    with database.transaction() as session:
        attendance.mark_all(session, GROUP_1)
        grid = attendance.attendance_grid(session, GROUP_1)
        by_name = {row.name: row.enrollment_id for row in grid.rows}
        columns = grid.columns
        attendance.set_cell(session, by_name["MULLER Hélène"], columns[3].half_day_id, "absent")
        attendance.set_cell(
            session, by_name["SCHNEIDER Loïc"], columns[0].half_day_id, "excused", "médecin"
        )
        attendance.set_cell(
            session,
            by_name["BAUER Zoé"],
            columns[0].half_day_id,
            "late",
            arrived_at=dt.time(9, 20),
        )
        grid = attendance.attendance_grid(session, GROUP_1)
    return Attended(database, grid)


def big_group(database: Database, participants: int, trainers: tuple[int, ...] = (1, 2)) -> int:
    """A two-day group of the example course with ``participants`` enrolled; its id."""
    with database.transaction() as session:
        group = create_group(
            session,
            GroupData(
                course_id=1,
                label=f"Groupe {participants}",
                city="Nancy",
                venue_address="Salle des fêtes — 1 place Stanislas, 54000 Nancy",
                days=[DayData(dt.date(2024, 3, 11)), DayData(dt.date(2024, 3, 12), pm=None)],
                trainer_ids=list(trainers),
            ),
        )
        for index in range(participants):
            person = create_participant(
                session,
                ParticipantData(
                    last_name=f"Œuvré-{index + 1:03d}",
                    first_name=f"Zoé{index + 1:03d}",
                    civility="Mme",
                    email=f"p{participants}-{index}@exemple.fr",
                    employer_name=f"Établissement n° {index % 7 + 1}",
                    employer_city="Nancy",
                ),
            )
            enroll(session, group.id, person.id)
        return group.id


def pdf_pages(path: Path) -> list[str]:
    """The text of every page, whitespace collapsed to single spaces."""
    reader = PdfReader(str(path))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(path: Path) -> str:
    return " ".join(pdf_pages(path))


def count(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text))


def enrollment_of(database: Database, participant_id: int, group_id: int = GROUP_1) -> int:
    from sqlalchemy import select

    with database.session() as session:
        value = session.scalar(
            select(Enrollment.id).where(
                Enrollment.participant_id == participant_id, Enrollment.group_id == group_id
            )
        )
    assert value is not None
    return value
