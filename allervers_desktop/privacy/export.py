"""« Exporter ses données »: everything held about one participant, as JSON and as Excel.

The JSON is complete and machine-readable (right of access and portability); the workbook shows
the same sections as readable sheets. Both are written atomically and logged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from allervers_desktop.db.models import (
    Attendance,
    Enrollment,
    Group,
    GroupDay,
    HalfDay,
    ImportBatch,
    ImportChange,
    IssuedDocument,
    Participant,
)
from allervers_desktop.excel.writing import SNAPSHOT_FIELDS
from allervers_desktop.excel.xlsx_writing import write_workbook
from allervers_desktop.files.atomic import write_file
from allervers_desktop.files.errors import FileWriteError
from allervers_desktop.privacy import log
from allervers_desktop.privacy.export_sheets import FIELD_LABELS, sheets
from allervers_desktop.privacy.facts import person_facts
from allervers_desktop.privacy.rules import get_rules
from allervers_desktop.services.attendance import COUNTED_STATUSES
from allervers_desktop.services.errors import NotFoundError


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def collect(session: Session, participant_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the database holds about the participant, as JSON-ready values."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFoundError("participant", participant_id)
    day = today or dt.date.today()
    identity = {name: _iso(getattr(participant, name)) for name in FIELD_LABELS}
    employer = participant.employer
    facts = person_facts(session, day, [participant_id])[participant_id]
    kept = facts.documents_until(get_rules(session))
    return {
        "exported_at": dt.datetime.now().replace(microsecond=0).isoformat(),
        "participant": identity,
        "employer": {"name": employer.name, "city": employer.city} if employer else None,
        "enrollments": _enrollments(session, participant_id),
        "issued_documents": _documents(session, participant_id),
        "import_history": _imports(session, participant),
        "privacy_log": [line.to_json() for line in log.entries(session, participant_id)],
        "retention": {
            "last_activity": facts.last_activity.isoformat(),
            "documents_kept_until": kept.isoformat() if kept else None,
        },
        "stored_files": [],  # no file is kept per participant (only the logo and signature)
    }


def _enrollments(session: Session, participant_id: int) -> list[dict[str, Any]]:
    enrollments = session.scalars(
        select(Enrollment)
        .where(Enrollment.participant_id == participant_id)
        .options(
            selectinload(Enrollment.group).selectinload(Group.course),
            selectinload(Enrollment.group)
            .selectinload(Group.days)
            .selectinload(GroupDay.half_days),
            selectinload(Enrollment.attendances)
            .selectinload(Attendance.half_day)
            .selectinload(HalfDay.day),
        )
        .order_by(Enrollment.id)
    )
    result = []
    for enrollment in enrollments:
        group = enrollment.group
        attendance = sorted(
            enrollment.attendances, key=lambda a: (a.half_day.day.date, a.half_day.period)
        )
        result.append(
            {
                "enrollment_id": enrollment.id,
                "course": group.course.title,
                "group": group.label,
                "city": group.city,
                "dates": [d.isoformat() for d in group.dates],
                "status": enrollment.status,
                "enrolled_on": enrollment.enrolled_on.isoformat(),
                "source": enrollment.source,
                "hours_planned": group.hours_planned,
                "hours_attended": sum(
                    a.half_day.hours for a in attendance if a.status in COUNTED_STATUSES
                ),
                "attendance": [
                    {
                        "date": a.half_day.day.date.isoformat(),
                        "period": a.half_day.period,
                        "status": a.status,
                        "reason": a.reason,
                        "recorded_at": a.recorded_at.isoformat(),
                    }
                    for a in attendance
                ],
            }
        )
    return result


def _documents(session: Session, participant_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(IssuedDocument, Group.label)
        .join(Enrollment, Enrollment.id == IssuedDocument.enrollment_id)
        .join(Group, Group.id == Enrollment.group_id)
        .where(Enrollment.participant_id == participant_id)
        .order_by(IssuedDocument.id)
    )
    return [
        {
            "kind": document.kind,
            "number": document.number,
            "group": label,
            "first_issued_at": document.first_issued_at.isoformat(),
            "last_printed_at": document.last_printed_at.isoformat(),
            "print_count": document.print_count,
            "hours_attended": document.hours_attended,
        }
        for document, label in rows
    ]


def _mentions(participant: Participant) -> list[str]:
    texts = [participant.email or "", participant.phone]
    if participant.anonymised_at is None:
        texts += [
            f"{participant.last_name} {participant.first_name}",
            f"{participant.first_name} {participant.last_name}",
        ]
    return [text.lower() for text in texts if len(text.strip()) >= 3]


def _imports(session: Session, participant: Participant) -> list[dict[str, Any]]:
    """Every import that wrote this person, or whose report mentions them."""
    pid = participant.id
    found: dict[int, dict[str, Any]] = {}

    def entry(batch: ImportBatch) -> dict[str, Any]:
        if batch.id not in found:
            found[batch.id] = {
                "batch_id": batch.id,
                "file_name": batch.file_name,
                "imported_at": batch.imported_at.isoformat(),
                "status": batch.status,
                "details_purged_at": _iso(batch.details_purged_at),
                "changes": [],
                "conflicts": [],
                "messages": [],
            }
        return found[batch.id]

    changes = session.execute(
        select(ImportChange, ImportBatch)
        .join(ImportBatch, ImportBatch.id == ImportChange.batch_id)
        .where(
            ImportChange.entity == "participant",
            ImportChange.entity_id <= pid,
            ImportChange.entity_id + ImportChange.entity_count > pid,
        )
    )
    for change, batch in changes:
        record: dict[str, Any] = {"action": change.action}
        if change.action == "created" and change.new_values:
            written = json.loads(change.new_values)
            offset = pid - change.entity_id
            if offset < len(written):
                record["written"] = dict(zip(SNAPSHOT_FIELDS, written[offset], strict=False))
        elif change.action == "updated":
            record["previous"] = json.loads(change.previous_values or "{}")
            record["written"] = json.loads(change.new_values or "{}")
        entry(batch)["changes"].append(record)
    mentions = _mentions(participant)
    for batch in session.scalars(select(ImportBatch).where(ImportBatch.report != "")):
        report = json.loads(batch.report)
        conflicts = [c for c in report.get("conflicts", []) if c.get("participant_id") == pid]
        messages = [
            {"row": item.get("row"), "message": str(item.get(key, ""))}
            for section, key in (("skipped", "reason"), ("warnings", "message"))
            for item in report.get(section, [])
            if any(m in str(item.get(key, "")).lower() for m in mentions)
        ]
        if conflicts or messages:
            entry(batch)["conflicts"] += conflicts
            entry(batch)["messages"] += messages
    return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class ExportResult:
    json_path: Path
    xlsx_path: Path

    def message(self) -> str:
        return (
            f"Données exportées : « {self.json_path.name} » et « {self.xlsx_path.name} » "
            f"dans « {self.json_path.parent} »."
        )


def export_person(
    session: Session, participant_id: int, folder: Path, today: dt.date | None = None
) -> ExportResult:
    """Write ``donnees-participant-N.json`` and ``.xlsx`` in ``folder``; log the export (the
    caller commits). A failure leaves neither file under its final name."""
    data = collect(session, participant_id, today)
    folder = Path(folder)
    if not folder.is_dir():
        raise FileWriteError(f"Le dossier « {folder} » n'existe pas.")
    stem = f"donnees-participant-{participant_id}"
    json_target = folder / f"{stem}.json"
    json_existed = json_target.exists()
    json_path = write_file(json_target, _json_writer(data), _check_json)
    try:
        xlsx_path = write_file(folder / f"{stem}.xlsx", _xlsx_writer(data), _check_xlsx)
    except FileWriteError:
        if not json_existed:  # one export is the two files: leave neither
            json_path.unlink(missing_ok=True)
        raise
    log.record(
        session,
        "export",
        f"Participant n° {participant_id} : données exportées (JSON et Excel).",
        {"enrollments": len(data["enrollments"]), "imports": len(data["import_history"])},
        participant_id,
    )
    return ExportResult(json_path, xlsx_path)


def _private(path: Path) -> None:
    """A person's data is for the user alone: the file is made 0600 before it is filled."""
    with contextlib.suppress(OSError):  # a file system without permissions (FAT, SMB)
        os.chmod(path, 0o600)


def _json_writer(data: dict[str, Any]) -> Any:
    def write(path: Path) -> None:
        _private(path)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    return write


def _check_json(path: Path) -> None:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise FileWriteError("le fichier relu n'est pas un JSON valide.") from exc


def _check_xlsx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise FileWriteError("le classeur relu est endommagé.") from exc
    if bad is not None:
        raise FileWriteError("le classeur relu est endommagé.")


def _xlsx_writer(data: dict[str, Any]) -> Any:
    def write(path: Path) -> None:
        # write_workbook needs an .xlsx name; it writes atomically inside our temporary file.
        inner = path.with_name(path.name + ".xlsx")
        try:
            write_workbook(sheets(data), inner, None)
            _private(inner)  # before it takes the temporary file's place
            inner.replace(path)
        finally:
            inner.unlink(missing_ok=True)

    return write
