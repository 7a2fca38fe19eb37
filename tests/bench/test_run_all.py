"""``bench.run_all``: a benchmark whose process fails (missed target, crash) fails the run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def benchmark(folder: Path, name: str, body: str) -> Path:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def run_all(*names: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench.run_all", *map(str, names)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def summary(stdout: str) -> list[str]:
    return stdout.split("=== Résumé ===\n", 1)[1].splitlines()


def test_a_missed_target_and_a_crash_fail_the_run(tmp_path: Path) -> None:
    met = benchmark(tmp_path, "bench_met", 'print("Cibles atteintes.")\n')
    missed = benchmark(
        tmp_path, "bench_missed", 'import sys\nprint("Cible manquée.")\nsys.exit(1)\n'
    )
    crash = benchmark(tmp_path, "bench_crash", 'raise RuntimeError("en panne")\n')
    result = run_all(met, missed, crash)
    assert result.returncode == 1
    assert "Cible manquée." in result.stdout and "RuntimeError: en panne" in result.stderr
    lines = summary(result.stdout)
    assert [line.split()[:2] for line in lines[:3]] == [
        [str(met), "PASS"],
        [str(missed), "FAIL"],
        [str(crash), "FAIL"],
    ]
    assert lines[3] == f"Résultat : FAIL ({missed}, {crash})"


def test_every_target_met_passes(tmp_path: Path) -> None:
    met = benchmark(tmp_path, "bench_met", 'print("Cibles atteintes.")\n')
    result = run_all(met, "bench_does_not_exist")
    assert result.returncode == 0, result.stderr
    lines = summary(result.stdout)
    assert lines[0].split()[:2] == [str(met), "PASS"]
    assert lines[1].split()[:2] == ["bench_does_not_exist", "absent"]
    assert lines[2] == "Résultat : PASS"
