"""Commands ``demo`` and ``list``: load the example data, list what the database holds."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database, print_json, print_table

LIST_KINDS = ("courses", "groups", "trainers", "participants")


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser("demo", help="charger les données d'exemple (fiche technique)")
    demo.set_defaults(handler=guarded(run_demo))

    listing = subparsers.add_parser("list", help="lister formations, groupes, intervenants…")
    listing.add_argument(
        "kind", choices=LIST_KINDS, metavar="QUOI", help="courses, groups, trainers ou participants"
    )
    listing.add_argument("--group", type=int, metavar="ID", help="participants d'un groupe")
    listing.add_argument("--course", type=int, metavar="ID", help="groupes d'une formation")
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=guarded(run_list))


def run_demo(args: argparse.Namespace) -> int:
    from allervers_desktop.services.demo import load_demo

    with opened_database(args) as database, database.transaction() as session:
        result = load_demo(session)
    print(result.message)
    return 0


def _dates(values: list[str]) -> str:
    return ", ".join(dt.date.fromisoformat(v).strftime("%d/%m/%Y") for v in values)


def run_list(args: argparse.Namespace) -> int:
    from allervers_desktop.cli.context import fail
    from allervers_desktop.formatting import ENROLLMENT_STATUS_LABELS, GROUP_STATUS_LABELS
    from allervers_desktop.services import listing

    if args.group is not None and args.kind != "participants":
        return fail("--group ne s'applique qu'à « list participants ».")
    if args.course is not None and args.kind != "groups":
        return fail("--course ne s'applique qu'à « list groups ».")
    with opened_database(args) as database, database.session() as session:
        if args.kind == "courses":
            rows = listing.list_courses(session)
            table = [
                [str(r["id"]), r["title"], r["module"], r["provider"], str(r["groups"])]
                for r in rows
            ]
            headers = ["N°", "Formation", "Module", "Organisme", "Groupes"]
        elif args.kind == "groups":
            rows = listing.list_groups(session, args.course)
            table = [
                [
                    str(r["id"]),
                    str(r["course_id"]),
                    r["label"],
                    r["city"],
                    _dates(r["dates"]),
                    GROUP_STATUS_LABELS[r["status"]],
                    f"{r['enrolled']} / {r['capacity']}" if r["capacity"] else str(r["enrolled"]),
                ]
                for r in rows
            ]
            headers = ["N°", "Formation", "Groupe", "Lieu", "Dates", "Statut", "Inscrits"]
        elif args.kind == "trainers":
            rows = listing.list_trainers(session)
            table = [
                [
                    str(r["id"]),
                    r["last_name"].upper(),
                    r["first_name"],
                    r["job_title"],
                    r["email"] or "",
                ]
                for r in rows
            ]
            headers = ["N°", "Nom", "Prénom", "Fonction", "E-mail"]
        else:
            rows = listing.list_participants(session, args.group)
            table = [
                [
                    str(r["id"]),
                    r["last_name"].upper(),
                    r["first_name"],
                    r["employer"],
                    r["email"] or "",
                ]
                + ([ENROLLMENT_STATUS_LABELS[r["enrollment_status"]]] if args.group else [])
                for r in rows
            ]
            headers = ["N°", "Nom", "Prénom", "Établissement", "E-mail"]
            if args.group:
                headers.append("Inscription")
    if args.json:
        print_json(rows)
    else:
        print_table(headers, table)
    return 0
