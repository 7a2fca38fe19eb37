"""The waiting list from the command line: enroll into a full group, cancel, promote, reorder."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.services.courses import CourseData, create_course
from allervers_desktop.services.groups import DayData, GroupData, create_group, enrolled_count
from allervers_desktop.services.participants import ParticipantData, create_participant


def run(capsys: pytest.CaptureFixture[str], database: Database, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", database.target, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def two_seats(database: Database) -> tuple[int, list[int]]:
    with database.transaction() as session:
        course = create_course(session, CourseData(title="Aller vers"))
        group = create_group(
            session,
            GroupData(
                course_id=course.id,
                label="Groupe 1",
                capacity=2,
                days=[DayData(dt.date(2024, 9, 25))],
            ),
        )
        people = [
            create_participant(session, ParticipantData(last_name=name, first_name="Zoé")).id
            for name in ("AUBRY", "BARDOT", "CAMUS", "DORE")
        ]
    return group.id, people


def waiting(capsys: pytest.CaptureFixture[str], database: Database, group: int) -> Any:
    code, out, err = run(capsys, database, "waiting-list", str(group), "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def test_the_queue_from_enrollment_to_promotion(
    database: Database, two_seats: tuple[int, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    group, (aubry, bardot, camus, dore) = two_seats
    for person in (aubry, bardot):
        assert run(capsys, database, "enroll", str(person), "--group", str(group))[0] == 0
    code, out, _ = run(capsys, database, "enroll", str(camus), "--group", str(group))
    assert (code, out) == (
        0,
        "Le groupe est complet : CAMUS Zoé est inscrit(e) sur la liste d'attente.\n",
    )
    run(capsys, database, "enroll", str(dore), "--group", str(group))
    assert [
        (p["position"], p["name"], p["seat_free"]) for p in waiting(capsys, database, group)
    ] == [
        (1, "CAMUS Zoé", False),
        (2, "DORE Zoé", False),
    ]

    # Reordered: DORE first.
    code, _, err = run(
        capsys, database, "waiting-list", str(group), "--move", str(dore), "--to", "1"
    )
    assert (code, err) == (0, "")
    assert [p["name"] for p in waiting(capsys, database, group)] == ["DORE Zoé", "CAMUS Zoé"]

    # No seat: promotion refused, in French.
    code, _, err = run(capsys, database, "promote", str(dore), "--group", str(group))
    assert code == 1
    assert "Le groupe est complet (2 / 2) : DORE Zoé reste sur la liste d'attente." in err

    # A cancellation says who could take the seat, and gives it to nobody.
    code, out, _ = run(capsys, database, "cancel", str(aubry), "--group", str(group))
    assert code == 0
    assert f"Peut prendre la place : DORE Zoé (n° {dore})" in out
    assert f"allervers promote {dore} --group {group}" in out
    with database.session() as session:
        assert enrolled_count(session, group) == 1
    assert [p["seat_free"] for p in waiting(capsys, database, group)] == [True, False]

    code, out, _ = run(capsys, database, "promote", str(dore), "--group", str(group))
    assert (code, out) == (
        0,
        f"DORE Zoé quitte la liste d'attente : inscrit(e) au groupe n° {group}.\n",
    )
    assert [p["name"] for p in waiting(capsys, database, group)] == ["CAMUS Zoé"]
    with database.session() as session:
        assert enrolled_count(session, group) == 2


def test_wrong_requests_are_refused_in_french(
    database: Database, two_seats: tuple[int, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    group, (aubry, bardot, *_rest) = two_seats
    run(capsys, database, "enroll", str(aubry), "--group", str(group))
    code, _, err = run(capsys, database, "promote", str(bardot), "--group", str(group))
    assert (code, err) == (1, "allervers : erreur : BARDOT Zoé n'est pas inscrit(e) à ce groupe.\n")
    code, _, err = run(capsys, database, "promote", str(aubry), "--group", str(group))
    assert err == "allervers : erreur : AUBRY Zoé n'est pas sur la liste d'attente de ce groupe.\n"
    code, _, err = run(capsys, database, "waiting-list", str(group), "--move", str(aubry))
    assert (code, err) == (
        1,
        "allervers : erreur : --move et --to vont ensemble : --move PARTICIPANT_ID --to PLACE.\n",
    )
    code, _, err = run(capsys, database, "waiting-list", "999", "--json")
    assert (code, err) == (1, "allervers : erreur : Aucun groupe ne porte le numéro 999.\n")
    run(capsys, database, "cancel", str(aubry), "--group", str(group))
    code, _, err = run(capsys, database, "cancel", str(aubry), "--group", str(group))
    assert err == "allervers : erreur : L'inscription de AUBRY Zoé est déjà annulée.\n"
