"""Command ``complaint``: the log of complaints and improvement actions (Qualiopi 31–32)."""

from __future__ import annotations

import argparse
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database, print_json, print_table
from allervers_desktop.cli.stats_commands import _date


def register(subparsers: Any) -> None:
    complaint = subparsers.add_parser(
        "complaint", help="réclamations et actions d'amélioration (Qualiopi 31–32)"
    )
    actions = complaint.add_subparsers(
        dest="complaint_action", metavar="add|list|close|export", required=True
    )

    add = actions.add_parser("add", help="enregistrer une réclamation")
    add.add_argument("--date", type=_date, metavar="DATE", help="reçue le (aujourd'hui sinon)")
    add.add_argument(
        "--source",
        required=True,
        metavar="ORIGINE",
        help="stagiaire, employeur, formateur, financeur, interne ou autre",
    )
    add.add_argument("--group", type=int, metavar="ID", help="le groupe concerné")
    add.add_argument("--description", required=True, metavar="TEXTE")
    add.add_argument("--analysis", default="", metavar="TEXTE", help="analyse")
    add.add_argument("--action", default="", metavar="TEXTE", help="action menée")
    add.add_argument("--person", default="", metavar="NOM", help="responsable")
    add.add_argument("--json", action="store_true", help="sortie JSON")
    add.set_defaults(handler=guarded(run_add))

    listing = actions.add_parser("list", help="lister les réclamations")
    _filters(listing)
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=guarded(run_list))

    close = actions.add_parser("close", help="clore une réclamation")
    close.add_argument("complaint", type=int, metavar="ID")
    close.add_argument("--date", type=_date, metavar="DATE", help="close le (aujourd'hui sinon)")
    close.add_argument("--action", default="", metavar="TEXTE", help="action menée")
    close.set_defaults(handler=guarded(run_close))

    export = actions.add_parser("export", help="exporter le registre (.xlsx)")
    _filters(export)
    export.add_argument("--out", required=True, metavar="FICHIER.xlsx")
    export.add_argument(
        "--force", action="store_true", help="remplacer un fichier en lecture seule"
    )
    export.set_defaults(handler=guarded(run_export))


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", metavar="STATUT", help="ouverte, en-cours ou close")
    parser.add_argument("--group", type=int, metavar="ID", help="un groupe")


def _json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "received_on": row.received_on.isoformat(),
        "source": row.source,
        "group_id": row.group_id,
        "group": row.group,
        "description": row.description,
        "analysis": row.analysis,
        "action_taken": row.action_taken,
        "person_in_charge": row.person_in_charge,
        "status": row.status,
        "closed_on": row.closed_on.isoformat() if row.closed_on else None,
    }


def run_add(args: argparse.Namespace) -> int:
    from allervers_desktop.clock import now
    from allervers_desktop.services.complaints import ComplaintData, add_complaint

    with opened_database(args) as database, database.transaction() as session:
        complaint = add_complaint(
            session,
            ComplaintData(
                received_on=args.date or now(session).date(),
                source=args.source,
                description=args.description,
                group_id=args.group,
                analysis=args.analysis,
                action_taken=args.action,
                person_in_charge=args.person,
            ),
        )
        complaint_id = complaint.id
    if args.json:
        print_json({"id": complaint_id})
    else:
        print(f"Réclamation n° {complaint_id} enregistrée (ouverte).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import short_date
    from allervers_desktop.services.complaints import list_complaints

    with opened_database(args) as database, database.session() as session:
        rows = list_complaints(session, status=args.status, group_id=args.group)
    if args.json:
        print_json([_json(row) for row in rows])
        return 0
    print_table(
        ["N°", "Reçue le", "Origine", "Groupe", "Description", "Statut", "Close le"],
        [
            [
                str(r.id),
                short_date(r.received_on),
                r.source_label,
                r.group,
                r.description[:60],
                r.status_label,
                short_date(r.closed_on),
            ]
            for r in rows
        ],
    )
    return 0


def run_close(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import short_date
    from allervers_desktop.services.complaints import close_complaint

    with opened_database(args) as database, database.transaction() as session:
        closed_on = close_complaint(session, args.complaint, on=args.date, action=args.action)
        day = short_date(closed_on.closed_on)
    print(f"Réclamation n° {args.complaint} close le {day}.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from allervers_desktop.services.complaints import export_complaints

    with opened_database(args) as database, database.session() as session:
        count = export_complaints(
            session,
            args.out,
            status=args.status,
            group_id=args.group,
            replace_read_only=args.force,
        )
    print(f"{count} réclamation(s) exportée(s) dans « {args.out} ».")
    return 0
