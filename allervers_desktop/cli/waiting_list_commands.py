"""Commands ``enroll``, ``cancel``, ``promote`` and ``waiting-list``: places and the queue."""

from __future__ import annotations

import argparse
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database, print_json, print_table


def register(subparsers: Any) -> None:
    enroll = subparsers.add_parser("enroll", help="inscrire un participant à un groupe")
    _person_and_group(enroll)
    enroll.set_defaults(handler=guarded(run_enroll))

    cancel = subparsers.add_parser(
        "cancel", help="annuler une inscription (dit qui pourrait prendre la place)"
    )
    _person_and_group(cancel)
    cancel.set_defaults(handler=guarded(run_cancel))

    promote = subparsers.add_parser(
        "promote", help="donner une place libre à une personne en attente"
    )
    _person_and_group(promote)
    promote.set_defaults(handler=guarded(run_promote))

    waiting = subparsers.add_parser("waiting-list", help="la liste d'attente d'un groupe")
    waiting.add_argument("group", type=int, metavar="GROUP_ID")
    waiting.add_argument("--move", type=int, metavar="PARTICIPANT_ID", help="déplacer quelqu'un")
    waiting.add_argument("--to", type=int, metavar="PLACE", help="avec --move : sa nouvelle place")
    waiting.add_argument("--json", action="store_true", help="sortie JSON")
    waiting.set_defaults(handler=guarded(run_waiting_list))


def _person_and_group(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("participant", type=int, metavar="PARTICIPANT_ID")
    parser.add_argument("--group", type=int, required=True, metavar="ID", help="le groupe")


def _candidates(people: list[Any]) -> str:
    if not people:
        return "Personne n'attend cette place."
    names = ", ".join(f"{p.name} (n° {p.participant_id})" for p in people)
    return (
        f"Peut prendre la place : {names}. Pour la lui donner : "
        f"allervers promote {people[0].participant_id} --group …"
    )


def run_enroll(args: argparse.Namespace) -> int:
    from allervers_desktop.db.models import EnrollmentStatus
    from allervers_desktop.services.enrollments import enroll

    with opened_database(args) as database, database.transaction() as session:
        enrollment = enroll(session, args.group, args.participant)
        name = enrollment.participant.full_name
        waiting = enrollment.status == EnrollmentStatus.WAITLISTED.value
    if waiting:
        print(f"Le groupe est complet : {name} est inscrit(e) sur la liste d'attente.")
    else:
        print(f"{name} est inscrit(e) au groupe n° {args.group}.")
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    from allervers_desktop.services.waiting_list import cancel

    with opened_database(args) as database, database.transaction() as session:
        candidates = cancel(session, args.group, args.participant)
    print("Inscription annulée (elle reste dans l'historique du groupe, statut « Annulé »).")
    print(_candidates(candidates).replace("--group …", f"--group {args.group}"))
    return 0


def run_promote(args: argparse.Namespace) -> int:
    from allervers_desktop.services.waiting_list import promote

    with opened_database(args) as database, database.transaction() as session:
        name = promote(session, args.group, args.participant).participant.full_name
    print(f"{name} quitte la liste d'attente : inscrit(e) au groupe n° {args.group}.")
    return 0


def run_waiting_list(args: argparse.Namespace) -> int:
    from allervers_desktop.cli.context import fail
    from allervers_desktop.services.waiting_list import move, promotable, waiting_list

    if (args.move is None) != (args.to is None):
        return fail("--move et --to vont ensemble : --move PARTICIPANT_ID --to PLACE.")
    if args.move is not None:
        with opened_database(args) as database, database.transaction() as session:
            people = move(session, args.group, args.move, args.to)
            free = {p.participant_id for p in promotable(session, args.group)}
    else:
        with opened_database(args) as database, database.session() as session:
            people = waiting_list(session, args.group)
            free = {p.participant_id for p in promotable(session, args.group)}
    if args.json:
        print_json(
            [
                {
                    "position": p.position,
                    "participant_id": p.participant_id,
                    "name": p.name,
                    "employer": p.employer,
                    "seat_free": p.participant_id in free,
                }
                for p in people
            ]
        )
        return 0
    rows = [
        [
            str(p.position),
            str(p.participant_id),
            p.name,
            p.employer,
            "oui" if p.participant_id in free else "",
        ]
        for p in people
    ]
    print_table(["Place", "N°", "Participant", "Établissement", "Place libre"], rows)
    return 0
