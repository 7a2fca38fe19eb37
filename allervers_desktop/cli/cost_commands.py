"""Command ``cost``: the budget lines of a group or of a course (add, list, delete)."""

from __future__ import annotations

import argparse
from typing import Any

from allervers_desktop.cli.context import fail, guarded, opened_database, print_json, print_table


def register(subparsers: Any) -> None:
    cost = subparsers.add_parser(
        "cost", help="budget : lignes de coût d'un groupe ou d'une formation"
    )
    actions = cost.add_subparsers(dest="cost_action", metavar="add|list|delete", required=True)

    add = actions.add_parser("add", help="ajouter une ligne de coût")
    _owner(add)
    add.add_argument(
        "--kind",
        required=True,
        metavar="NATURE",
        help="prestataire, salle, restauration, déplacements ou autre",
    )
    add.add_argument("--amount", required=True, metavar="MONTANT", help="en euros : 1234,50")
    add.add_argument("--funder", required=True, metavar="opco|cofinanceur", help="qui paie")
    add.add_argument("--cofinancer", default="", metavar="NOM", help="nom du cofinanceur (DGCS)")
    add.add_argument("--label", default="", metavar="TEXTE", help="libellé")
    add.add_argument("--json", action="store_true", help="sortie JSON")
    add.set_defaults(handler=guarded(run_add))

    listing = actions.add_parser("list", help="lister les lignes de coût")
    _owner(listing, required=False)
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=guarded(run_list))

    delete = actions.add_parser("delete", help="supprimer une ligne de coût")
    delete.add_argument("cost", type=int, metavar="ID")
    delete.set_defaults(handler=guarded(run_delete))


def _owner(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    owner = parser.add_mutually_exclusive_group(required=required)
    owner.add_argument("--group", type=int, metavar="ID", help="un groupe")
    owner.add_argument("--course", type=int, metavar="ID", help="une formation")


def _row_json(row: Any) -> dict[str, Any]:
    from allervers_desktop.budgets.amounts import euros_value

    return {
        "id": row.id,
        "group_id": row.group_id,
        "course_id": row.course_id,
        "kind": row.kind,
        "label": row.label,
        "amount": euros_value(row.amount_cents),
        "funder": row.funder,
        "cofinancer": row.cofinancer,
    }


def run_add(args: argparse.Namespace) -> int:
    from allervers_desktop.budgets.amounts import euros, parse_amount
    from allervers_desktop.budgets.costs import CostInput, add_cost, list_costs

    data = CostInput(
        kind=args.kind,
        amount_cents=parse_amount(args.amount),
        funder=args.funder,
        cofinancer=args.cofinancer,
        label=args.label,
    )
    with opened_database(args) as database, database.transaction() as session:
        line = add_cost(session, data, group_id=args.group, course_id=args.course)
        row = next(
            r
            for r in list_costs(session, group_id=args.group, course_id=args.course)
            if r.id == line.id
        )
    if args.json:
        print_json(_row_json(row))
    else:
        print(
            f"Ligne de coût n° {row.id} ajoutée : {row.owner}, {row.kind_label}, "
            f"{euros(row.amount_cents)}, {row.funder_label}."
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from allervers_desktop.budgets.amounts import euros
    from allervers_desktop.budgets.costs import list_costs

    with opened_database(args) as database, database.session() as session:
        rows = list_costs(session, group_id=args.group, course_id=args.course)
    if args.json:
        print_json([_row_json(row) for row in rows])
        return 0
    print_table(
        ["N°", "Pour", "Nature", "Libellé", "Montant", "Financeur"],
        [
            [str(r.id), r.owner, r.kind_label, r.label, euros(r.amount_cents), r.funder_label]
            for r in rows
        ],
    )
    if rows:
        print(f"Total : {euros(sum(r.amount_cents for r in rows))}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from allervers_desktop.budgets.costs import delete_cost

    if args.cost <= 0:
        return fail(f"numéro de ligne invalide : {args.cost}.")
    with opened_database(args) as database, database.transaction() as session:
        delete_cost(session, args.cost)
    print(f"Ligne de coût n° {args.cost} supprimée.")
    return 0
