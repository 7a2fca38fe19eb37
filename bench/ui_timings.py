"""In-process timings of the Participants tab: first fill and paint, then search keystrokes.

Run by bench_startup in a child process (``python -m bench.ui_timings --db FILE``) so that the
benchmark's own process never loads Qt; prints one JSON object on its last line. ``--db`` also
takes a server URL (``postgresql://…``, as the application's ``--db`` does: bench_server).

With ``--count-statements`` each step also reports the SQL statements executed from its action
until the model has settled (``before_cursor_execute`` on the engine, every thread included)
and the connections taken from the pool (on a server, each one costs a ping round trip).

A step is timed from the action to the end of one ``processEvents()`` pass after an explicit
repaint of the table: work the model defers with a zero-delay timer (today the row count)
blocks the GUI thread right away, so it is counted; work debounced or moved to a thread is not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

# Typical typing: each string is the field's content after one keystroke.
KEYSTROKE_SEQUENCES: tuple[tuple[str, ...], ...] = (
    ("d", "du", "dup"),
    ("dupo", "dupon", "dupond"),  # ends on a name that matches no one (a typo)
    ("h", "hé", "hél"),
    ("m", "mu", "mul", "mull", "mulle", "muller"),
    ("t", "ti", "til", "till", "tille", "tilleu", "tilleul"),  # part of an employer's name
    ("muller", "muller ", "muller h", "muller hé"),  # a second term
)
MAX_SETTLE_S = 30.0


@dataclass(frozen=True)
class Counted:
    """What a step executed: statements (row counts included), row counts, pool checkouts."""

    statements: int = 0
    row_counts: int = 0
    checkouts: int = 0

    def __sub__(self, other: Counted) -> Counted:
        return Counted(
            self.statements - other.statements,
            self.row_counts - other.row_counts,
            self.checkouts - other.checkouts,
        )


class StatementCounter:
    """Counts the statements an engine executes (apart: the row counts, ``SELECT count(…``)
    and the connections its pool hands out."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self._lock = threading.Lock()
        self.statements = 0
        self.row_counts = 0
        self.checkouts = 0
        event.listen(engine, "before_cursor_execute", self._on_statement)
        event.listen(engine.pool, "checkout", self._on_checkout)

    def _on_statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        is_count = statement.lstrip()[:13].upper() == "SELECT COUNT("
        with self._lock:
            self.statements += 1
            self.row_counts += is_count

    def _on_checkout(self, *_args: Any) -> None:
        with self._lock:
            self.checkouts += 1

    def snapshot(self) -> Counted:
        with self._lock:
            return Counted(self.statements, self.row_counts, self.checkouts)


@dataclass(frozen=True)
class Step:
    """One timed step, in milliseconds, split into its parts."""

    total_ms: float
    action_ms: float  # show_tab / setText: the query and the model reset
    repaint_ms: float  # painting the table's viewport
    events_ms: float  # one processEvents() pass: deferred work (the count) and other events
    counted: bool  # the row count was known at the end of the step


def timed_step(app: Any, tab: Any, action: Callable[[], object]) -> Step:
    started = time.perf_counter()
    action()
    acted = time.perf_counter()
    tab.view.viewport().repaint()
    painted = time.perf_counter()
    app.processEvents()
    done = time.perf_counter()
    return Step(
        (done - started) * 1000,
        (acted - started) * 1000,
        (painted - acted) * 1000,
        (done - painted) * 1000,
        tab.model.total is not None,
    )


def settle(app: Any, model: Any) -> None:
    """Untimed: let deferred work finish (e.g. a debounced or threaded count) before going on."""
    app.processEvents()
    deadline = time.perf_counter() + MAX_SETTLE_S
    while model.total is None and time.perf_counter() < deadline:
        time.sleep(0.002)
        app.processEvents()


def _median_step(steps: list[Step]) -> dict[str, Any]:
    return {
        "total_ms": statistics.median(s.total_ms for s in steps),
        "max_ms": max(s.total_ms for s in steps),
        "action_ms": statistics.median(s.action_ms for s in steps),
        "repaint_ms": statistics.median(s.repaint_ms for s in steps),
        "events_ms": statistics.median(s.events_ms for s in steps),
        "counted": all(s.counted for s in steps),
    }


def measure(location_text: str, repeat: int, count: bool = False) -> dict[str, Any]:
    from PySide6.QtCore import QSettings

    from allervers_desktop.db.location import parse_location
    from allervers_desktop.db.server import open_location
    from allervers_desktop.ui.app import make_application
    from allervers_desktop.ui.main_window import MainWindow

    app = make_application([sys.argv[0]])
    fills: list[Step] = []
    strokes: dict[str, list[Step]] = {text: [] for seq in KEYSTROKE_SEQUENCES for text in seq}
    matches: dict[str, int | None] = {}
    rows_after_fill = 0
    fill_counts: list[Counted] = []
    stroke_counts: dict[str, list[Counted]] = {text: [] for text in strokes}
    location = parse_location(location_text)
    with tempfile.TemporaryDirectory(prefix="allervers-bench-") as tmp:
        for round_number in range(repeat):
            # A fresh database handle and window each round: a first visit every time.
            database = open_location(location)
            counter = StatementCounter(database.engine) if count else None
            ini = Path(tmp) / f"window-{round_number}.ini"
            window = MainWindow(database, settings=QSettings(str(ini), QSettings.Format.IniFormat))
            window.show()  # on Formations, the first tab
            deadline = time.perf_counter() + MAX_SETTLE_S
            while not (window.windowHandle() and window.windowHandle().isExposed()):
                app.processEvents()
                if time.perf_counter() > deadline:
                    raise RuntimeError("la fenêtre n'a jamais été affichée")
            settle(app, window.current_tab().model)

            tab = window.tab("participants")
            before = counter.snapshot() if counter else Counted()
            fills.append(timed_step(app, tab, partial(window.show_tab, "participants")))
            settle(app, tab.model)
            if counter:
                fill_counts.append(counter.snapshot() - before)
            rows_after_fill = tab.model.rowCount()

            for sequence in KEYSTROKE_SEQUENCES:
                tab.search_field.setText("")
                settle(app, tab.model)
                for text in sequence:
                    before = counter.snapshot() if counter else Counted()
                    strokes[text].append(
                        timed_step(app, tab, partial(tab.search_field.setText, text))
                    )
                    settle(app, tab.model)
                    if counter:
                        stroke_counts[text].append(counter.snapshot() - before)
                    matches[text] = tab.model.total
            window.close()
            window.deleteLater()
            app.processEvents()
            database.close()
    keystrokes = [
        {"text": text, "matches": matches.get(text), **_median_step(steps)}
        for text, steps in strokes.items()
    ]
    if count:
        for stroke in keystrokes:
            stroke["counted_statements"] = [asdict(c) for c in stroke_counts[stroke["text"]]]
    counts = {"fill_counted_statements": [asdict(c) for c in fill_counts]} if count else {}
    return {
        **counts,
        "fill": [asdict(step) for step in fills],
        "fill_median_ms": statistics.median(step.total_ms for step in fills),
        "fill_first_ms": fills[0].total_ms,
        "rows_after_fill": rows_after_fill,
        "keystrokes": keystrokes,
        "keystroke_median_ms": statistics.median(
            step.total_ms for steps in strokes.values() for step in steps
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesures de l'onglet Participants.")
    parser.add_argument("--db", required=True, help="base de test : fichier ou postgresql://…")
    parser.add_argument("--repeat", type=int, default=5, help="nombre de répétitions")
    parser.add_argument(
        "--count-statements", action="store_true", help="compter les requêtes de chaque étape"
    )
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.db, args.repeat, args.count_statements)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
