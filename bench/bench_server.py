"""Team mode on a shared PostgreSQL server: copy, Participants tab, search, round trips, import.

    .venv/bin/python -m bench.bench_server [--repeat 5] [--rows 10000] [--delay-ms 2.5]

A throwaway server (tests/pg_server.py) receives the 100,000-participant database through the
application's own copy (``copy_file_to_server``). The Participants tab and the search are timed
in a child process (bench/ui_timings.py) on the server directly (127.0.0.1) and through a
local proxy adding ``2 × --delay-ms`` to each round trip (bench/latency_proxy.py); the SQL
statements of each step are counted on the large and on a small database; a 10,000-row import
is timed on the server and on a SQLite copy in the same run. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import URL, text

from bench.bench_excel import prepare_database, write_list
from bench.bench_startup import (
    REPO,
    Row,
    bench_environment,
    measure_start,
    print_table,
    run_child,
)
from bench.generate_large import counts, ensure_database
from bench.latency_proxy import DEFAULT_DELAY_MS, running_proxy
from tests import pg_server

# Targets (team mode): the same as on a local file, on a server next door.
MAX_TAB_FILL_MS = 150.0
MAX_KEYSTROKE_MS = 50.0

# The login the measured window uses: a coordinator's rights, as the README documents them.
ROLE = "bench_coordinateur"
PASSWORD = "banc-mot-de-passe"
COORDINATOR_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {name}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
    # The import moves the id sequences past the blocks it writes (``setval``).
    "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}",
)
IMPORT_GRANTS: tuple[str, ...] = ()  # the coordinator's own rights suffice
PING_COUNT = 50


@dataclass(frozen=True)
class StepCount:
    """What one step executed (bench/ui_timings.py ``--count-statements``)."""

    statements: int  # every statement, the row count included
    row_counts: int  # ``SELECT count(…``: skipped when the first page holds every row
    checkouts: int  # connections taken from the pool (each one pinged first)

    @property
    def others(self) -> int:
        return self.statements - self.row_counts


@dataclass(frozen=True)
class Counts:
    """Statements per step of one ui_timings run."""

    fill: StepCount
    strokes: dict[str, StepCount]

    def stroke_median(self, others: bool = False) -> float:
        return statistics.median(
            (c.others if others else c.statements) for c in self.strokes.values()
        )

    @property
    def most_row_counts(self) -> int:
        return max(c.row_counts for c in (self.fill, *self.strokes.values()))


@dataclass(frozen=True)
class Imports:
    sqlite_s: list[float]
    server_s: list[float]
    proxy_s: list[float]


@contextmanager
def cluster_running() -> Iterator[pg_server.Cluster]:
    """A throwaway server with the migrated template and the coordinator's login; always
    removed afterwards."""
    cluster = pg_server.start_cluster()
    try:
        pg_server.make_template(cluster)
        cluster.admin(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
        yield cluster
    finally:
        pg_server.remove_cluster(cluster)


def grant(cluster: pg_server.Cluster, database: str, extra: Sequence[str] = ()) -> None:
    from allervers_desktop.db.engine import make_engine

    engine = make_engine(cluster.url(database))
    try:
        with engine.begin() as connection:
            for statement in (*COORDINATOR_GRANTS, *extra):
                connection.execute(text(statement.format(name=ROLE)))
    finally:
        engine.dispose()


def copy_to_server(
    cluster: pg_server.Cluster, source: Path, extra_grants: Sequence[str] = ()
) -> tuple[str, float]:
    """A fresh server database filled from ``source`` by the application's copy: (name, s)."""
    from allervers_desktop.db.copy import copy_file_to_server

    name = cluster.fresh_database()
    started = time.perf_counter()
    copy_file_to_server(source, cluster.url(name))
    elapsed = time.perf_counter() - started
    grant(cluster, name, extra_grants)
    return name, elapsed


def demo_on_server(cluster: pg_server.Cluster) -> str:
    """A fresh server database holding the example data only."""
    from allervers_desktop.db.server import open_server
    from allervers_desktop.services.demo import load_demo

    name = cluster.fresh_database()
    database = open_server(cluster.url(name))
    try:
        with database.transaction() as session:
            load_demo(session)
    finally:
        database.close()
    grant(cluster, name)
    return name


def login_url(cluster: pg_server.Cluster, database: str, port: int | None = None) -> URL:
    """The coordinator's TCP URL, to the server itself or to the proxy's ``port``."""
    url = cluster.url(database, ROLE, PASSWORD)
    return url if port is None else url.set(port=port)


def measure_ui(url: URL, repeat: int, *, count: bool = False) -> dict[str, Any]:
    """bench/ui_timings.py on the server database ``url``, in a child process."""
    import json

    with tempfile.TemporaryDirectory(prefix="allervers-bench-") as tmp:
        env = bench_environment(Path(tmp))
        command = [
            sys.executable,
            "-m",
            "bench.ui_timings",
            "--db",
            pg_server.url_text(url),
            "--repeat",
            str(repeat),
            *(["--count-statements"] if count else []),
        ]
        _wall, code, _maxrss, stdout, stderr = run_child(command, env)
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if code != 0 or not lines:
        raise RuntimeError(f"Les mesures de l'onglet Participants ont échoué :\n{stdout}\n{stderr}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def measure_startup(target: str, repeat: int) -> float:
    """Median time from the start of ``run_gui`` to the first painted rows of the
    Participants tab (the process prints it), over ``repeat`` fresh processes."""
    command = [sys.executable, str(REPO / "main.py"), "--db", target]
    painted = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-srv-start-") as tmp:
            home = Path(tmp)
            env = bench_environment(home)
            env["ALLERVERS_BENCH_EXIT_AFTER_PAINT"] = "1"
            painted.append(measure_start(command, env, home).painted_s * 1000)
    return statistics.median(painted)


def url_text(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def statement_counts(url: URL) -> Counts:
    ui = measure_ui(url, 1, count=True)
    return Counts(
        fill=StepCount(**ui["fill_counted_statements"][0]),
        strokes={k["text"]: StepCount(**k["counted_statements"][0]) for k in ui["keystrokes"]},
    )


def ping_ms(url: URL) -> float:
    """Median time of ``SELECT 1`` on one open connection: one round trip."""
    from allervers_desktop.db.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            times = []
            for _ in range(PING_COUNT):
                started = time.perf_counter()
                connection.execute(text("SELECT 1"))
                times.append((time.perf_counter() - started) * 1000)
    finally:
        engine.dispose()
    return statistics.median(times)


def timed_import(open_target: Callable[[], Any], source: Path, rows: int) -> float:
    from allervers_desktop.excel.importer import import_file

    database = open_target()
    try:
        started = time.perf_counter()
        report = import_file(database, source)
        elapsed = time.perf_counter() - started
    finally:
        database.close()
    if report.counts.created != rows:
        raise RuntimeError(f"Import incomplet : {report.summary()}")
    return elapsed


def measure_imports(
    cluster: pg_server.Cluster, work: Path, rows: int, repeat: int, proxy_port: int | None
) -> Imports:
    """bench_excel's import (its list, its database) on SQLite copies and on fresh server
    copies, rounds interleaved; through the proxy once."""
    from allervers_desktop.db.database import open_database
    from allervers_desktop.db.server import open_server

    source = work / "liste.xlsx"
    write_list(source, rows)
    template = work / "modele.sqlite3"
    prepare_database(template)
    sqlite_s: list[float] = []
    server_s: list[float] = []
    proxy_s: list[float] = []

    def on_server(port: int | None) -> float:
        name, _copy_s = copy_to_server(cluster, template, IMPORT_GRANTS)
        try:
            url = login_url(cluster, name, port)
            return timed_import(partial(open_server, url), source, rows)
        finally:
            cluster.drop_database(name)

    for run in range(repeat):
        copy = work / f"import-{run}.sqlite3"
        shutil.copy(template, copy)
        sqlite_s.append(timed_import(partial(open_database, copy), source, rows))
        server_s.append(on_server(None))
    if proxy_port is not None:
        proxy_s.append(on_server(proxy_port))
    return Imports(sqlite_s, server_s, proxy_s)


def ui_rows(label: str, ui: dict[str, Any], targets: bool) -> list[Row]:
    worst = max(ui["keystrokes"], key=lambda k: k["total_ms"])
    fill, stroke = ui["fill_median_ms"], ui["keystroke_median_ms"]
    return [
        Row(
            f"Onglet Participants rempli et peint, {label} (médiane)",
            f"{fill:.1f} ms",
            f"< {MAX_TAB_FILL_MS:.0f} ms" if targets else "",
            fill < MAX_TAB_FILL_MS if targets else None,
        ),
        Row("  première fois", f"{ui['fill_first_ms']:.1f} ms"),
        Row(
            f"Frappe dans la recherche, {label} (médiane)",
            f"{stroke:.1f} ms",
            f"< {MAX_KEYSTROKE_MS:.0f} ms" if targets else "",
            stroke < MAX_KEYSTROKE_MS if targets else None,
        ),
        Row(f"  pire frappe : « {worst['text']} »", f"{worst['total_ms']:.1f} ms"),
    ]


def count_rows(small: Counts, large: Counts) -> list[Row]:
    """The statements of a step must not depend on the data: equal on both databases, apart
    from the row count, which the small one does not need (its first page holds every row)
    and which runs at most once per step."""
    same_strokes = all(
        small.strokes[text].others == large.strokes[text].others for text in small.strokes
    )
    return [
        Row(
            "Requêtes SQL, onglet Participants : petite base / 100 000",
            f"{small.fill.statements} / {large.fill.statements}",
        ),
        Row(
            "  hors comptage des lignes",
            f"{small.fill.others} / {large.fill.others}",
            "égales",
            small.fill.others == large.fill.others,
        ),
        Row(
            "Requêtes SQL par frappe (médiane) : petite / 100 000",
            f"{small.stroke_median():g} / {large.stroke_median():g}",
        ),
        Row(
            "  hors comptage, chaque frappe",
            f"{small.stroke_median(others=True):g} / {large.stroke_median(others=True):g}",
            "égales",
            same_strokes,
        ),
        Row(
            "  comptages des lignes par étape (maximum)",
            f"{small.most_row_counts} / {large.most_row_counts}",
            "≤ 1",
            max(small.most_row_counts, large.most_row_counts) <= 1,
        ),
    ]


def import_rows(imports: Imports, rows: int) -> list[Row]:
    sqlite = statistics.median(imports.sqlite_s)
    server = statistics.median(imports.server_s)
    result = [
        Row(f"Import de {rows} lignes, SQLite (médiane)", f"{sqlite:.2f} s"),
        Row(f"Import de {rows} lignes, PostgreSQL direct (médiane)", f"{server:.2f} s"),
        Row("  rapport PostgreSQL / SQLite", f"{server / sqlite:.2f}×"),
    ]
    if imports.proxy_s:
        proxy = statistics.median(imports.proxy_s)
        result += [
            Row(f"Import de {rows} lignes, PostgreSQL via le relais", f"{proxy:.2f} s"),
            Row("  rapport relais / SQLite", f"{proxy / sqlite:.2f}×"),
        ]
    return result


def print_details(
    direct: dict[str, Any],
    proxy: dict[str, Any],
    small: Counts,
    large: Counts,
    imports: Imports,
    added_ms: float,
) -> None:
    """Each step, direct and through the proxy; « allers-retours » estimates the round trips
    of a step as (proxy − direct) / the round trip the proxy adds (``SELECT 1``)."""
    print("\nOnglet Participants (ms, chaque tour) :")
    print("  direct : " + "  ".join(f"{f['total_ms']:.1f}" for f in direct["fill"]))
    print("  relais : " + "  ".join(f"{f['total_ms']:.1f}" for f in proxy["fill"]))
    fill_trips = (proxy["fill_median_ms"] - direct["fill_median_ms"]) / added_ms
    print(
        f"  requêtes (dont comptage ; connexions) petite {_count(small.fill)}, "
        f"100 000 {_count(large.fill)} ; allers-retours estimés {fill_trips:.1f}"
    )
    print(
        "\nFrappes (médiane ms direct / relais ; allers-retours estimés ; "
        "requêtes petite | 100 000 ; résultats) :"
    )
    proxied = {k["text"]: k for k in proxy["keystrokes"]}
    for stroke in direct["keystrokes"]:
        key = stroke["text"]
        through = proxied[key]["total_ms"]
        trips = (through - stroke["total_ms"]) / added_ms
        print(
            f"  {key!r:<12} {stroke['total_ms']:6.1f} / {through:6.1f}   {trips:4.1f}   "
            f"{_count(small.strokes[key])} | {_count(large.strokes[key])}   "
            f"{stroke['matches']:>6} résultats"
        )
    print(
        "\nImports (s) : SQLite "
        + "  ".join(f"{s:.2f}" for s in imports.sqlite_s)
        + " ; PostgreSQL "
        + "  ".join(f"{s:.2f}" for s in imports.server_s)
        + (" ; relais " + "  ".join(f"{s:.2f}" for s in imports.proxy_s) if imports.proxy_s else "")
    )


def _count(step: StepCount) -> str:
    return f"{step.statements} ({step.row_counts} ; {step.checkouts})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_server",
        description="Mode équipe : la grande base sur un serveur PostgreSQL.",
    )
    parser.add_argument("--repeat", type=int, default=5, help="répétitions de chaque mesure")
    parser.add_argument("--rows", type=int, default=10_000, help="lignes de la liste importée")
    parser.add_argument(
        "--delay-ms", type=float, default=DEFAULT_DELAY_MS, help="retard du relais, par sens"
    )
    parser.add_argument(
        "--no-proxy-import", action="store_true", help="ne pas importer à travers le relais"
    )
    args = parser.parse_args(argv)
    path = ensure_database()
    sizes = ", ".join(f"{count} {table}" for table, count in counts(path).items())
    print(f"Base : {path}\n  {sizes}\n", flush=True)
    with cluster_running() as cluster, tempfile.TemporaryDirectory(prefix="bench-srv-") as tmp:
        print(f"Serveur : PostgreSQL dans {cluster.folder}, port {cluster.port}", flush=True)
        large, copy_s = copy_to_server(cluster, path)
        print(f"Copie de la base vers le serveur : {copy_s:.1f} s", flush=True)
        small = demo_on_server(cluster)
        with running_proxy(cluster.port, args.delay_ms) as proxy_port:
            direct_ping = ping_ms(login_url(cluster, large))
            proxy_ping = ping_ms(login_url(cluster, large, proxy_port))
            print(
                f"Aller-retour (SELECT 1, médiane) : direct {direct_ping:.2f} ms, "
                f"relais {proxy_ping:.2f} ms",
                flush=True,
            )
            start_file = measure_startup(str(path), args.repeat)
            start_direct = measure_startup(url_text(login_url(cluster, large)), args.repeat)
            start_proxy = measure_startup(
                url_text(login_url(cluster, large, proxy_port)), args.repeat
            )
            print("Démarrages mesurés.", flush=True)
            direct_ui = measure_ui(login_url(cluster, large), args.repeat)
            print("Onglet et frappes mesurés (direct).", flush=True)
            proxy_ui = measure_ui(login_url(cluster, large, proxy_port), args.repeat)
            print("Onglet et frappes mesurés (relais).", flush=True)
            small_counts = statement_counts(login_url(cluster, small))
            large_counts = statement_counts(login_url(cluster, large))
            print("Requêtes comptées.", flush=True)
            imports = measure_imports(
                cluster,
                Path(tmp),
                args.rows,
                args.repeat,
                None if args.no_proxy_import else proxy_port,
            )
    rows = [
        Row("Copie de la base de 100 000 vers le serveur", f"{copy_s:.1f} s"),
        Row("Aller-retour direct / relais (SELECT 1)", f"{direct_ping:.1f} / {proxy_ping:.1f} ms"),
        Row(
            "Démarrage → premières lignes peintes : fichier / direct / relais",
            f"{start_file:.0f} / {start_direct:.0f} / {start_proxy:.0f} ms",
        ),
        *ui_rows("direct", direct_ui, targets=True),
        *ui_rows(f"relais +{2 * args.delay_ms:g} ms", proxy_ui, targets=False),
        *count_rows(small_counts, large_counts),
        *import_rows(imports, args.rows),
    ]
    print()
    print_table(rows)
    print_details(
        direct_ui, proxy_ui, small_counts, large_counts, imports, proxy_ping - direct_ping
    )
    met = all(row.passed is not False for row in rows)
    print("\nCibles atteintes." if met else "\nCible manquée.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
