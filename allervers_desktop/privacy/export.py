"""« Exporter ses données »: everything held about one participant, as JSON and as Excel.

The JSON is complete and machine-readable (right of access and portability); the workbook shows
the same sections as readable sheets. Both are written atomically and logged.
"""

from __future__ import annotations

import datetime as dt
import json
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
from allervers_desktop.excel.xlsx_writing import SheetSpec, write_workbook
from allervers_desktop.formatting import (
    ATTENDANCE_STATUS_LABELS,
    ENROLLMENT_STATUS_LABELS,
    PERIOD_LABELS,
)
from allervers_desktop.privacy import log
from allervers_desktop.privacy.facts import person_facts
from allervers_desktop.privacy.files import WriteError, write_atomically
from allervers_desktop.privacy.rules import get_rules
from allervers_desktop.services.attendance import COUNTED_STATUSES
from allervers_desktop.services.errors import NotFoundError

FIELD_LABELS = {
    "id": "Numéro",
    "civility": "Civilité",
    "last_name": "Nom",
    "first_name": "Prénom",
    "email": "E-mail",
    "phone": "Téléphone",
    "job_title": "Fonction",
    "notes": "Notes",
    "created_at": "Créé le",
    "updated_at": "Modifié le",
    "contact_erased_at": "Coordonnées effacées le",
    "anonymised_at": "Anonymisé le",
}
DOCUMENT_LABELS = {"attestation": "Attestation", "realisation": "Certificat de réalisation"}


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
        raise WriteError(f"Le dossier « {folder} » n'existe pas.")
    stem = f"donnees-participant-{participant_id}"
    json_target = folder / f"{stem}.json"
    json_existed = json_target.exists()
    json_path = write_atomically(json_target, _json_writer(data), _check_json)
    try:
        xlsx_path = write_atomically(folder / f"{stem}.xlsx", _xlsx_writer(data), _check_xlsx)
    except WriteError:
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


def _json_writer(data: dict[str, Any]) -> Any:
    def write(path: Path) -> None:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    return write


def _check_json(path: Path) -> None:
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise WriteError("le fichier relu n'est pas un JSON valide.") from exc


def _check_xlsx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except zipfile.BadZipFile as exc:
        raise WriteError("le classeur relu est endommagé.") from exc
    if bad is not None:
        raise WriteError("le classeur relu est endommagé.")


def _xlsx_writer(data: dict[str, Any]) -> Any:
    def write(path: Path) -> None:
        # write_workbook needs an .xlsx name; it writes atomically inside our temporary file.
        inner = path.with_name(path.name + ".xlsx")
        try:
            write_workbook(sheets(data), inner, None)
            inner.replace(path)
        finally:
            inner.unlink(missing_ok=True)

    return write


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def sheets(data: dict[str, Any]) -> list[SheetSpec]:
    """The readable workbook: one sheet per section."""
    person = data["participant"]
    employer = data["employer"]
    identity_rows: list[list[Any]] = [
        [FIELD_LABELS[name], value if value is not None else ""] for name, value in person.items()
    ]
    if employer:
        identity_rows.append(["Établissement", f"{employer['name']} {employer['city']}".strip()])
    retention = data["retention"]
    identity_rows.append(["Dernière activité", _date(retention["last_activity"])])
    identity_rows.append(["Documents conservés jusqu'au", _date(retention["documents_kept_until"])])
    heading = f"Données de {person['last_name'].upper()} {person['first_name']}".strip()
    enrollment_rows = [
        [
            e["course"],
            e["group"],
            e["city"],
            ", ".join(_date(d).strftime("%d/%m/%Y") for d in e["dates"]),  # type: ignore[union-attr]
            ENROLLMENT_STATUS_LABELS.get(e["status"], e["status"]),
            _date(e["enrolled_on"]),
            e["source"],
            e["hours_planned"],
            e["hours_attended"],
        ]
        for e in data["enrollments"]
    ]
    attendance_rows = [
        [
            e["group"],
            _date(a["date"]),
            PERIOD_LABELS.get(a["period"], a["period"]),
            ATTENDANCE_STATUS_LABELS.get(a["status"], a["status"]),
            a["reason"],
        ]
        for e in data["enrollments"]
        for a in e["attendance"]
    ]
    document_rows = [
        [
            DOCUMENT_LABELS.get(d["kind"], d["kind"]),
            d["number"],
            d["group"],
            _date(d["first_issued_at"]),
            d["print_count"],
            d["hours_attended"],
        ]
        for d in data["issued_documents"]
    ]
    import_rows = [
        [
            b["batch_id"],
            b["file_name"],
            _date(b["imported_at"]),
            _describe_import(b),
        ]
        for b in data["import_history"]
    ]
    log_rows = [
        [_date(e["performed_at"]), e["action"], e["performed_by"], e["summary"]]
        for e in data["privacy_log"]
    ]
    return [
        SheetSpec("Identité", heading, ["Donnée", "Valeur"], identity_rows, landscape=False),
        SheetSpec(
            "Inscriptions",
            "Inscriptions",
            [
                "Formation",
                "Groupe",
                "Lieu",
                "Dates",
                "Statut",
                "Inscrit le",
                "Origine",
                "Heures prévues",
                "Heures réalisées",
            ],
            enrollment_rows,
        ),
        SheetSpec(
            "Présences",
            "Présences par demi-journée",
            ["Groupe", "Date", "Demi-journée", "Présence", "Motif"],
            attendance_rows,
        ),
        SheetSpec(
            "Documents",
            "Documents délivrés",
            ["Document", "Numéro", "Groupe", "Délivré le", "Impressions", "Heures"],
            document_rows,
        ),
        SheetSpec(
            "Imports",
            "Historique des imports qui la concernent",
            ["Import n°", "Fichier", "Date", "Ce qui a été importé"],
            import_rows,
        ),
        SheetSpec(
            "Journal RGPD",
            "Purges, effacements et exports",
            ["Date", "Action", "Par", "Résumé"],
            log_rows,
        ),
    ]


def _describe_import(batch: dict[str, Any]) -> str:
    parts: list[str] = []
    for change in batch["changes"]:
        written = change.get("written") or {}
        values = ", ".join(
            f"{FIELD_LABELS.get(k, k)} : {v}" for k, v in written.items() if v not in (None, "")
        )
        verb = "créé" if change["action"] == "created" else "mis à jour"
        parts.append(f"{verb} ({values})" if values else verb)
    parts += [f"conflit sur {c.get('field')}" for c in batch["conflicts"]]
    parts += [f"ligne {m['row']} : {m['message']}" for m in batch["messages"]]
    if batch["details_purged_at"]:
        parts.append("détail purgé")
    return " ; ".join(parts)
