"""Commands ``import``, ``export``, ``imports`` and ``undo-import``: Excel exchange."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from allervers_desktop.cli.context import fail, guarded, opened_database, print_json, print_table

if TYPE_CHECKING:
    from allervers_desktop.excel.report import ImportReport

EXIT_UNREADABLE = 2


def register(subparsers: Any) -> None:
    importing = subparsers.add_parser(
        "import", help="importer une liste de participants (xlsx, xlsm, xls, ods, csv)"
    )
    importing.add_argument("file", metavar="FICHIER")
    importing.add_argument(
        "--group", type=int, metavar="ID", help="inscrire tout le monde à ce groupe"
    )
    importing.add_argument(
        "--course",
        type=int,
        metavar="ID",
        help="chercher les groupes de la colonne Groupe dans cette formation",
    )
    importing.add_argument("--sheet", metavar="NOM", help="feuille à lire (sinon : détectée)")
    importing.add_argument(
        "--dry-run", action="store_true", help="ne rien écrire, montrer le résultat"
    )
    importing.add_argument(
        "--different-person",
        type=int,
        action="append",
        default=[],
        metavar="PARTICIPANT_ID",
        help=(
            "la ligne qui ressemble à ce participant (même nom, même établissement, autre "
            "e-mail) est une autre personne : une nouvelle fiche (sinon : sa fiche est mise à "
            "jour) ; répétable"
        ),
    )
    importing.add_argument("--json", action="store_true", help="sortie JSON")
    importing.set_defaults(handler=guarded(run_import))

    exporting = subparsers.add_parser("export", help="exporter une liste au format Excel (.xlsx)")
    exporting.add_argument("file", metavar="FICHIER.xlsx")
    what = exporting.add_mutually_exclusive_group(required=True)
    what.add_argument("--group", type=int, metavar="ID", help="liste des participants d'un groupe")
    what.add_argument("--course", type=int, metavar="ID", help="tous les groupes d'une formation")
    what.add_argument("--participants", action="store_true", help="annuaire des participants")
    exporting.add_argument("--json", action="store_true", help="sortie JSON")
    exporting.add_argument(
        "--force", action="store_true", help="remplacer un fichier en lecture seule"
    )
    exporting.set_defaults(handler=guarded(run_export))

    history = subparsers.add_parser("imports", help="historique des imports")
    history.add_argument("--json", action="store_true", help="sortie JSON")
    history.set_defaults(handler=guarded(run_history))

    undo = subparsers.add_parser("undo-import", help="annuler un import de l'historique")
    undo.add_argument("batch", type=int, metavar="ID")
    undo.add_argument("--dry-run", action="store_true", help="dire seulement si c'est possible")
    undo.set_defaults(handler=guarded(run_undo))


def run_import(args: argparse.Namespace) -> int:
    from allervers_desktop.excel.errors import UnreadableFileError
    from allervers_desktop.excel.importer import ImportOptions, apply_import, preview_import
    from allervers_desktop.excel.layout import prepare_sheet
    from allervers_desktop.excel.reading import open_spreadsheet

    try:
        spreadsheet = open_spreadsheet(args.file)
        layout = prepare_sheet(spreadsheet, args.sheet)
        problems = layout.mapping.problems()
        if problems:
            raise UnreadableFileError(problems[0])
    except UnreadableFileError as exc:
        return fail(exc.message, EXIT_UNREADABLE)
    from allervers_desktop.excel.report import LOOKALIKE_PREFIX, OTHER_PERSON

    decisions = {f"{LOOKALIKE_PREFIX}p{pid}": OTHER_PERSON for pid in args.different_person}
    options = ImportOptions(group_id=args.group, course_id=args.course, decisions=decisions)
    with opened_database(args) as database:
        if args.dry_run:
            with database.session() as session:
                report = preview_import(session, spreadsheet, layout, options)
        else:
            with database.transaction() as session:
                report = apply_import(session, spreadsheet, layout, options)
    if args.json:
        print_json(report.to_json())
    else:
        _print_report(report)
    return 0


def _print_report(report: ImportReport) -> None:
    print(
        f"Fichier « {report.file_name} », feuille « {report.sheet_name} », "
        f"en-tête en ligne {report.header_row}."
    )
    print(report.summary())
    if report.skipped:
        print("\nLignes ignorées :")
        for row in report.skipped:
            print(f"  ligne {row.row} : {row.message}")
    if report.lookalikes:
        print("\nMême personne ? (--different-person ID : une nouvelle fiche) :")
        for look in report.lookalikes:
            verdict = "même personne, fiche mise à jour" if look.same else "personne différente"
            print(f"  {look.describe()} : {verdict}")
    if report.conflicts:
        print("\nConflits :")
        for conflict in report.conflicts:
            print(f"  ligne {conflict.row} : {conflict.describe()}")
    if report.warnings:
        print("\nAvertissements :")
        for notice in report.warnings:
            print(f"  {notice.describe()}")
    if report.batch_id is not None:
        print(
            f"\nImport n° {report.batch_id} enregistré dans l'historique "
            f"(pour l'annuler : allervers undo-import {report.batch_id})."
        )


def run_export(args: argparse.Namespace) -> int:
    from allervers_desktop.excel.export import (
        export_course_workbook,
        export_group_roster,
        export_participants,
    )

    force = args.force
    with opened_database(args) as database, database.session() as session:
        if args.group is not None:
            result = export_group_roster(session, args.group, args.file, replace_read_only=force)
        elif args.course is not None:
            result = export_course_workbook(
                session, args.course, args.file, replace_read_only=force
            )
        else:
            result = export_participants(session, args.file, replace_read_only=force)
    if args.json:
        print_json({"file": str(result.path), "sheets": result.sheets, "rows": result.rows})
    else:
        print(result.describe())
    return 0


def run_history(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from allervers_desktop.excel.history import list_batches

    with opened_database(args) as database, database.session() as session:
        batches = list_batches(session)
    if args.json:
        print_json([asdict(batch) for batch in batches])
        return 0
    print_table(
        ["N°", "Date", "Fichier", "Créés", "Mis à jour", "Inscrits", "Ignorés", "État"],
        [
            [
                str(batch.id),
                batch.imported_at.strftime("%d/%m/%Y %H:%M"),
                batch.file_name,
                str(batch.created),
                str(batch.updated),
                str(batch.enrolled + batch.waitlisted),
                str(batch.skipped),
                batch.status_label,
            ]
            for batch in batches
        ],
    )
    return 0


def run_undo(args: argparse.Namespace) -> int:
    from allervers_desktop.excel.history import check_undo, undo_batch

    with opened_database(args) as database:
        if args.dry_run:
            with database.session() as session:
                check = check_undo(session, args.batch)
            print(check.message())
            return 0 if check.allowed else 1
        with database.transaction() as session:
            check = undo_batch(session, args.batch)
    print(check.done_message())
    return 0
