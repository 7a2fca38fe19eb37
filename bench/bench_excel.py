"""Excel import/export speed against openpyxl baselines measured in the same run.

    .venv/bin/python -m bench.bench_excel [--rows 10000] [--repeat 3]

Import: the full import (read, map, validate, deduplicate, write) of a generated list versus
openpyxl's read-only mode merely reading that file; target <= 0.5x.
Export: a formatted export of as many participants versus an openpyxl write-only dump of the
same values; target <= 1.3x. Medians of ``--repeat`` runs. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl

from allervers_desktop.db.database import Database, open_database
from allervers_desktop.excel.export import directory_spec, export_participants
from allervers_desktop.excel.importer import import_file
from allervers_desktop.services.demo import load_demo
from allervers_desktop.services.groups import DayData, GroupData, create_group

IMPORT_TARGET = 0.5
EXPORT_TARGET = 1.3
HEADERS = [
    "Civilité",
    "NOM",
    "Prénom",
    "Fonction",
    "Établissement",
    "Ville",
    "Adresse e-mail",
    "Téléphone",
    "Groupe",
]
JOBS = [
    "Éducatrice spécialisée",
    "Moniteur-éducateur",
    "Assistante de service social",
    "Chef de service",
    "Intervenant social",
    "Veilleur de nuit",
]
CITIES = ["Strasbourg", "Metz", "Nancy", "Mulhouse", "Colmar", "Reims", "Épinal"]


def letters(number: int) -> str:
    """0 -> « AAAA », 1 -> « AAAB »…: names contain no digits."""
    text = ""
    for _ in range(4):
        number, rest = divmod(number, 26)
        text = chr(ord("A") + rest) + text
    return text


def list_rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = []
    for number in range(count):
        city = CITIES[number % len(CITIES)]
        rows.append(
            [
                "Mme" if number % 2 else "M.",
                f"MARTIN-{letters(number)}",
                f"Prénom {letters(number).capitalize()}",
                JOBS[number % len(JOBS)],
                f"Établissement n° {number % 400}",
                city,
                f"personne{number}@exemple.fr",
                f"03 88 {number % 100:02d} {number // 100 % 100:02d} 00",
                "Groupe 3" if number % 2 else "Groupe 4",
            ]
        )
    return rows


def write_list(path: Path, count: int) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Inscriptions")
    sheet.append(["Liste des participants — généré pour le banc d'essai"])
    sheet.append([])
    sheet.append(HEADERS)
    for row in list_rows(count):
        sheet.append(row)
    sheet.append(["Total : inscrits"])
    workbook.save(path)


def prepare_database(path: Path) -> None:
    """The example data and two groups without capacity limit to route the rows to."""
    database = open_database(path)
    try:
        with database.transaction() as session:
            course_id = load_demo(session).course_id
            for label, city, day in (("Groupe 3", "Nancy", 6), ("Groupe 4", "Reims", 13)):
                create_group(
                    session,
                    GroupData(course_id, label, city, days=[DayData(dt.date(2023, 11, day))]),
                )
    finally:
        database.close()


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def openpyxl_read(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True)
    count = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return count


def openpyxl_dump(values: Sequence[Sequence[object]], headers: list[str], path: Path) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Participants")
    sheet.append(headers)
    for row in values:
        sheet.append(row)
    workbook.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-excel-") as folder:
        work = Path(folder)
        source = work / "liste.xlsx"
        write_list(source, args.rows)
        template = work / "modele.sqlite3"
        prepare_database(template)

        read_time = median_time(lambda: openpyxl_read(source), args.repeat)
        import_times: list[float] = []
        imported: Database | None = None
        for run in range(args.repeat):
            copy = work / f"import-{run}.sqlite3"
            shutil.copy(template, copy)
            database = open_database(copy)
            start = time.perf_counter()
            report = import_file(database, source)
            import_times.append(time.perf_counter() - start)
            assert report.counts.created == args.rows, report.summary()
            if imported is not None:
                imported.close()
            imported = database
        import_time = statistics.median(import_times)
        assert imported is not None

        with imported.session() as session:
            spec = directory_spec(session)
            values, headers = spec.rows, spec.headers
            dump_time = median_time(
                lambda: openpyxl_dump(values, headers, work / "dump.xlsx"), args.repeat
            )
            export_time = median_time(
                lambda: export_participants(session, work / "export.xlsx"), args.repeat
            )
        imported.close()

    import_ratio = import_time / read_time
    export_ratio = export_time / dump_time
    print(f"Lignes : {args.rows}, mesures : médiane de {args.repeat}")
    print(f"openpyxl lecture seule (lire le fichier)   : {read_time:7.3f} s")
    print(f"import complet (lire, valider, écrire)     : {import_time:7.3f} s")
    print(f"  ratio import / lecture openpyxl          : {import_ratio:7.2f}", end="")
    print(f"  (cible <= {IMPORT_TARGET})")
    print(f"openpyxl écriture seule (mêmes valeurs)    : {dump_time:7.3f} s")
    print(f"export mis en forme (annuaire)             : {export_time:7.3f} s")
    print(f"  ratio export / écriture openpyxl         : {export_ratio:7.2f}", end="")
    print(f"  (cible <= {EXPORT_TARGET})")
    met = import_ratio <= IMPORT_TARGET and export_ratio <= EXPORT_TARGET
    print("Cibles atteintes." if met else "Cible manquée.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
