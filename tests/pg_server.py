"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temporary folder.

``ALLERVERS_TEST_DB=postgresql`` runs the suite on it (``make unit`` runs it on SQLite, then
on PostgreSQL). One cluster per test session, listening on a Unix socket in its folder and on
127.0.0.1 at a free port (password logins over TCP, trusted ones on the socket); the schema
is migrated once into a template database, and each test gets a fresh copy of it
(``CREATE DATABASE … TEMPLATE``, a file copy on the server: a few milliseconds).

As root (CI containers), the server runs as the ``postgres`` user (PostgreSQL refuses to run
as root). The binaries come from Debian's ``postgresql`` package (``/usr/lib/postgresql/N/bin``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, create_engine, text

BACKEND_VARIABLE = "ALLERVERS_TEST_DB"
SUPERUSER = "allervers"
TEMPLATE = "allervers_template"
INSTALL_HINT = "apt-get install -y postgresql"


def backend() -> str:
    return os.environ.get(BACKEND_VARIABLE, "sqlite").strip().lower() or "sqlite"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, newest version first."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def url_text(url: URL) -> str:
    """The URL as a user types it for ``--db`` (postgresql://…), password included."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Cluster:
    """A running server and how to reach it."""

    folder: Path
    port: int
    bin: Path
    run_as: str | None
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str, user: str = SUPERUSER, password: str | None = None) -> URL:
        """Over the Unix socket (trusted) or, with a password, over TCP."""
        if password is not None:
            return URL.create(
                "postgresql+psycopg",
                username=user,
                password=password,
                host="127.0.0.1",
                port=self.port,
                database=database,
            )
        return URL.create(
            "postgresql+psycopg",
            username=user,
            database=database,
            query={"host": str(self.folder), "port": str(self.port)},
        )

    def admin(self, *statements: str) -> None:
        """Run statements on the ``postgres`` database as the superuser, autocommit."""
        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(text(statement))
        finally:
            engine.dispose()

    def fresh_database(self, template: str = TEMPLATE) -> str:
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _run(self, *command: str | Path) -> subprocess.CompletedProcess[str]:
        args = [str(part) for part in command]
        if self.run_as is not None:
            args = ["runuser", "-u", self.run_as, "--", *args]
        return subprocess.run(args, capture_output=True, text=True, check=False)

    def pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._run(self.bin / "pg_ctl", "-D", self.folder / "data", *args)

    def start(self) -> None:
        options = (
            f"-k {self.folder} -p {self.port} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off "
            "-c max_connections=200 -c shared_buffers=32MB"
        )
        done = self.pg_ctl("-o", options, "-l", str(self.folder / "server.log"), "-w", "start")
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {done.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")


def start_cluster() -> Cluster:
    """initdb into a new temporary folder and start the server (RuntimeError when absent)."""
    bin_folder = binaries()
    if bin_folder is None:
        raise RuntimeError(
            f"Les binaires du serveur PostgreSQL sont introuvables : {INSTALL_HINT} (Debian)."
        )
    folder = Path(tempfile.mkdtemp(prefix="allervers-pg-"))
    run_as: str | None = None
    if os.geteuid() == 0:
        run_as = "postgres"
        owner = pwd.getpwnam(run_as)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(folder=folder, port=free_port(), bin=bin_folder, run_as=run_as)
    done = cluster._run(
        bin_folder / "initdb",
        "-D",
        folder / "data",
        "-U",
        SUPERUSER,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",
    )
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {done.stderr}")
    cluster.start()
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    with contextlib.suppress(Exception):
        cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)


def make_template(cluster: Cluster) -> None:
    """The template every test database is copied from: the schema at head, no data."""
    from allervers_desktop.db.engine import make_engine
    from allervers_desktop.db.migrate import upgrade

    cluster.admin(f'CREATE DATABASE "{TEMPLATE}"')
    engine = make_engine(cluster.url(TEMPLATE))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
