"""Does the window stay responsive during a 10,000-row import (wizard) and directory export?

    .venv/bin/python -m bench.bench_responsiveness [--rows 10000] [--repeat 3]

Offscreen, through the real window code: ``MainWindow.import_list(FILE)`` opens the import
wizard, which is driven page by page (file, « Répartir selon la colonne Groupe », mapping,
preview in the background, import in the background, Terminer, tab refresh); then
``excel_actions.export_participants(window)`` writes the whole directory in the background.
While each runs, a 10 ms timer on the GUI thread records the gaps between its ticks (the
longest gap is how long the window could not repaint), asks the window and the Participants
table to repaint on each tick (the table's paints are counted) and reads the progress dialog.
PASS when the median over the rounds of the longest gap stays under 100 ms and the progress bar
moved at least 5 times.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QMessageLogContext,
    QObject,
    QSettings,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from sqlalchemy import func, select

from allervers_desktop.db.database import open_database
from allervers_desktop.db.models import Course, Participant
from allervers_desktop.ui.import_wizard import PAGE_MAPPING, PAGE_PREVIEW, PAGE_RESULT, ImportWizard
from allervers_desktop.ui.main_window import MainWindow
from allervers_desktop.ui.prompts import Prompts
from allervers_desktop.ui.tasks import BackgroundTask
from bench.bench_excel import prepare_database, write_list

TICK_MS = 10
MAX_GAP_MS = 100.0
MIN_PROGRESS_MOVES = 5
LOCATE_FROM_MS = 50.0  # gaps this long say where the other threads were when they ended
TIMEOUT_S = 300.0
DEMO_PARTICIPANTS = 21


# --- measuring -------------------------------------------------------------------------------
@dataclass
class Measure:
    """What the GUI thread saw during one operation."""

    name: str
    started_ms: float = 0.0
    ended_ms: float = 0.0
    gaps: list[tuple[float, str]] = field(default_factory=list)  # (gap in ms, phases)
    values: dict[str, list[int]] = field(default_factory=dict)  # task -> values shown, in order
    dialog_seen: set[str] = field(default_factory=set)  # tasks whose dialog became visible
    paints: int = 0
    phase_ms: dict[str, float] = field(default_factory=dict)  # phase -> duration
    stall_at: str = ""  # where the worker was when the longest gap ended

    @property
    def duration_s(self) -> float:
        return (self.ended_ms - self.started_ms) / 1000

    @property
    def longest(self) -> float:
        return max((gap for gap, _phase in self.gaps), default=0.0)

    @property
    def longest_phase(self) -> str:
        return max(self.gaps, default=(0.0, "—"))[1]

    @property
    def p95(self) -> float:
        ordered = sorted(gap for gap, _phase in self.gaps)
        return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0

    def moves(self, task: str) -> int:
        """How many times the bar shown for ``task`` changed value."""
        shown = self.values.get(task, [])
        return sum(1 for before, after in itertools.pairwise(shown) if after != before)

    @property
    def total_moves(self) -> int:
        return sum(self.moves(task) for task in self.values)

    @property
    def distinct_values(self) -> int:
        return sum(len(set(shown)) for shown in self.values.values())

    def worst_in(self, phase: str) -> float:
        return max((gap for gap, where in self.gaps if phase in where.split(" → ")), default=0.0)


def is_project_work(frame: FrameType) -> bool:
    """A frame of the project's own work (not of the progress plumbing around it)."""
    path = Path(frame.f_code.co_filename)
    plumbing = path.name in ("tasks.py", "progress.py") or frame.f_code.co_name == "guarded"
    return "allervers_desktop" in path.parts and not plumbing


def worker_location() -> str:
    """Where the other threads of this program are, innermost project frame first."""
    main = threading.main_thread().ident
    places = []
    for ident, frame in sys._current_frames().items():
        if ident == main:
            continue
        current: FrameType | None = frame
        while current is not None and not is_project_work(current):
            current = current.f_back
        if current is not None:
            code = current.f_code
            where = Path(code.co_filename)
            places.append(f"{where.parent.name}/{where.name}:{current.f_lineno} ({code.co_name})")
    return " ; ".join(places) or "aucun fil de travail dans le code du projet"


class Monitor(QObject):
    """A 10 ms timer on the GUI thread: gaps between ticks, repaints, the progress shown."""

    def __init__(self, window: QWidget, painted: QWidget) -> None:
        super().__init__()
        self.window = window
        self.painted = painted
        self.clock = QElapsedTimer()
        self.clock.start()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.measure: Measure | None = None
        self.phase = ""
        self._phases_since_tick: list[str] = []
        self._phase_started = 0.0
        self._last = 0.0
        self._task: tuple[str, BackgroundTask] | None = None
        painted.installEventFilter(self)

    def now_ms(self) -> float:
        return self.clock.nsecsElapsed() / 1e6

    def begin(self, name: str, phase: str) -> None:
        self.measure = Measure(name, started_ms=self.now_ms())
        self._last = self.measure.started_ms
        self.phase, self._phases_since_tick = "", []
        self.set_phase(phase)
        self.timer.start()

    def set_phase(self, phase: str) -> None:
        measure = self.measure
        assert measure is not None
        now = self.now_ms()
        if self.phase:
            measure.phase_ms[self.phase] += now - self._phase_started
        self.phase, self._phase_started = phase, now
        if phase:
            self._phases_since_tick.append(phase)
            measure.phase_ms.setdefault(phase, 0.0)

    def watch(self, name: str, task: BackgroundTask | None) -> None:
        """Read the value ``task``'s progress dialog shows on each tick."""
        if task is None:
            raise RuntimeError(f"aucune tâche de fond pour « {name} »")
        assert self.measure is not None
        self._task = (name, task)
        self.measure.values.setdefault(name, [])

    def end(self) -> Measure:
        self._tick()
        self.timer.stop()
        measure = self.measure
        assert measure is not None
        self.set_phase("")
        measure.ended_ms = self.now_ms()
        self.measure, self._task = None, None
        return measure

    def _tick(self) -> None:
        measure = self.measure
        if measure is None:
            return
        now = self.now_ms()
        gap = now - self._last
        if gap >= LOCATE_FROM_MS and gap > measure.longest:
            measure.stall_at = worker_location()
        # A gap belongs to every phase it overlaps (« lecture → choix »).
        measure.gaps.append((gap, " → ".join(dict.fromkeys(self._phases_since_tick))))
        self._last, self._phases_since_tick = now, [self.phase]
        # A repaint is due on every tick: the window's, and the table's (an opaque child, so
        # the window's update alone does not repaint it).
        self.window.update()
        self.painted.update()
        if self._task is not None:
            name, task = self._task
            if task.running:
                measure.values[name].append(task.dialog.value())
                if task.dialog.isVisible():
                    measure.dialog_seen.add(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.measure is not None:
            self.measure.paints += 1
        return False


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = TIMEOUT_S) -> None:
    """Run the event loop (nested if need be) until ``condition`` holds."""
    if condition():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    timed_out = [False]

    def check() -> None:
        if condition():
            loop.quit()
        elif time.monotonic() > deadline:
            timed_out[0] = True
            loop.quit()

    checker = QTimer()
    checker.setInterval(5)
    checker.timeout.connect(check)
    checker.start()
    loop.exec()
    checker.stop()
    if timed_out[0]:
        raise RuntimeError(f"délai dépassé ({timeout_s:.0f} s) en attendant : {what}")


def spin(milliseconds: int) -> None:
    """Let the event loop run for a while, as a user between two clicks."""
    started = time.monotonic()
    wait_until(lambda: time.monotonic() - started >= milliseconds / 1000, "une pause")


# --- the scripted user -----------------------------------------------------------------------
class BenchPrompts(Prompts):
    """Answers the window's questions: where to export, « Fermer » afterwards, the wizard."""

    def __init__(self, export_path: Path) -> None:
        self.export_path = export_path
        self.chosen: list[str] = []
        self.errors: list[str] = []
        self.drive: Callable[[QDialog], None] | None = None

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.errors.append(f"{title} : {text}")

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.errors.append(f"{title} : {text}")

    def confirm(self, parent: QWidget | None, title: str, text: str, detail: str = "") -> bool:
        return False

    def save_file(
        self, parent: QWidget | None, title: str, suggested: str, filters: str
    ) -> str | None:
        return str(self.export_path)

    def choose(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        choices: list[str],
        *,
        result: bool = False,
    ) -> str | None:
        from allervers_desktop.ui.excel_actions import CLOSE

        self.chosen.append(text)
        return CLOSE

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show the dialog and let the bench click through it, the event loop running."""
        assert self.drive is not None
        dialog.show()
        self.drive(dialog)
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        dialog.close()
        return accepted


# --- the two operations ----------------------------------------------------------------------
def drive_wizard(
    wizard: ImportWizard, monitor: Monitor, prompts: BenchPrompts, course: int
) -> None:
    """Route by the Groupe column, check the mapping, preview, import, Terminer."""
    if wizard.sheet_layout is None:
        raise RuntimeError(f"fichier non reconnu : {prompts.errors}")
    monitor.set_phase("choix de la répartition")
    page = wizard.file_page
    page.by_column.setChecked(True)
    page.course_combo.setCurrentIndex(page.course_combo.findData(course))
    spin(30)
    monitor.set_phase("colonnes")
    wizard.next()
    assert wizard.currentId() == PAGE_MAPPING
    spin(30)
    monitor.set_phase("aperçu (tâche de fond + affichage)")
    wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW
    monitor.watch("aperçu", wizard.preview_page.task)
    wait_until(lambda: wizard.preview_page.report is not None or bool(prompts.errors), "aperçu")
    if wizard.preview_page.report is None:
        raise RuntimeError(f"aperçu impossible : {prompts.errors}")
    spin(30)
    monitor.set_phase("import (tâche de fond + résultat)")
    wizard.next()
    assert wizard.currentId() == PAGE_RESULT
    monitor.watch("import", wizard.result_page.task)
    wait_until(wizard.result_page.isComplete, "la fin de l'import")
    if not wizard.result_page.finished_ok:
        raise RuntimeError(f"import en échec : {wizard.result_page.result_label.text()}")
    spin(30)
    monitor.set_phase("Terminer + actualisation de l'onglet")
    wizard.accept()


def measure_import(
    window: MainWindow, monitor: Monitor, prompts: BenchPrompts, source: Path, course: int
) -> Measure:
    """Fichier › Importer… on ``source``, driven to the end, then the tabs' refresh."""

    def drive(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportWizard)
        drive_wizard(dialog, monitor, prompts, course)

    prompts.drive = drive
    monitor.begin("Import", "ouverture de l'assistant + lecture du fichier")
    imported = window.import_list(source)
    tab = window.current_tab()
    wait_until(lambda: tab.model.total is not None, "le nombre de participants affiché")
    spin(30)
    measure = monitor.end()
    if not imported:
        raise RuntimeError(f"l'import n'a rien changé : {prompts.errors}")
    return measure


def measure_export(window: MainWindow, monitor: Monitor, prompts: BenchPrompts) -> Measure:
    """Fichier › Exporter › Annuaire des participants…, until « Export terminé » is offered."""
    from allervers_desktop.ui.excel_actions import export_participants

    monitor.begin("Export", "requête + écriture (tâche de fond)")
    task = export_participants(window.context)
    monitor.watch("export", task)
    wait_until(lambda: bool(prompts.chosen or prompts.errors), "la fin de l'export")
    spin(30)
    measure = monitor.end()
    if prompts.errors:
        raise RuntimeError(f"export en échec : {prompts.errors}")
    return measure


@dataclass(frozen=True)
class Round:
    imported: Measure
    exported: Measure
    participants: int
    exported_bytes: int


def one_round(source: Path, template: Path, folder: Path) -> Round:
    """A fresh copy of the database and a fresh window, on the Participants tab."""
    db_path = folder / "base.sqlite3"
    shutil.copy(template, db_path)
    database = open_database(db_path)
    with database.session() as session:
        course = session.scalars(select(Course.id).order_by(Course.id)).first()
    assert course is not None
    target = folder / "annuaire.xlsx"
    prompts = BenchPrompts(target)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(database, prompts=prompts, settings=settings)
    try:
        window.show()
        tab = window.show_tab("participants")
        wait_until(lambda: window.isVisible() and tab.model.total is not None, "la fenêtre")
        monitor = Monitor(window, tab.view.viewport())
        imported = measure_import(window, monitor, prompts, source, course)
        with database.session() as session:
            participants = session.scalar(select(func.count()).select_from(Participant)) or 0
        exported = measure_export(window, monitor, prompts)
        return Round(imported, exported, participants, target.stat().st_size)
    finally:
        window.close()
        window.deleteLater()
        database.close()
        QCoreApplication.processEvents()


# --- report ----------------------------------------------------------------------------------
def print_rounds(name: str, measures: list[Measure]) -> bool:
    """One line per round, the medians, the verdict; the worst round's detail."""
    print(f"\n{name} (seuils : plus long blocage < {MAX_GAP_MS:.0f} ms, ", end="")
    print(f"barre avancée >= {MIN_PROGRESS_MOVES} fois)")
    print("  tour   durée   plus long blocage   95e centile   valeurs  avancées  repeintes")
    for number, m in enumerate(measures, 1):
        print(
            f"  {number:>4} {m.duration_s:6.2f} s {m.longest:12.0f} ms {m.p95:10.0f} ms "
            f"{m.distinct_values:9d} {m.total_moves:9d} {m.paints:10d}"
        )
    median = statistics.median
    longest = median(m.longest for m in measures)
    moves = median(m.total_moves for m in measures)
    print(
        f"  méd. {median(m.duration_s for m in measures):6.2f} s {longest:12.0f} ms "
        f"{median(m.p95 for m in measures):10.0f} ms "
        f"{median(m.distinct_values for m in measures):9.0f} {moves:9.0f} "
        f"{median(m.paints for m in measures):10.0f}"
    )
    ok = longest < MAX_GAP_MS and moves >= MIN_PROGRESS_MOVES
    print(f"  {name} : {'PASS' if ok else 'FAIL'} (médiane des tours)")
    worst = max(measures, key=lambda m: m.longest)
    print(f"  Tour le plus bloqué : {worst.longest:.0f} ms pendant « {worst.longest_phase} »")
    if worst.stall_at:
        print(f"    à la fin de ce blocage, le fil de travail était à : {worst.stall_at}")
    for task, shown in worst.values.items():
        seen = "affichée" if task in worst.dialog_seen else "pas encore affichée (délai 300 ms)"
        print(
            f"    barre « {task} » : {len(set(shown))} valeurs distinctes, "
            f"{worst.moves(task)} avancées, fenêtre de progression {seen}"
        )
    print("    par étape (durée ; plus long blocage) :")
    for phase, spent in worst.phase_ms.items():
        print(f"      {phase:<45} {spent / 1000:6.2f} s ; {worst.worst_in(phase):5.0f} ms")
    return ok


def quiet_offscreen_warnings(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    """The offscreen platform warns on every dialog shown; pass every other message on."""
    if "propagateSizeHints" not in text:
        print(text, file=sys.stderr)


def run(rows: int, repeat: int) -> int:
    from allervers_desktop.ui.app import make_application

    make_application([sys.argv[0]])
    qInstallMessageHandler(quiet_offscreen_warnings)
    rounds: list[Round] = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-responsiveness-") as folder:
            work = Path(folder)
            source = work / "liste.xlsx"
            write_list(source, rows)
            template = work / "modele.sqlite3"
            prepare_database(template)
            for number in range(repeat):
                round_folder = work / f"tour-{number}"
                round_folder.mkdir()
                rounds.append(one_round(source, template, round_folder))
    finally:
        qInstallMessageHandler(None)
    expected = DEMO_PARTICIPANTS + rows
    print(f"Liste de {rows} lignes, {repeat} tours (base neuve et fenêtre neuve à chaque tour).")
    print(f"Minuterie de {TICK_MS} ms sur le fil de l'interface ; à chaque top, la fenêtre et le")
    print("tableau des participants sont à repeindre.")
    sizes = ", ".join(f"{r.exported_bytes / 1e6:.1f} Mo" for r in rounds)
    counts = ", ".join(str(r.participants) for r in rounds)
    print(f"Participants après l'import : {counts} (attendu : {expected}) ; annuaire : {sizes}.")
    import_ok = print_rounds("Import", [r.imported for r in rounds])
    export_ok = print_rounds("Export", [r.exported for r in rounds])
    right = all(r.participants == expected for r in rounds)
    ok = import_ok and export_ok and right
    print("\nLa fenêtre reste réactive." if ok else "\nFenêtre bloquée ou résultat inattendu.")
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    existing = QCoreApplication.instance()
    if existing is not None and not isinstance(existing, QApplication):
        # Another benchmark of this process made a QGuiApplication: widgets need their own.
        command = [sys.executable, "-m", "bench.bench_responsiveness"]
        command += ["--rows", str(args.rows), "--repeat", str(args.repeat)]
        root = Path(__file__).resolve().parents[1]
        return subprocess.run(command, check=False, cwd=root).returncode
    return run(args.rows, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
