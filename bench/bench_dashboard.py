"""Dashboard benchmark: « Tableau de bord » with every filter cleared, computed and painted.

Run with ``.venv/bin/python -m bench.bench_dashboard``. On a copy of the 100,000-participant
database with its attendance (``bench_stats.with_attendance``), the real main window (1366×768,
offscreen) shows the dashboard; one step is ``load()`` (the statistics on a worker thread),
the events processed until the result is drawn (figures, four charts and their tables), then
a real paint of the whole page into a pixmap. The one-time import of pyqtgraph (and of the
dashboard's modules) is measured apart and reported, not counted in the steps.

Target: the median step (wall clock) under ``MAX_SECONDS``, and at most ``MAX_RATIO`` times the
baseline measured alternately in the same run (``bench_stats``' pass over the attendance).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from allervers_desktop.db.database import open_database
from allervers_desktop.db.models import Attendance, Enrollment, GroupDay, HalfDay
from allervers_desktop.stats.compute import minutes_attended
from bench.bench_stats import with_attendance
from bench.generate_large import ensure_database

MAX_SECONDS = 1.0
MAX_RATIO = 20.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    source = ensure_database()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    from allervers_desktop.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        path, rows, _setup_s = with_attendance(source, Path(tmp))
        database = open_database(path)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(database, settings=settings)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        started = time.perf_counter()
        import allervers_desktop.ui.dashboard.tab  # noqa: F401  (pyqtgraph with it)

        import_s = time.perf_counter() - started
        dashboard = window.show_dashboard()
        painted: list[bool] = []
        dashboard.painted.connect(lambda: painted.append(True))

        def step() -> float:
            painted.clear()
            begin = time.perf_counter()
            dashboard.load()
            while not painted or (dashboard.task is not None and dashboard.task.running):
                app.processEvents()
                time.sleep(0.001)
            dashboard.grab()
            app.processEvents()
            return time.perf_counter() - begin

        baseline_query = (
            select(func.count(), func.sum(minutes_attended()))
            .select_from(Attendance)
            .join(Enrollment, Enrollment.id == Attendance.enrollment_id)
            .join(HalfDay, HalfDay.id == Attendance.half_day_id)
            .join(GroupDay, GroupDay.id == HalfDay.group_day_id)
        )

        def baseline() -> float:
            begin = time.perf_counter()
            with database.session() as session:
                session.execute(baseline_query).one()
            return time.perf_counter() - begin

        try:
            step()  # warm-up: first paint, page cache, plans
            baseline()
            steps, bases = [], []
            for _round in range(args.rounds):
                bases.append(baseline())
                steps.append(step())
            stats = dashboard.stats
        finally:
            window.close()
            database.close()
    step_s = statistics.median(steps)
    base_s = statistics.median(bases)
    ratio = step_s / base_s if base_s else float("inf")
    assert stats is not None
    print(
        f"{rows} présences ; {len(stats.by_group)} groupes, {len(stats.by_employer)} "
        f"établissements, {stats.participants_trained} stagiaires formés."
    )
    print(f"Import de pyqtgraph et du tableau de bord (une fois) : {import_s:.3f} s.")
    print(f"Tableau de bord (calcul + dessin) : {', '.join(f'{s:.3f}' for s in steps)} s.")
    print(f"Un parcours des présences : {', '.join(f'{s:.3f}' for s in bases)} s.")
    time_verdict = "PASS" if step_s <= MAX_SECONDS else "FAIL"
    ratio_verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
    print(
        f"Tableau de bord, tous filtres effacés : {step_s:.3f} s (médiane à l'horloge ; "
        f"objectif ≤ {MAX_SECONDS} s) : {time_verdict}."
    )
    print(
        f"Rapport au parcours des présences : {step_s:.3f} / {base_s:.3f} = {ratio:.1f} "
        f"(objectif ≤ {MAX_RATIO:.0f}) : {ratio_verdict}."
    )
    return 0 if time_verdict == ratio_verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
