"""Commands ``employers``, ``employer``, ``duplicates`` and ``conflicts``."""

from __future__ import annotations

import argparse
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database, print_json, print_table

EDITABLE = ("name", "city", "address", "siret", "finess", "contact_name", "contact_email")


def register(subparsers: Any) -> None:
    employers = subparsers.add_parser("employers", help="lister ou fusionner les établissements")
    actions = employers.add_subparsers(dest="employers_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="les établissements et leurs participants")
    listing.add_argument(
        "--search", default="", metavar="TEXTE", help="filtrer (nom, ville, SIRET)"
    )
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=guarded(run_employers_list))
    merge = actions.add_parser("merge", help="fusionner OTHER_ID dans KEEP_ID")
    merge.add_argument("keep_id", type=int, metavar="KEEP_ID", help="établissement conservé")
    merge.add_argument("other_id", type=int, metavar="OTHER_ID", help="établissement fusionné")
    merge.set_defaults(handler=guarded(run_employers_merge))

    employer = subparsers.add_parser("employer", help="modifier un établissement")
    employer.add_argument("employer_id", type=int, metavar="ID", help="numéro de l'établissement")
    for name in EDITABLE:
        employer.add_argument(f"--{name.replace('_', '-')}", dest=name, metavar="VALEUR")
    employer.set_defaults(handler=guarded(run_employer_edit))

    duplicates = subparsers.add_parser("duplicates", help="doublons probables de participants")
    duplicates.add_argument("--json", action="store_true", help="sortie JSON")
    duplicates.set_defaults(handler=guarded(run_duplicates))

    conflicts = subparsers.add_parser("conflicts", help="conflits d'intervenants et de lieux")
    conflicts.add_argument("--group", type=int, metavar="ID", help="ceux d'un groupe")
    conflicts.add_argument("--json", action="store_true", help="sortie JSON")
    conflicts.set_defaults(handler=guarded(run_conflicts))


def run_employers_list(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import format_siret
    from allervers_desktop.services.employer_directory import list_employers

    with opened_database(args) as database, database.session() as session:
        rows = list_employers(session, args.search)
    if args.json:
        print_json(rows)
        return 0
    table = [
        [
            str(r["id"]),
            r["name"],
            r["city"],
            format_siret(r["siret"]),
            r["finess"],
            str(r["participants"]),
        ]
        for r in rows
    ]
    print_table(["N°", "Établissement", "Ville", "SIRET", "FINESS", "Participants"], table)
    return 0


def run_employers_merge(args: argparse.Namespace) -> int:
    from allervers_desktop.services.employer_directory import merge_employers

    with opened_database(args) as database, database.transaction() as session:
        message = merge_employers(session, args.keep_id, args.other_id)
    print(message)
    return 0


def run_employer_edit(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from allervers_desktop.services.employer_directory import EmployerData, save_employer
    from allervers_desktop.services.employers import get_employer

    with opened_database(args) as database, database.transaction() as session:
        data = EmployerData.from_employer(get_employer(session, args.employer_id))
        changes = {
            name: getattr(args, name) for name in EDITABLE if getattr(args, name) is not None
        }
        employer = save_employer(session, args.employer_id, replace(data, **changes))
        label = employer.display_name
    print(f"Établissement « {label} » enregistré.")
    return 0


def run_duplicates(args: argparse.Namespace) -> int:
    from allervers_desktop.services.duplicates import probable_duplicates

    with opened_database(args) as database, database.session() as session:
        candidates = probable_duplicates(session)
    if args.json:
        print_json([c.as_dict() for c in candidates])
        return 0
    table = [
        [c.reason, c.value, ", ".join(map(str, c.participant_ids)), " / ".join(c.names)]
        for c in candidates
    ]
    print_table(["Motif", "Valeur", "N°", "Participants"], table)
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    from allervers_desktop.services.conflicts import conflicts

    with opened_database(args) as database, database.session() as session:
        if args.group is not None:
            from allervers_desktop.services.groups import get_group

            get_group(session, args.group)
        found = conflicts(session, args.group)
    if args.json:
        print_json([c.as_dict() for c in found])
        return 0
    if not found:
        print("Aucun conflit.")
    for conflict in found:
        print(conflict.message)
    return 0
