"""Run every benchmark (bench/bench_*.py) in turn: ``python -m bench.run_all``."""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
# Run first, before any other benchmark has grown this process (start-up is measured in
# child processes, but a clean parent keeps the figures comparable from run to run).
EXPECTED = ("bench_startup", "bench_excel", "bench_documents", "bench_responsiveness")


def benchmark_names() -> list[str]:
    """The expected benchmarks first, then any other bench_*.py found, in name order."""
    found = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    return [*EXPECTED, *(name for name in found if name not in EXPECTED)]


def run(name: str) -> str:
    """Import ``bench.<name>`` lazily and run its main(); return a one-word outcome."""
    if not (BENCH_DIR / f"{name}.py").exists():
        print(f"— {name} : absent, ignoré.", flush=True)
        return "absent"
    module = importlib.import_module(f"bench.{name}")
    entry = getattr(module, "main", None)
    if not callable(entry):
        print(f"— {name} : pas de fonction main(), ignoré.", flush=True)
        return "absent"
    saved_argv = sys.argv
    sys.argv = [f"bench.{name}"]  # each main() parses its own (empty) command line
    try:
        code = entry()
    except SystemExit as exc:  # a main() that ends with sys.exit()
        code = exc.code
    except Exception:
        traceback.print_exc()
        return "erreur"
    finally:
        sys.argv = saved_argv
    return "PASS" if code in (0, None) else "FAIL"


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
    failed = [name for name, (outcome, _s) in outcomes.items() if outcome in ("FAIL", "erreur")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
