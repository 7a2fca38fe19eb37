"""Command ``privacy``: retention rules, purge, one person's export and erasure, the RGPD log."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from allervers_desktop.cli.context import fail, guarded, opened_database, print_json, print_table

RULE_HELP = {
    "documents_years": "années de conservation des émargements et attestations (défaut 6)",
    "contacts_years": "années sans activité avant anonymisation (défaut 3)",
    "imports_months": "mois de conservation du détail des imports (défaut 12)",
    "log_years": "années de conservation du journal RGPD (défaut 6)",
}
RULE_OPTIONS = {
    "documents_years": "--documents-years",
    "contacts_years": "--contacts-years",
    "imports_months": "--imports-months",
    "log_years": "--log-years",
}


def register(subparsers: Any) -> None:
    privacy = subparsers.add_parser(
        "privacy", help="données personnelles (RGPD) : conservation, purge, export, effacement"
    )
    commands = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)

    rules = commands.add_parser("rules", help="voir ou changer les durées de conservation")
    for name, option in RULE_OPTIONS.items():
        rules.add_argument(option, type=int, metavar="N", dest=name, help=RULE_HELP[name])
    rules.add_argument("--json", action="store_true", help="sortie JSON")
    rules.set_defaults(handler=guarded(run_rules))

    purge = commands.add_parser("purge", help="appliquer les durées de conservation")
    purge.add_argument("--dry-run", action="store_true", help="montrer ce qui partirait, sans rien")
    purge.add_argument("--json", action="store_true", help="sortie JSON")
    purge.set_defaults(handler=guarded(run_purge))

    export = commands.add_parser("export", help="exporter les données d'un participant")
    export.add_argument("participant", type=int, metavar="PARTICIPANT_ID")
    export.add_argument("--out", required=True, metavar="DOSSIER", help="dossier où écrire")
    export.add_argument("--json", action="store_true", help="sortie JSON")
    export.set_defaults(handler=guarded(run_export))

    erase = commands.add_parser("erase", help="effacer / anonymiser un participant")
    erase.add_argument("participant", type=int, metavar="PARTICIPANT_ID")
    erase.add_argument("--yes", action="store_true", help="confirmer l'effacement")
    erase.add_argument("--json", action="store_true", help="sortie JSON")
    erase.set_defaults(handler=guarded(run_erase))

    journal = commands.add_parser("log", help="journal des purges, effacements et exports")
    journal.add_argument("--json", action="store_true", help="sortie JSON")
    journal.set_defaults(handler=guarded(run_log))


def run_rules(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from allervers_desktop.privacy.rules import SPECS, get_rules, save_rules

    changes = {
        name: getattr(args, name) for name in RULE_OPTIONS if getattr(args, name) is not None
    }
    with opened_database(args) as database, database.transaction() as session:
        rules = get_rules(session)
        if changes:
            rules = save_rules(session, replace(rules, **changes))
    if args.json:
        print_json(rules.as_dict())
        return 0
    print_table(
        ["Données", "Durée", "Règle"],
        [
            [spec.label, f"{getattr(rules, name)} {spec.unit}", RULE_OPTIONS[name]]
            for name, spec in SPECS.items()
        ],
    )
    if changes:
        print("Durées de conservation enregistrées.")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from allervers_desktop.privacy.purge import apply_purge, plan_purge

    with opened_database(args) as database:
        if args.dry_run:
            with database.session() as session:
                plan = plan_purge(session)
        else:
            with database.transaction() as session:
                plan = apply_purge(session)
    if args.json:
        print_json(plan.to_json())
    else:
        for line in plan.lines():
            print(line)
        if args.dry_run and not plan.is_empty:
            print("Simulation : rien n'a été modifié.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from allervers_desktop.privacy.export import export_person

    with opened_database(args) as database, database.transaction() as session:
        result = export_person(session, args.participant, Path(args.out).absolute())
    if args.json:
        print_json({"json": str(result.json_path), "xlsx": str(result.xlsx_path)})
    else:
        print(result.message())
    return 0


def run_erase(args: argparse.Namespace) -> int:
    from allervers_desktop.privacy.erasure import erase_participant, plan_erasure

    with opened_database(args) as database:
        if not args.yes:
            with database.session() as session:
                plan = plan_erasure(session, args.participant)
            if args.json:
                print_json(plan.to_json())
            else:
                print(plan.question())
            return fail("rien n'a été effacé : ajoutez --yes pour confirmer.")
        with database.transaction() as session:
            plan = erase_participant(session, args.participant)
    if args.json:
        print_json(plan.to_json())
    else:
        print(plan.done_message())
    return 0


def run_log(args: argparse.Namespace) -> int:
    from allervers_desktop.privacy.log import entries

    with opened_database(args) as database, database.session() as session:
        lines = entries(session)
    if args.json:
        print_json([line.to_json() for line in lines])
        return 0
    print_table(
        ["N°", "Date", "Action", "Par", "Participant", "Résumé"],
        [
            [
                str(line.id),
                line.performed_at.strftime("%d/%m/%Y %H:%M"),
                line.action_label,
                line.performed_by,
                str(line.participant_id or ""),
                line.summary,
            ]
            for line in lines
        ],
    )
    return 0
