"""Real presence time on the documents, and documents issued only for what happened."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl

from allervers_desktop.cli import main
from allervers_desktop.clock import NOW_VARIABLE
from allervers_desktop.db.database import Database
from allervers_desktop.documents.batch import DocumentRequest, export_documents
from allervers_desktop.documents.model import DocumentKind
from allervers_desktop.excel.export import export_group_roster
from allervers_desktop.services import attendance
from allervers_desktop.services.teaching import half_day_trainers, set_half_day_trainers
from tests.unit.documents.conftest import GROUP_1, pdf_pages, pdf_text

MULLER = 1  # participant ids of the example data
SCHMITT = 10


def run(database: Database, *args: str) -> int:
    return main(["--db", database.target, *args])


def _late_only_monday_morning(database: Database) -> None:
    """MULLER Hélène late at 9:20 on Monday morning (9:00–12:30), absent otherwise."""
    assert run(database, "attendance", "1", "--all", "absent") == 0
    code = run(
        database, "attendance", "1", "--mark", str(MULLER), "2023-09-25", "am", "late",
        "--arrived", "9:20",
    )  # fmt: skip
    assert code == 0


def test_late_at_9_20_gives_3_h_10_everywhere(identity_database, tmp_path, capsys) -> None:
    database = identity_database
    _late_only_monday_morning(database)
    assert "MULLER Hélène, 25/09/2023 matin : en retard (arrivée 9 h 20), 3 h 10 suivie(s)." in (
        capsys.readouterr().out
    )
    for kind in ("attestation", "realisation"):
        out = tmp_path / f"{kind}.pdf"
        code = run(database, "print", kind, "--group", "1", "--participant", "1", "--out", str(out))
        assert code == 0
    attestation = pdf_pages(tmp_path / "attestation.pdf")[0]
    assert "matin 9 h 00 – 12 h 30 En retard (arrivée 9 h 20) 3 h 10" in attestation
    assert "Durée suivie : 3 h 10 sur 14 h prévues" in attestation
    realisation = pdf_text(tmp_path / "realisation.pdf")
    assert "pour une durée de 3 h 10." in realisation
    roster = tmp_path / "liste.xlsx"
    with database.session() as session:
        export_group_roster(session, GROUP_1, roster)
    sheet = openpyxl.load_workbook(roster).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "MULLER")
    assert row[9] == "En retard (arrivée 9 h 20)"
    assert row[-1] == dt.timedelta(hours=3, minutes=10)
    capsys.readouterr()
    assert run(database, "attendance", "1") == 0
    out = capsys.readouterr().out
    muller = next(line for line in out.splitlines() if "MULLER" in line)
    assert "R 9:20" in muller and "3 h 10 / 14 h" in muller


def test_attendance_json_shows_times_and_hours(demo_database, capsys) -> None:
    assert run(demo_database, "attendance", "1", "--all", "present") == 0
    code = run(
        demo_database, "attendance", "1", "--mark", str(MULLER), "2023-09-26", "pm", "late",
        "--arrived", "14h15", "--left", "16:30",
    )  # fmt: skip
    assert code == 0
    assert run(demo_database, "attendance", "1", "--mark", "2", "2023-09-25", "am", "present",
               "--left", "1100") == 0  # fmt: skip
    capsys.readouterr()
    assert run(demo_database, "attendance", "1", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    muller = next(p for p in data["participants"] if p["participant_id"] == MULLER)
    cells = list(muller["cells"].values())
    assert cells[3] == {
        "date": "2023-09-26",
        "period": "pm",
        "status": "late",
        "reason": "",
        "arrived_at": "14:15",
        "left_at": "16:30",
        "hours_attended": 2.25,
        "minutes_attended": 135,
    }
    assert muller["minutes_attended"] == 3 * 210 + 135
    assert muller["hours_attended_label"] == "12 h 45"
    second = next(p for p in data["participants"] if p["participant_id"] == 2)
    assert next(iter(second["cells"].values()))["left_at"] == "11:00"
    assert second["hours_attended_label"] == "12 h 30"
    assert data["half_days"][0]["start"] == "09:00" and data["half_days"][0]["open"] is True


def test_attendance_cli_refuses_bad_times_in_french(demo_database, capsys) -> None:
    base = ["attendance", "1", "--mark", "1", "2023-09-25", "am"]
    assert run(demo_database, *base, "late") == 1
    assert capsys.readouterr().err.strip().endswith("« En retard » demande l'heure d'arrivée.")
    assert run(demo_database, *base, "absent", "--left", "11:00") == 1
    assert "L'heure de départ ne s'indique que pour" in capsys.readouterr().err
    assert run(demo_database, "attendance", "1", "--arrived", "9:20") == 1
    assert "ne s'emploient qu'avec --mark" in capsys.readouterr().err
    assert run(demo_database, "attendance", "1", "--all", "late") == 1
    assert "saisissez-la participant par participant" in capsys.readouterr().err


def test_no_attendance_before_the_half_day_started(demo_database, capsys, monkeypatch) -> None:
    monkeypatch.setenv(NOW_VARIABLE, "2023-09-25T12:00")
    assert run(demo_database, "attendance", "1", "--mark", "1", "2023-09-25", "pm",
               "present") == 1  # fmt: skip
    assert (
        "La demi-journée du 25/09/2023 (après-midi) n'a pas encore commencé : la présence ne "
        "peut être saisie qu'à partir de 13 h 30 ce jour-là." in capsys.readouterr().err
    )
    assert run(demo_database, "attendance", "1", "--all", "present") == 0
    assert "10 saisie(s) passée(s) à « présent » sur 1 demi-journée(s)" in (capsys.readouterr().out)


def test_certificates_refused_before_the_last_day(
    identity_database, tmp_path, capsys, monkeypatch
) -> None:
    database = identity_database
    assert run(database, "attendance", "1", "--all", "present") == 0
    monkeypatch.setenv(NOW_VARIABLE, "2023-09-26T15:00")
    for kind, document in (
        ("attestation", "l'attestation ne peut être établie"),
        ("realisation", "le certificat de réalisation ne peut être établi"),
    ):
        out = tmp_path / f"{kind}.pdf"
        assert run(database, "print", kind, "--group", "1", "--out", str(out)) == 1
        err = capsys.readouterr().err
        assert (
            f"Le groupe se termine le 26/09/2023 : {document} qu'après la dernière journée." in err
        )
        assert not out.exists()
    # Convocations and sign-in sheets stay printable before (and during) the session.
    monkeypatch.setenv(NOW_VARIABLE, "2023-09-01T09:00")
    for kind in ("convocation", "signin"):
        out = tmp_path / f"{kind}.pdf"
        assert run(database, "print", kind, "--group", "1", "--out", str(out)) == 0
        assert out.exists()


def test_certificate_refused_for_a_participant_who_attended_nothing(
    identity_database, tmp_path, capsys
) -> None:
    database = identity_database
    assert run(database, "attendance", "1", "--all", "present") == 0
    for day in ("2023-09-25", "2023-09-26"):
        for period in ("am", "pm"):
            args = ["attendance", "1", "--mark", str(SCHMITT), day, period, "absent"]
            assert run(database, *args) == 0
    out = tmp_path / "schmitt.pdf"
    args = [
        "print",
        "attestation",
        "--group",
        "1",
        "--participant",
        str(SCHMITT),
        "--out",
        str(out),
    ]
    assert run(database, *args) == 1
    assert (
        "SCHMITT Inès : aucune demi-journée suivie, pas d'attestation." in capsys.readouterr().err
    )
    assert not out.exists()
    # The whole group: SCHMITT is listed, the others get theirs.
    out = tmp_path / "groupe.pdf"
    assert run(database, "print", "attestation", "--group", "1", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert "avertissement : SCHMITT Inès : aucune demi-journée suivie, pas d'attestation." in (
        captured.err
    )
    assert "9 document(s)" in captured.out


def test_batch_lists_who_is_not_eligible(attended, tmp_path) -> None:
    database = attended.database
    with database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        klein = next(row for row in grid.rows if row.name == "KLEIN Amélie")
        for column in grid.columns:
            attendance.set_cell(session, klein.enrollment_id, column.half_day_id, "absent")
    result = export_documents(
        database, DocumentRequest(DocumentKind.REALISATION, group_id=GROUP_1), tmp_path / "r.pdf"
    )
    assert result.documents == 9
    assert result.report.skipped == [
        "KLEIN Amélie : aucune demi-journée suivie, pas de certificat."
    ]


def test_signin_sheet_signature_boxes_name_each_half_days_trainers(
    identity_database, tmp_path
) -> None:
    database = identity_database
    with database.transaction() as session:
        grid = attendance.attendance_grid(session, GROUP_1)
        taught = half_day_trainers(session, GROUP_1)
        first, second = taught[grid.columns[0].half_day_id]
        names = (first.full_name, second.full_name)
        set_half_day_trainers(session, grid.columns[1].half_day_id, [second.id])  # Monday pm
        set_half_day_trainers(session, grid.columns[2].half_day_id, [first.id])  # Tuesday am
        set_half_day_trainers(session, grid.columns[3].half_day_id, [first.id])  # Tuesday pm
    out = tmp_path / "emargement.pdf"
    request = DocumentRequest(DocumentKind.SIGNIN, group_id=GROUP_1)
    export_documents(database, request, out)
    monday, tuesday = pdf_pages(out)
    assert "Signature de l'intervenant(e) pour chaque demi-journée" in monday
    assert f"Intervenant(e)s {names[0]}, {names[1]}" in monday
    assert monday.count("n'intervient pas") == 1  # the first one, on Monday afternoon
    assert names[1] not in tuesday
    assert f"Intervenant(e)s {names[0]}" in tuesday
    assert "n'intervient pas" not in tuesday
    Path(out).unlink()


def test_locked_attendance_refused_then_unlocked_from_the_command_line(
    identity_database, tmp_path, capsys
) -> None:
    from allervers_desktop.db.models import AttendanceUnlock, Group, GroupStatus

    database = identity_database
    assert run(database, "attendance", "1", "--all", "present") == 0
    with database.transaction() as session:
        session.get_one(Group, GROUP_1).status = GroupStatus.COMPLETED.value
    out = tmp_path / "a.pdf"
    assert run(database, "print", "attestation", "--group", "1", "--out", str(out)) == 0
    capsys.readouterr()
    mark = ["attendance", "1", "--mark", str(MULLER), "2023-09-25", "am", "absent"]
    assert run(database, *mark) == 1
    assert "Les présences du groupe « Groupe 1 » sont verrouillées" in capsys.readouterr().err
    assert run(database, "attendance", "1") == 0
    assert "sont verrouillées" in capsys.readouterr().out
    assert run(database, "attendance", "1", "--unlock", "") == 1
    assert "Indiquez le motif du déverrouillage" in capsys.readouterr().err
    assert run(database, "attendance", "1", "--unlock", "Absence signalée après coup") == 0
    assert "Présences déverrouillées le 03/06/2024 à 10:00 par " in capsys.readouterr().out
    assert run(database, *mark) == 0
    with database.session() as session:
        unlock = session.query(AttendanceUnlock).one()
    assert unlock.reason == "Absence signalée après coup"
