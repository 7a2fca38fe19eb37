"""Run one command and write its wall time, exit code and peak memory (wait4) as JSON.

Usage: ``python bench/spawn_measured.py RESULT.json COMMAND...``. Standard library only, so that
this small process is what the measured command is forked from: Linux carries the parent's
memory high-water mark into a child's ``ru_maxrss`` across fork and exec, so spawning straight
from a big benchmark process would inflate the figure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage : spawn_measured.py RÉSULTAT.json COMMANDE…", file=sys.stderr)
        return 2
    result_path, command = argv[1], argv[2:]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(
            {"wall_s": wall, "exit_code": process.returncode, "maxrss_kb": usage.ru_maxrss},
            handle,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
