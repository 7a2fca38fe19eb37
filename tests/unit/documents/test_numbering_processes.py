"""Two programs issuing at the same time: numbers unique, consecutive from 1, no gap."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from allervers_desktop.db.models import Enrollment, IssuedDocument
from allervers_desktop.services import attendance
from tests.conftest import TEST_NOW
from tests.unit.documents.conftest import big_group

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = 60


def test_two_processes_issue_unique_gap_free_numbers(demo_database, tmp_path):
    database = demo_database
    group_id = big_group(database, PEOPLE)
    with database.transaction() as session:
        attendance.mark_all(session, group_id)
        participants = list(
            session.scalars(
                select(Enrollment.participant_id)
                .where(Enrollment.group_id == group_id)
                .order_by(Enrollment.id)
            )
        )
    assert len(participants) == PEOPLE
    shares = {"a": participants[0::2], "b": participants[1::2]}
    workers = {
        name: subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.unit.documents.issuing_worker",
                database.target,
                str(group_id),
                str(tmp_path),
                name,
                *map(str, ids),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, ids in shares.items()
    }
    # Start both at once: each waits for « go » once its database is open.
    while not all((tmp_path / f"{name}.ready").exists() for name in workers):
        assert all(worker.poll() is None for worker in workers.values()), "a worker stopped"
        time.sleep(0.01)
    (tmp_path / "go").touch()
    numbers: dict[str, list[str]] = {}
    for name, worker in workers.items():
        out, err = worker.communicate()
        assert worker.returncode == 0, err
        numbers[name] = json.loads(out)
    year = TEST_NOW.date().year
    issued = numbers["a"] + numbers["b"]
    assert len(issued) == PEOPLE
    assert sorted(issued) == [f"ATT-{year}-{n:04d}" for n in range(1, PEOPLE + 1)]
    assert len(numbers["a"]) == len(numbers["b"]) == PEOPLE // 2
    with database.session() as session:
        rows = session.execute(
            select(IssuedDocument.sequence, IssuedDocument.enrollment_id).order_by(
                IssuedDocument.sequence
            )
        ).all()
    assert [sequence for sequence, _ in rows] == list(range(1, PEOPLE + 1))
    assert len({enrollment for _, enrollment in rows}) == PEOPLE
