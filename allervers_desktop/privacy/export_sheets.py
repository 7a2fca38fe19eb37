"""The readable workbook of « Exporter ses données »: one sheet per section of the JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from allervers_desktop.excel.xlsx_writing import SheetSpec
from allervers_desktop.formatting import (
    ATTENDANCE_STATUS_LABELS,
    ENROLLMENT_STATUS_LABELS,
    PERIOD_LABELS,
    PERSON_FIELD_LABELS,
)
from allervers_desktop.phones import display_phone

FIELD_LABELS = {
    "id": "Numéro",
    **PERSON_FIELD_LABELS,
    "notes": "Notes",
    "created_at": "Créé le",
    "updated_at": "Modifié le",
    "contact_erased_at": "Coordonnées effacées le",
    "anonymised_at": "Anonymisé le",
}
DOCUMENT_LABELS = {"attestation": "Attestation", "realisation": "Certificat de réalisation"}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _shown(name: str, value: Any) -> Any:
    if value is None:
        return ""
    return display_phone(value) if name == "phone" else value


def sheets(data: dict[str, Any]) -> list[SheetSpec]:
    """The readable workbook: one sheet per section."""
    person = data["participant"]
    employer = data["employer"]
    identity_rows: list[list[Any]] = [
        [FIELD_LABELS[name], _shown(name, value)] for name, value in person.items()
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
