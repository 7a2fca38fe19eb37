"""Commands ``stats`` (the figures of the dashboard) and ``report`` (bilans to send)."""

from __future__ import annotations

import argparse
import datetime as dt
import math
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database, print_json, print_table

REPORT_KINDS = ("cofinancer", "employers")


def _date(text: str) -> dt.date:
    from allervers_desktop.formatting import parse_date

    value = parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"date illisible : « {text} » (JJ/MM/AAAA)")
    return value


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", type=int, metavar="ID", help="une formation")
    parser.add_argument("--from", dest="date_from", type=_date, metavar="DATE", help="du (inclus)")
    parser.add_argument("--to", dest="date_to", type=_date, metavar="DATE", help="au (inclus)")
    parser.add_argument("--city", metavar="VILLE", help="ville du groupe")
    parser.add_argument("--departement", metavar="CODE", help="département de l'établissement")
    parser.add_argument(
        "--status",
        choices=("planned", "confirmed", "cancelled", "completed"),
        help="statut des groupes",
    )
    parser.add_argument("--employer", type=int, metavar="ID", help="un établissement")


def register(subparsers: Any) -> None:
    stats = subparsers.add_parser("stats", help="statistiques : groupes, inscrits, heures")
    _filters(stats)
    stats.add_argument("--json", action="store_true", help="sortie JSON")
    stats.set_defaults(handler=guarded(run_stats))

    report = subparsers.add_parser(
        "report", help="bilan pour le cofinanceur, récapitulatif par établissement"
    )
    report.add_argument("kind", choices=REPORT_KINDS, metavar="cofinancer|employers")
    _filters(report)
    report.add_argument(
        "--out", required=True, metavar="FICHIER.xlsx|FICHIER.pdf|DOSSIER", help="où écrire"
    )
    report.add_argument(
        "--force", action="store_true", help="remplacer un fichier en lecture seule"
    )
    report.add_argument("--json", action="store_true", help="sortie JSON")
    report.set_defaults(handler=guarded(run_report))


def stats_filter(args: argparse.Namespace) -> Any:
    from allervers_desktop.stats.filters import StatsFilter

    return StatsFilter(
        date_from=args.date_from,
        date_to=args.date_to,
        course_id=args.course,
        city=args.city,
        departement=args.departement,
        group_status=args.status,
        employer_id=args.employer,
    )


def _percent(value: float | None) -> str:
    from allervers_desktop.formatting import decimal_fr

    if value is None:
        return "—"
    return f"{decimal_fr(math.floor(value * 1000 + 0.5) / 10)} %"  # 56,25 % -> « 56,3 % »


def run_stats(args: argparse.Namespace) -> int:
    from allervers_desktop.formatting import duration_fr
    from allervers_desktop.stats.compute import compute_stats
    from allervers_desktop.stats.serialise import stats_json

    with opened_database(args) as database, database.session() as session:
        stats = compute_stats(session, stats_filter(args))
    if args.json:
        print_json(stats_json(stats))
        return 0
    print_table(
        ["Indicateur", "Valeur"],
        [
            ["Groupes réalisés", str(stats.groups_held)],
            ["Groupes prévus", str(stats.groups_planned)],
            ["Groupes annulés", str(stats.groups_cancelled)],
            ["Places offertes", str(stats.seats_offered)],
            ["Inscrits", str(stats.enrollments)],
            ["Liste d'attente", str(stats.waitlisted)],
            ["Taux de remplissage", _percent(stats.fill_rate)],
            ["Stagiaires formés", str(stats.participants_trained)],
            ["Heures-stagiaires", duration_fr(stats.trainee_minutes)],
            ["Taux d'assiduité", _percent(stats.attendance_rate)],
            ["Jamais venus", str(stats.no_shows)],
            ["Retards", str(stats.late_presences)],
            ["Départs anticipés", str(stats.partial_presences)],
            ["Absences à justifier", str(stats.absences)],
            ["Absences excusées", str(stats.excused_absences)],
            *_cost_rows(stats),
        ],
    )
    for title, lines in (
        ("Par établissement (10 premiers)", stats.by_employer[:10]),
        ("Par département", stats.by_departement),
        ("Par fonction (10 premières)", stats.by_job_title[:10]),
    ):
        print()
        print(title)
        print_table(
            ["", "Stagiaires formés", "Inscrits", "Heures-stagiaires"],
            [
                [
                    line.label,
                    str(line.participants),
                    str(line.enrolled),
                    duration_fr(line.trainee_minutes),
                ]
                for line in lines
            ],
        )
    return 0


def _cost_rows(stats: Any) -> list[list[str]]:
    from allervers_desktop.budgets.amounts import euros

    costs = stats.costs
    if costs is None or not costs.has_budget:
        return [["Coût total", "— (aucun budget saisi)"]]

    def amount(cents: float | None) -> str:
        return "—" if cents is None else euros(cents)

    rows = [
        ["Coût total", euros(costs.total_cents)],
        ["Part Opco", euros(costs.opco_cents)],
        ["Part cofinanceur(s)", euros(costs.cofinancer_cents)],
        *[[f"  dont {name}", euros(cents)] for name, cents in costs.by_cofinancer],
        ["Coût par stagiaire formé", amount(costs.cost_per_participant)],
        ["Coût par heure-stagiaire", amount(costs.cost_per_trainee_hour)],
    ]
    if costs.unspread_cents:
        rows.append(["Coûts de formation sans groupe réalisé", euros(costs.unspread_cents)])
    return rows


def run_report(args: argparse.Namespace) -> int:
    from allervers_desktop.stats.reports import write_report

    with opened_database(args) as database, database.session() as session:
        written = write_report(
            session, args.kind, stats_filter(args), args.out, replace_read_only=args.force
        )
    if args.json:
        print_json({"files": [str(path) for path in written]})
    else:
        for path in written:
            print(f"Fichier « {path} » écrit.")
    return 0
