"""Run every benchmark (bench/bench_*.py), each in its own process: ``python -m bench.run_all``."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
# In this order (start-up first, on a quiet machine), then any other bench_*.py found.
EXPECTED = (
    "bench_startup",
    "bench_excel",
    "bench_documents",
    "bench_responsiveness",
    "bench_server",
)


def benchmark_names() -> list[str]:
    """The expected benchmarks first, then any other bench_*.py found, in name order."""
    found = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    return [*EXPECTED, *(name for name in found if name not in EXPECTED)]


def command_for(name: str) -> list[str] | None:
    """``bench_excel`` runs ``python -m bench.bench_excel``; a path to a .py file runs that file.

    None when there is no such benchmark."""
    if name.endswith(".py"):
        path = Path(name).resolve()
        return [sys.executable, str(path)] if path.is_file() else None
    if not (BENCH_DIR / f"{name}.py").is_file():
        return None
    return [sys.executable, "-m", f"bench.{name}"]


def run(name: str) -> str:
    """Run one benchmark in a child process (its output passes through); PASS when it exits 0.

    A benchmark exits non-zero when it misses a target, and so does one that crashes."""
    command = command_for(name)
    if command is None:
        print(f"— {name} : absent, ignoré.", flush=True)
        return "absent"
    code = subprocess.run(command, cwd=REPO, stdin=subprocess.DEVNULL, check=False).returncode
    if code == 0:
        return "PASS"
    print(f"— {name} : code de sortie {code}.", flush=True)
    return "FAIL"


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv) if argv else benchmark_names()
    outcomes: dict[str, tuple[str, float]] = {}
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        outcomes[name] = (run(name), time.perf_counter() - started)
    print("\n=== Résumé ===")
    for name, (outcome, seconds) in outcomes.items():
        print(f"  {name:<20} {outcome:<7} ({seconds:.0f} s)")
    failed = [name for name, (outcome, _s) in outcomes.items() if outcome == "FAIL"]
    print(f"Résultat : FAIL ({', '.join(failed)})" if failed else "Résultat : PASS", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
