"""Statistics benchmark: the dashboard's figures with every filter cleared, on 100,000 people.

Run with ``.venv/bin/python -m bench.bench_stats``. The large database (``generate_large``) has
no attendance, so a copy of it gets one record per active enrollment and half-day of every
group that has started (about 300,000 rows: mostly present, some late, left early, absent,
excused; one enrollment in twenty never came), written by one ``INSERT … SELECT`` in the
order a coordinator enters them: half-day after half-day.

Measured, alternately so that both see the same machine: ``compute_stats`` with an empty
filter, and the baseline, one pass over the same joined rows (attendance → enrollment →
half-day → day) summing the minutes attended. Targets: the statistics take at most
``MAX_SECONDS`` (best processor time of the rounds), and at most ``MAX_RATIO`` times the
baseline measured in this run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select, text

from allervers_desktop.db.database import open_database
from allervers_desktop.db.models import Attendance, Enrollment, GroupDay, HalfDay
from allervers_desktop.stats.compute import compute_stats, minutes_attended
from allervers_desktop.stats.filters import StatsFilter
from bench.generate_large import ensure_database

MAX_SECONDS = 0.5
MAX_RATIO = 12.0
Timing = tuple[float, float]  # (processor, wall) seconds

ATTENDANCE = """
INSERT INTO attendances (enrollment_id, half_day_id, status, reason, arrived_at, left_at,
                         recorded_at)
SELECT e.id, h.id,
       CASE WHEN e.id % 20 = 0 THEN 'absent'
            WHEN k < 80 THEN 'present' WHEN k < 85 THEN 'late' WHEN k < 90 THEN 'present'
            WHEN k < 96 THEN 'absent' ELSE 'excused' END,
       '',
       CASE WHEN e.id % 20 <> 0 AND k >= 80 AND k < 85
            THEN CASE h.period WHEN 'am' THEN :late_am ELSE :late_pm END END,
       CASE WHEN e.id % 20 <> 0 AND k >= 85 AND k < 90
            THEN CASE h.period WHEN 'am' THEN :left_am ELSE :left_pm END END,
       :recorded
FROM (SELECT e.id AS id, h.id AS half_id, d.date AS d_date, (e.id * 37 + h.id * 11) % 100 AS k
      FROM enrollments e
      JOIN groups g ON g.id = e.group_id
      JOIN group_days d ON d.group_id = g.id
      JOIN half_days h ON h.group_day_id = d.id
      WHERE e.status IN ('registered', 'confirmed') AND g.status <> 'cancelled'
        AND d.date < '2024-06-01') AS x
JOIN enrollments e ON e.id = x.id
JOIN half_days h ON h.id = x.half_id
ORDER BY x.d_date, h.id, e.id
"""


def with_attendance(source: Path, folder: Path) -> tuple[Path, int, float]:
    target = folder / "stats.sqlite3"
    shutil.copyfile(source, target)
    started = time.perf_counter()
    database = open_database(target)
    try:
        with database.engine.begin() as connection:
            connection.execute(
                text(ATTENDANCE),
                {
                    "late_am": "09:50:00.000000",
                    "late_pm": "13:50:00.000000",
                    "left_am": "11:30:00.000000",
                    "left_pm": "16:00:00.000000",
                    "recorded": "2024-06-01 09:00:00.000000",
                },
            )
            rows = connection.execute(text("SELECT COUNT(*) FROM attendances")).scalar_one()
    finally:
        database.close()
    return target, int(rows), time.perf_counter() - started


def _clock() -> Timing:
    return (time.process_time(), time.perf_counter())


def _since(start: Timing) -> Timing:
    cpu, wall = _clock()
    return (cpu - start[0], wall - start[1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    source = ensure_database()
    with tempfile.TemporaryDirectory(prefix="bench-stats-") as tmp:
        path, rows, setup_s = with_attendance(source, Path(tmp))
        database = open_database(path)
        baseline_query = (
            select(func.count(), func.sum(minutes_attended()))
            .select_from(Attendance)
            .join(Enrollment, Enrollment.id == Attendance.enrollment_id)
            .join(HalfDay, HalfDay.id == Attendance.half_day_id)
            .join(GroupDay, GroupDay.id == HalfDay.group_day_id)
        )
        stats_runs: list[Timing] = []
        base_runs: list[Timing] = []
        try:
            with database.session() as session:
                stats = compute_stats(session, StatsFilter())  # warm-up: page cache, plans
                session.execute(baseline_query).one()
            for _round in range(args.rounds):
                with database.session() as session:
                    start = _clock()
                    session.execute(baseline_query).one()
                    base_runs.append(_since(start))
                with database.session() as session:
                    start = _clock()
                    stats = compute_stats(session, StatsFilter())
                    stats_runs.append(_since(start))
        finally:
            database.close()
    stats_s = min(cpu for cpu, _wall in stats_runs)
    base_s = min(cpu for cpu, _wall in base_runs)
    ratio = stats_s / base_s if base_s else float("inf")
    wall_s = statistics.median(wall for _cpu, wall in stats_runs)
    print(f"Présences ajoutées à une copie de « {source.name} » : {rows} en {setup_s:.1f} s.")
    print(
        f"Chiffres : {stats.participants_trained} stagiaires formés, "
        f"{stats.trainee_hours:.0f} heures-stagiaires, {stats.enrollments} inscrits, "
        f"{len(stats.by_group)} groupes, {len(stats.by_half_day)} demi-journées, "
        f"{len(stats.by_employer)} établissements."
    )
    for label, runs in (("Un parcours des présences", base_runs), ("Statistiques", stats_runs)):
        cpu = ", ".join(f"{c:.3f}" for c, _w in runs)
        wall = ", ".join(f"{w:.3f}" for _c, w in runs)
        print(f"{label} : processeur {cpu} s ; horloge {wall} s.")
    time_verdict = "PASS" if stats_s <= MAX_SECONDS else "FAIL"
    ratio_verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
    print(
        f"Statistiques, tous filtres effacés : {stats_s:.3f} s (meilleur temps processeur ; "
        f"médiane à l'horloge {wall_s:.3f} s ; objectif ≤ {MAX_SECONDS} s) : {time_verdict}."
    )
    print(
        f"Rapport au parcours des présences : {stats_s:.3f} / {base_s:.3f} = {ratio:.1f} "
        f"(objectif ≤ {MAX_RATIO:.0f}) : {ratio_verdict}."
    )
    return 0 if time_verdict == ratio_verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
