"""Commands ``transfer``, ``substitute`` and ``merge-participants``: changes that keep history."""

from __future__ import annotations

import argparse
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database


def register(subparsers: Any) -> None:
    transfer = subparsers.add_parser(
        "transfer", help="transférer un participant vers un autre groupe"
    )
    transfer.add_argument("participant", type=int, metavar="PARTICIPANT_ID")
    transfer.add_argument(
        "--from", dest="source", type=int, required=True, metavar="GROUP_ID", help="son groupe"
    )
    transfer.add_argument(
        "--to", dest="target", type=int, required=True, metavar="GROUP_ID", help="le nouveau"
    )
    _force(transfer)
    transfer.set_defaults(handler=guarded(run_transfer))

    substitute = subparsers.add_parser(
        "substitute", help="remplacer un participant par un collègue du même établissement"
    )
    substitute.add_argument("old", type=int, metavar="OLD_ID", help="qui laisse sa place")
    substitute.add_argument("new", type=int, metavar="NEW_ID", help="qui la prend")
    substitute.add_argument("--group", type=int, required=True, metavar="ID", help="le groupe")
    _force(substitute)
    substitute.set_defaults(handler=guarded(run_substitute))

    from allervers_desktop.services.participant_merge import field_help

    merge = subparsers.add_parser(
        "merge-participants",
        help="fusionner deux fiches d'une même personne (la seconde disparaît)",
        description="Fusionne OTHER_ID dans KEEP_ID : inscriptions, présences, documents et "
        "historique des imports suivent la fiche gardée. Sans --take, les valeurs de "
        "KEEP_ID sont gardées.",
    )
    merge.add_argument("keep", type=int, metavar="KEEP_ID", help="la fiche gardée")
    merge.add_argument("other", type=int, metavar="OTHER_ID", help="la fiche fusionnée")
    merge.add_argument(
        "--take",
        action="append",
        default=[],
        metavar="FIELD=other",
        help=f"prendre la valeur de OTHER_ID pour ce champ (répétable). Champs : {field_help()}",
    )
    merge.add_argument(
        "--dry-run",
        action="store_true",
        help="montrer les champs qui diffèrent et ce que ferait la fusion, sans rien modifier",
    )
    merge.set_defaults(handler=guarded(run_merge))


def _force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="le faire même si des présences sont saisies (elles restent dans l'historique)",
    )


def _report(outcome: Any) -> None:
    for warning in outcome.warnings:
        print(f"Attention : {warning}")


def _seat_freed(people: list[Any], group_id: int) -> str:
    if not people:
        return f"Une place s'est libérée dans le groupe n° {group_id} : personne n'attend."
    names = ", ".join(f"{p.name} (n° {p.participant_id})" for p in people)
    return (
        f"Une place s'est libérée dans le groupe n° {group_id}. Peut la prendre : {names}. "
        f"Pour la lui donner : allervers promote {people[0].participant_id} --group {group_id}"
    )


def run_transfer(args: argparse.Namespace) -> int:
    from allervers_desktop.services.transfers import transfer

    with opened_database(args) as database, database.transaction() as session:
        outcome = transfer(session, args.participant, args.source, args.target, force=args.force)
        name = outcome.enrollment.participant.full_name
        label = outcome.enrollment.group.label
        freed = outcome.promotable
    if outcome.waitlisted:
        print(
            f"Le groupe « {label} » est complet : {name} est transféré(e) sur sa liste d'attente."
        )
    else:
        print(f"{name} est transféré(e) au groupe « {label} » (n° {args.target}).")
    print("L'ancienne inscription reste dans l'historique, au statut « Transféré ».")
    _report(outcome)
    if outcome.freed_seat:
        print(_seat_freed(freed, args.source))
    return 0


def run_substitute(args: argparse.Namespace) -> int:
    from allervers_desktop.db.models import Participant
    from allervers_desktop.services.transfers import substitute

    with opened_database(args) as database, database.transaction() as session:
        outcome = substitute(session, args.group, args.old, args.new, force=args.force)
        name = outcome.enrollment.participant.full_name
        leaving = session.get(Participant, args.old)
        old_name = leaving.full_name if leaving is not None else str(args.old)
    place = "sa place sur la liste d'attente" if outcome.waitlisted else "sa place"
    print(f"{name} prend {place} de {old_name} dans le groupe n° {args.group}.")
    print(f"L'inscription de {old_name} reste dans l'historique, au statut « Annulé ».")
    _report(outcome)
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from allervers_desktop.services.participant_merge import OTHER, merge_participants

    take: dict[str, str] = {}
    for item in args.take:
        name, _sep, side = item.partition("=")
        take[name.strip()] = side.strip().lower() or OTHER
    with opened_database(args) as database, database.transaction() as session:
        if args.dry_run:
            _print_differences(session, args.keep, args.other)
        result = merge_participants(session, args.keep, args.other, take)
        if args.dry_run:
            session.rollback()
    if args.dry_run:
        print("Aperçu : rien n'a été modifié. Sans --dry-run, la fusion ferait ceci :")
    print(
        f"Fiche n° {result.removed_id} fusionnée dans la fiche n° {result.kept_id} ({result.name})."
    )
    if result.fields_taken:
        print(
            f"Valeurs reprises de la fiche n° {result.removed_id} : "
            f"{', '.join(result.fields_taken)}."
        )
    print(
        f"Inscriptions reprises : {result.moved_enrollments}; présences déplacées : "
        f"{result.moved_attendance}; documents déplacés : {result.moved_documents}."
    )
    for label in result.joined_groups:
        print(
            f"Les deux fiches étaient inscrites au groupe « {label} » : "
            "une seule inscription reste."
        )
    return 0


def _print_differences(session: Any, keep: int, other: int) -> None:
    from allervers_desktop.cli.context import print_table
    from allervers_desktop.services.participant_merge import differences

    rows = [[d.label, d.kept, d.other] for d in differences(session, keep, other)]
    print_table(["Champ", f"Fiche n° {keep} (gardée)", f"Fiche n° {other}"], rows)
    print()
