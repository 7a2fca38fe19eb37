"""« Doublons probables » and « Conflits » on 100,000 participants: each under 2 s (issue 10).

    .venv/bin/python -m bench.bench_lifecycle [--repeat 5] [--db FILE]

On the large database (``generate_large.py``): the services ``probable_duplicates`` and
``conflicts``, each in a fresh session (medians of ``--repeat`` runs, after one untimed
warm-up so that the file is in the page cache), and the whole commands ``allervers duplicates
--json`` / ``allervers conflicts --json`` in a child process (interpreter start, output
included). The targets are absolute, as the issue states them; a reference measured in the same
run — one full scan of ``participants`` — is printed beside them, with each figure's ratio to
it, to tell a slow machine from a slow query. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text

from allervers_desktop.db.database import Database, open_database
from allervers_desktop.services.conflicts import conflicts
from allervers_desktop.services.duplicates import probable_duplicates
from bench.bench_startup import REPO, Row, print_table
from bench.generate_large import ensure_database

TARGET_S = 2.0
REFERENCE_SQL = (
    "SELECT COUNT(*), COUNT(DISTINCT sort_name), COUNT(DISTINCT phone) FROM participants"
)


def timed(database: Database, work: Callable[[Any], object], repeat: int) -> tuple[float, int]:
    """Median seconds of ``work(session)`` over ``repeat`` runs, and the size of its result."""
    size = 0
    durations = []
    for run in range(repeat + 1):
        with database.session() as session:
            start = time.perf_counter()
            result = work(session)
            elapsed = time.perf_counter() - start
        size = len(result) if isinstance(result, list) else 0
        if run:  # the first run warms the page cache
            durations.append(elapsed)
    return statistics.median(durations), size


def command_seconds(path: Path, command: str, repeat: int) -> float:
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "allervers_desktop", "--db", str(path), command, "--json"],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="base à mesurer (par défaut : la base générée)")
    parser.add_argument("--repeat", type=int, default=5, help="répétitions de chaque mesure")
    args = parser.parse_args(argv)
    path: Path = args.db or ensure_database()
    database = open_database(path)
    try:
        reference, _ = timed(
            database, lambda session: list(session.execute(text(REFERENCE_SQL))), args.repeat
        )
        duplicates_s, candidates = timed(database, probable_duplicates, args.repeat)
        conflicts_s, found = timed(database, conflicts, args.repeat)
    finally:
        database.close()
    duplicates_cli = command_seconds(path, "duplicates", max(args.repeat // 2, 1))
    conflicts_cli = command_seconds(path, "conflicts", max(args.repeat // 2, 1))
    rows = [
        Row("référence : un parcours de participants", f"{reference:.3f} s"),
        Row(
            f"doublons probables ({candidates} candidats, {duplicates_s / reference:.1f}× réf.)",
            f"{duplicates_s:.3f} s",
            f"< {TARGET_S:g} s",
            duplicates_s < TARGET_S,
        ),
        Row(
            f"conflits ({found} trouvés, {conflicts_s / reference:.1f}× réf.)",
            f"{conflicts_s:.3f} s",
            f"< {TARGET_S:g} s",
            conflicts_s < TARGET_S,
        ),
        Row("commande « duplicates --json » (processus entier)", f"{duplicates_cli:.3f} s"),
        Row("commande « conflicts --json » (processus entier)", f"{conflicts_cli:.3f} s"),
    ]
    print(f"Base : {path}")
    print_table(rows)
    passed = all(row.passed for row in rows if row.passed is not None)
    print(f"\nRésultat : {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
