"""Scale benchmark: start-up, Participants tab and search on 100,000 participants, peak memory.

Run with ``.venv/bin/python -m bench.bench_startup``. Every figure is measured in this run;
start-up is judged as a ratio against a bare baseline process measured alongside it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.generate_large import counts, ensure_database

REPO = Path(__file__).resolve().parent.parent
BASELINE_SCRIPT = Path(__file__).resolve().with_name("baseline_window.py")
LAUNCHER = Path(__file__).resolve().with_name("spawn_measured.py")
PAINT_MARKER = "painted_after_s="
PROCESS_TIMEOUT_S = 120.0

# Targets (issue 2, « Scale »).
MAX_STARTUP_RATIO = 1.5
MAX_TAB_FILL_MS = 150.0
MAX_KEYSTROKE_MS = 50.0
MAX_PEAK_MB = 300.0
PARTICIPANTS_TAB_INDEX = 3


@dataclass(frozen=True)
class Run:
    """One child process: wall time from spawn to exit, its own paint time, its peak memory."""

    wall_s: float
    painted_s: float
    maxrss_mb: float


@dataclass(frozen=True)
class Row:
    """One line of the report."""

    label: str
    value: str
    target: str = ""
    passed: bool | None = None


def bench_environment(home: Path) -> dict[str, str]:
    """The environment of the measured processes: offscreen Qt, a private settings folder."""
    env = dict(os.environ)
    env.pop("ALLERVERS_DB", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(home / "config")
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    return env


def write_window_settings(home: Path) -> None:
    """Open the window on the Participants tab (the worst case at start-up)."""
    folder = home / "config" / "allervers"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "allervers.conf").write_text(f"[window]\ntab={PARTICIPANTS_TAB_INDEX}\n")


def run_child(command: Sequence[str], env: dict[str, str]) -> tuple[float, int, float, str, str]:
    """Run ``command`` through the small launcher: (wall s, exit code, peak RSS MB, out, err).

    The wall time runs from spawn to exit of the command itself (measured by the launcher).
    """
    with (
        tempfile.TemporaryDirectory(prefix="allervers-bench-run-") as tmp,
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        result_path = Path(tmp) / "result.json"
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(result_path), *command],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            process.wait(timeout=PROCESS_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the launcher and the command it started
            process.wait()
            raise RuntimeError(
                f"« {' '.join(command)} » n'a pas fini en {PROCESS_TIMEOUT_S:.0f} s"
            ) from None
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        if process.returncode != 0 or not result_path.exists():
            raise RuntimeError(f"Le lanceur de mesure a échoué :\n{stderr}")
        result = json.loads(result_path.read_text(encoding="utf-8"))
    return (
        float(result["wall_s"]),
        int(result["exit_code"]),
        result["maxrss_kb"] / 1024,
        stdout,
        stderr,
    )


def measure_start(command: Sequence[str], env: dict[str, str], home: Path) -> Run:
    write_window_settings(home)
    wall, code, maxrss, stdout, stderr = run_child(command, env)
    painted = [line for line in stdout.splitlines() if line.startswith(PAINT_MARKER)]
    if code != 0 or not painted:
        raise RuntimeError(
            f"« {' '.join(command)} » a échoué (code {code}) sans afficher sa fenêtre :\n"
            f"{stdout}\n{stderr}"
        )
    return Run(wall, float(painted[-1].removeprefix(PAINT_MARKER)), maxrss)


def measure_startups(path: Path, repeat: int) -> tuple[list[Run], list[Run]]:
    """Baseline and application runs, interleaved so that machine noise hits both alike."""
    app_command = [sys.executable, str(REPO / "main.py"), "--db", str(path)]
    baseline_command = [sys.executable, str(BASELINE_SCRIPT), str(path)]
    baseline: list[Run] = []
    application: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="allervers-bench-") as tmp:
        home = Path(tmp)
        env = bench_environment(home)
        app_env = {**env, "ALLERVERS_BENCH_EXIT_AFTER_PAINT": "1"}
        # Warm-up (page cache, .pyc files), not counted.
        measure_start(baseline_command, env, home)
        measure_start(app_command, app_env, home)
        for _ in range(repeat):
            baseline.append(measure_start(baseline_command, env, home))
            application.append(measure_start(app_command, app_env, home))
    return baseline, application


def measure_ui(path: Path, repeat: int) -> dict[str, Any]:
    """Participants tab timings, in a child process that builds the real window."""
    with tempfile.TemporaryDirectory(prefix="allervers-bench-") as tmp:
        env = bench_environment(Path(tmp))
        command = [
            sys.executable,
            "-m",
            "bench.ui_timings",
            "--db",
            str(path),
            "--repeat",
            str(repeat),
        ]
        _wall, code, maxrss, stdout, stderr = run_child(command, env)
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if code != 0 or not lines:
        raise RuntimeError(f"Les mesures de l'onglet Participants ont échoué :\n{stdout}\n{stderr}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["maxrss_mb"] = maxrss
    return result


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def paired_ratio(baseline: list[Run], application: list[Run]) -> float:
    """Median of application/baseline ratios of back-to-back runs: load that lasts a few
    seconds on the shared machine hits both runs of a pair and cancels out."""
    return _median(
        [app.wall_s / base.wall_s for base, app in zip(baseline, application, strict=True)]
    )


def report_rows(baseline: list[Run], application: list[Run], ui: dict[str, Any]) -> list[Row]:
    base_wall = _median([run.wall_s for run in baseline])
    app_wall = _median([run.wall_s for run in application])
    ratio = paired_ratio(baseline, application)
    keystrokes = ui["keystrokes"]
    worst = max(keystrokes, key=lambda k: k["total_ms"])
    peak = max(run.maxrss_mb for run in application)
    return [
        Row("Démarrage, référence (médiane, processus entier)", f"{base_wall:.3f} s"),
        Row("Démarrage, application (médiane, processus entier)", f"{app_wall:.3f} s"),
        Row(
            "Démarrage : rapport application / référence (médiane des paires)",
            f"{ratio:.2f}×",
            f"≤ {MAX_STARTUP_RATIO}×",
            ratio <= MAX_STARTUP_RATIO,
        ),
        Row(
            "  peint après (mesure interne), référence",
            f"{_median([run.painted_s for run in baseline]):.3f} s",
        ),
        Row(
            "  peint après (mesure interne), application",
            f"{_median([run.painted_s for run in application]):.3f} s",
        ),
        Row(
            "Onglet Participants rempli et peint (médiane)",
            f"{ui['fill_median_ms']:.1f} ms",
            f"< {MAX_TAB_FILL_MS:.0f} ms",
            ui["fill_median_ms"] < MAX_TAB_FILL_MS,
        ),
        Row("  première fois", f"{ui['fill_first_ms']:.1f} ms"),
        Row(
            "Frappe dans la recherche (médiane)",
            f"{ui['keystroke_median_ms']:.1f} ms",
            f"< {MAX_KEYSTROKE_MS:.0f} ms",
            ui["keystroke_median_ms"] < MAX_KEYSTROKE_MS,
        ),
        Row(
            f"Frappe dans la recherche (pire : « {worst['text']} »)",
            f"{worst['total_ms']:.1f} ms",
            f"< {MAX_KEYSTROKE_MS:.0f} ms",
            worst["total_ms"] < MAX_KEYSTROKE_MS,
        ),
        Row(
            "Mémoire maximale au démarrage (pire)",
            f"{peak:.0f} Mo",
            f"< {MAX_PEAK_MB:.0f} Mo",
            peak < MAX_PEAK_MB,
        ),
        Row("  référence (médiane)", f"{_median([run.maxrss_mb for run in baseline]):.0f} Mo"),
        Row("  fenêtre après recherches (processus des mesures)", f"{ui['maxrss_mb']:.0f} Mo"),
    ]


def print_table(rows: list[Row]) -> None:
    width = max(len(row.label) for row in rows)
    print(f"{'Mesure':<{width}}  {'Valeur':>10}  {'Cible':>10}  Résultat")
    print("-" * (width + 36))
    for row in rows:
        verdict = "" if row.passed is None else ("PASS" if row.passed else "FAIL")
        print(f"{row.label:<{width}}  {row.value:>10}  {row.target:>10}  {verdict}")


def print_details(baseline: list[Run], application: list[Run], ui: dict[str, Any]) -> None:
    print("\nDémarrages (processus entier, s) :")
    print("  référence   : " + "  ".join(f"{run.wall_s:.3f}" for run in baseline))
    print("  application : " + "  ".join(f"{run.wall_s:.3f}" for run in application))
    base_walls = [run.wall_s for run in baseline]
    app_walls = [run.wall_s for run in application]
    print(
        f"  rapport des médianes : {_median(app_walls) / _median(base_walls):.2f}× ; "
        f"des minimums : {min(app_walls) / min(base_walls):.2f}×"
    )
    print(
        "  mémoire (Mo), référence : "
        + "  ".join(f"{run.maxrss_mb:.0f}" for run in baseline)
        + " ; application : "
        + "  ".join(f"{run.maxrss_mb:.0f}" for run in application)
    )
    print("\nOnglet Participants (ms) : total = show_tab + repaint + un passage d'événements")
    for fill in ui["fill"]:
        print(
            f"  {fill['total_ms']:6.1f} = {fill['action_ms']:6.1f} + {fill['repaint_ms']:5.1f}"
            f" + {fill['events_ms']:5.1f}{_count_note(fill['counted'])}"
        )
    print(f"  lignes chargées : {ui['rows_after_fill']}")
    print(
        "\nFrappes (médiane ms = setText + repaint + un passage d'événements ; max ; résultats) :"
    )
    for stroke in ui["keystrokes"]:
        print(
            f"  {stroke['text']!r:<12} {stroke['total_ms']:6.1f} = {stroke['action_ms']:5.1f} + "
            f"{stroke['repaint_ms']:4.1f} + {stroke['events_ms']:5.1f}   "
            f"(max {stroke['max_ms']:6.1f})  {stroke['matches']:>6} résultats"
            f"{_count_note(stroke['counted'])}"
        )


def _count_note(counted: bool) -> str:
    return "" if counted else "  (comptage hors mesure : différé)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_startup",
        description="Démarrage, onglet Participants et mémoire sur une grande base.",
    )
    parser.add_argument("--db", type=Path, help="base à mesurer (par défaut : la base générée)")
    parser.add_argument("--repeat", type=int, default=7, help="répétitions de chaque mesure")
    args = parser.parse_args(argv)
    path: Path = args.db or ensure_database()
    sizes = ", ".join(f"{count} {table}" for table, count in counts(path).items())
    print(f"Base : {path}\n  {sizes}\n", flush=True)
    baseline, application = measure_startups(path, args.repeat)
    ui = measure_ui(path, args.repeat)
    rows = report_rows(baseline, application, ui)
    print_table(rows)
    print_details(baseline, application, ui)
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
