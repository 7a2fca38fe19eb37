"""Calendar benchmark: the busiest month of the 100,000-participant database, read and painted.

Run with ``.venv/bin/python -m bench.bench_calendar``. On the large database (2,000 groups over
five years, ``bench/generate_large.py``), the calendar window (1366×768) is moved to the month
with the most half-days; one step is ``reload()`` (the query, with every filter cleared) then a
real paint of the canvas into a pixmap. Target: the median step under 150 ms (the issue's
figure for the month view). The same step on an empty month is printed as the floor: what
painting the grid alone costs on this machine in this run. A week and a trainer's month (the
filter that reads the most) are measured too, with the same target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import open_database
from allervers_desktop.db.models import GroupDay, GroupTrainer, HalfDay
from allervers_desktop.ui.calendar_view import MONTH, WEEK, CalendarWindow
from bench.generate_large import ensure_database

TARGET_MS = 150.0


def busiest_month(session: Session) -> dt.date:
    """The first day of the month with the most half-days (SQLite: the large database)."""
    month = func.strftime("%Y-%m", GroupDay.date)
    row = session.execute(
        select(month, func.count(HalfDay.id))
        .join(HalfDay, HalfDay.group_day_id == GroupDay.id)
        .group_by(month)
        .order_by(func.count(HalfDay.id).desc())
        .limit(1)
    ).one()
    year, number = (int(part) for part in str(row[0]).split("-"))
    return dt.date(year, number, 1)


def busiest_trainer(session: Session) -> int:
    """The trainer with the most groups."""
    return int(
        session.execute(
            select(GroupTrainer.trainer_id)
            .group_by(GroupTrainer.trainer_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
    )


def median_ms(step: Callable[[], None], rounds: int) -> float:
    step()  # warm-up: first query plans, fonts
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--db", type=Path, help="another database file (default: the large one)")
    args = parser.parse_args(argv)
    existing = QApplication.instance()
    application = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    application.setStyle("Fusion")
    path = args.db or ensure_database()
    database = open_database(path)
    with tempfile.TemporaryDirectory(prefix="bench-calendar-") as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        errors: list[str] = []
        window = CalendarWindow(database, settings, errors.append, lambda _group: None)
        window.resize(1366, 768)
        window.show()
        application.processEvents()
        with database.session() as session:
            month = busiest_month(session)
            trainer = busiest_trainer(session)

        def step(day: dt.date, mode: str) -> Callable[[], None]:
            def run() -> None:
                window.canvas.mode = mode
                window.canvas.anchor = day
                window.reload()
                window.canvas.grab()  # a real paint of every cell and entry

            return run

        busy = median_ms(step(month, MONTH), args.rounds)
        entries = len(window.canvas.entries)
        empty = median_ms(step(dt.date(1990, 1, 1), MONTH), args.rounds)
        week = median_ms(step(month + dt.timedelta(days=14), WEEK), args.rounds)
        window.trainer_box.setCurrentIndex(window.trainer_box.findData(trainer))
        theirs = median_ms(step(month, MONTH), args.rounds)
        window.close()
    database.close()
    print(f"Calendrier sur « {path.name} » ({args.rounds} mesures, médianes) :")
    print(f"  mois le plus chargé ({month:%m/%Y}, {entries} demi-journées) : {busy:.1f} ms")
    print(f"  mois vide (la grille seule)               : {empty:.1f} ms")
    print(f"  semaine de ce mois                        : {week:.1f} ms")
    print(f"  ce mois pour un intervenant               : {theirs:.1f} ms")
    if errors:
        print(f"Erreurs : {errors}")
        return 1
    worst = max(busy, week, theirs)
    verdict = "OK" if worst < TARGET_MS else "ÉCHEC"
    print(f"Objectif : < {TARGET_MS:.0f} ms : {verdict} (le plus long : {worst:.1f} ms)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
