"""Commands ``documents`` (the register), ``sheets`` (signed sign-in sheets) and ``check``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database, print_json, print_table


def _date(text: str) -> Any:
    from allervers_desktop.cli.document_commands import _date as parse

    return parse(text)


def register(subparsers: Any) -> None:
    documents = subparsers.add_parser(
        "documents",
        aliases=["certificates"],
        help="journal des documents numérotés (chaque version et son état)",
    )
    documents.add_argument("--group", type=int, metavar="ID", help="seulement ce groupe")
    documents.add_argument("--json", action="store_true", help="sortie JSON")
    documents.set_defaults(handler=guarded(run_documents))

    sheets = subparsers.add_parser("sheets", help="feuilles d'émargement signées (scans)")
    actions = sheets.add_subparsers(dest="sheets_action", metavar="ACTION", required=True)
    attach = actions.add_parser("attach", help="joindre le scan signé d'une journée")
    attach.add_argument("group", type=int, metavar="GROUP_ID")
    attach.add_argument("date", type=_date, metavar="AAAA-MM-JJ")
    attach.add_argument("file", type=Path, metavar="FICHIER")
    attach.set_defaults(handler=guarded(run_sheets_attach))
    listing = actions.add_parser("list", help="les scans joints aux journées d'un groupe")
    listing.add_argument("group", type=int, metavar="GROUP_ID")
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=guarded(run_sheets_list))

    check = subparsers.add_parser(
        "check", help="contrôle de service fait d'un groupe (ce qu'un financeur relèverait)"
    )
    check.add_argument("group", type=int, metavar="GROUP_ID")
    check.add_argument("--json", action="store_true", help="sortie JSON")
    check.set_defaults(handler=guarded(run_check))


def run_documents(args: argparse.Namespace) -> int:
    from allervers_desktop.documents.register import document_register
    from allervers_desktop.formatting import hours_fr, short_date
    from allervers_desktop.services.groups import get_group

    with opened_database(args) as database, database.session() as session:
        if args.group is not None:
            get_group(session, args.group)
        entries = document_register(session, args.group)
    if args.json:
        print_json(
            [
                {
                    "number": entry.number,
                    "kind": entry.kind.value,
                    "participant": entry.participant_name,
                    "group_id": entry.group_id,
                    "group": entry.group_label,
                    "course": entry.course_title,
                    "hours_attended": entry.hours_attended,
                    "issued_on": entry.issued_on.isoformat(),
                    "created_at": entry.created_at.isoformat(),
                    "backdated": entry.backdated,
                    "state": entry.state,
                    "cancelled_at": entry.cancelled_at.isoformat() if entry.cancelled_at else None,
                    "replaces": entry.replaces or None,
                    "replaced_by": entry.replaced_by or None,
                    "print_count": entry.print_count,
                    "content_kept": not entry.legacy,
                }
                for entry in entries
            ]
        )
        return 0
    print_table(
        [
            "N°",
            "Document",
            "Participant",
            "Groupe",
            "Heures",
            "Délivré le",
            "État",
            "Remplace",
            "Remplacé par",
            "Impressions",
        ],
        [
            [
                entry.number,
                entry.kind.label,
                entry.participant_name,
                entry.group_label,
                hours_fr(entry.hours_attended),
                short_date(entry.issued_on) + (" (antidaté)" if entry.backdated else ""),
                entry.state_label,
                entry.replaces,
                entry.replaced_by,
                str(entry.print_count),
            ]
            for entry in entries
        ],
    )
    return 0


def run_sheets_attach(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import short_date
    from allervers_desktop.services.signed_sheets import attach_sheet, read_sheet_file

    content = read_sheet_file(args.file)
    with opened_database(args) as database, database.transaction() as session:
        info = attach_sheet(session, args.group, args.date, args.file.name, content)
    print(
        f"Feuille signée « {info.file_name} » ({info.size_label}) jointe au "
        f"{short_date(info.date)} (n° {info.sheet_id})."
    )
    return 0


def run_sheets_list(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import short_date
    from allervers_desktop.services.signed_sheets import list_sheets

    with opened_database(args) as database, database.session() as session:
        sheets = list_sheets(session, args.group)
    if args.json:
        print_json(
            [
                {
                    "id": sheet.sheet_id,
                    "date": sheet.date.isoformat(),
                    "file_name": sheet.file_name,
                    "media_type": sheet.media_type,
                    "size": sheet.size,
                    "attached_at": sheet.attached_at.isoformat(),
                }
                for sheet in sheets
            ]
        )
        return 0
    print_table(
        ["N°", "Journée", "Fichier", "Type", "Taille", "Joint le"],
        [
            [
                str(sheet.sheet_id),
                short_date(sheet.date),
                sheet.file_name,
                sheet.media_type,
                sheet.size_label,
                sheet.attached_at.strftime("%d/%m/%Y %H:%M"),
            ]
            for sheet in sheets
        ],
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    from allervers_desktop.documents.check import check_group

    with opened_database(args) as database, database.session() as session:
        findings = check_group(session, args.group)
    if args.json:
        print_json(
            [
                {
                    "code": finding.code,
                    "message": finding.message,
                    "date": finding.date.isoformat() if finding.date else None,
                    "participant": finding.participant or None,
                    "number": finding.number or None,
                }
                for finding in findings
            ]
        )
        return 0
    for finding in findings:
        print(finding.message)
    if not findings:
        print("Aucun point à signaler.")
    return 0
