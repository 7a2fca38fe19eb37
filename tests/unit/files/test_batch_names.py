"""A batch of people with very long or identical names: one file each, as many as numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from allervers_desktop.cli import main
from allervers_desktop.services import attendance
from allervers_desktop.services.enrollments import enroll
from allervers_desktop.services.participants import ParticipantData, create_participant

LONG_LAST = ("Éléonore-Maëlys 👩‍👩‍👧 Ñúñez " * 5)[:100]
LONG_FIRST = ("Zoé-Anaïs 🎓 Œdipe " * 6)[:100]


def test_long_and_identical_names_give_one_file_per_certificate(
    attended, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = attended.database
    with database.transaction() as session:
        for index in range(3):  # three people with the same 200-character name
            person = create_participant(
                session,
                ParticipantData(
                    last_name=LONG_LAST,
                    first_name=LONG_FIRST,
                    email=f"homonyme{index}@exemple.fr",
                ),
            )
            enroll(session, 1, person.id)
        attendance.mark_all(session, 1, "present", only_empty=True)
    folder = tmp_path / "attestations"
    code = main(
        [
            "--db",
            database.target,
            "print",
            "attestation",
            "--group",
            "1",
            "--out-dir",
            str(folder),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    files = sorted(folder.iterdir())
    assert len(files) == 13
    assert len({path.name.casefold() for path in files}) == 13
    assert all(len(path.name.encode("utf-8")) <= 255 for path in files)
    long_ones = sorted(path.name for path in files if "Zoé-Anaïs 🎓" in path.name)
    assert len(long_ones) == 3
    assert sum(name.endswith(" (2).pdf") for name in long_ones) == 1
    assert sum(name.endswith(" (3).pdf") for name in long_ones) == 1
    # Every file is a whole attestation: one page, two for a 200-character name that wraps.
    assert all(
        len(PdfReader(path).pages) == (2 if path.name in long_ones else 1) for path in files
    )
    assert out.count("Écrit : ") == 13
    assert main(["--db", database.target, "certificates", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) == 13
    assert {entry["print_count"] for entry in entries} == {1}
