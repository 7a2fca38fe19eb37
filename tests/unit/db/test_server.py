"""A PostgreSQL server as the database: the URL, each connection failure in one French line
(exit 2), the schema checks (empty, older, newer, foreign) and the administrator's upgrade."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select, text

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.db.engine import make_engine
from allervers_desktop.db.location import describe, hide_password, parse_location
from allervers_desktop.db.migrate import alembic_config
from allervers_desktop.db.models import Participant
from allervers_desktop.db.schema_version import HEAD_REVISION, KNOWN_REVISIONS
from allervers_desktop.db.server import open_server
from allervers_desktop.db.server_errors import ServerError, ServerFailure
from allervers_desktop.services.participants import ParticipantData, create_participant
from tests.conftest import ON_SERVER
from tests.pg_server import Cluster, free_port, url_text

ROOT = Path(__file__).resolve().parents[3]
server_only = pytest.mark.skipif(not ON_SERVER, reason="needs the PostgreSQL test server")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_french_line(err: str, expected: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith("allervers : erreur : "), err
    assert expected in err, err
    assert "Traceback" not in err


def test_a_server_url_and_a_path_are_told_apart(tmp_path: Path) -> None:
    url = parse_location("postgresql://marie:secret@pg.exemple.local:5432/equipe-ge")
    assert not isinstance(url, Path)
    assert url.drivername == "postgresql+psycopg"
    assert describe(url) == "Serveur equipe-ge sur pg.exemple.local"
    assert "secret" not in hide_password("postgresql://marie:secret@pg.exemple.local/equipe-ge")
    assert parse_location(str(tmp_path / "a.sqlite3")) == tmp_path / "a.sqlite3"


def test_a_url_without_database_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "postgresql://marie@pg.exemple.local", "list", "courses")
    assert code == 2
    assert_one_french_line(err, "ne nomme pas de base")


def test_an_unreachable_server(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql://marie@127.0.0.1:{free_port()}/equipe"  # nobody listens there
    code, _, err = run(capsys, "--db", url, "list", "courses")
    assert code == 2
    assert_one_french_line(err, "ne répond pas : vérifiez l'adresse, le port et le réseau")


def test_the_environment_variable_takes_a_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLERVERS_DB", f"postgresql://marie@127.0.0.1:{free_port()}/equipe")
    code, _, err = run(capsys, "list", "courses")
    assert code == 2
    assert_one_french_line(err, "ne répond pas")


def test_file_commands_refuse_a_server(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "postgresql://marie@127.0.0.1/equipe", "backup")
    assert code == 2
    assert_one_french_line(err, "cette commande ne concerne qu'un fichier local")


@server_only
def test_wrong_password(
    capsys: pytest.CaptureFixture[str],
    cluster: Cluster,
    server_database_name: str,
    coordinator: str,
) -> None:
    url = url_text(cluster.url(server_database_name, coordinator, "mauvais"))
    code, _, err = run(capsys, "--db", url, "list", "courses")
    assert code == 2
    assert_one_french_line(err, "utilisateur ou mot de passe incorrect")


@server_only
def test_the_password_comes_from_the_pgpass_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    cluster: Cluster,
    server_database_name: str,
    coordinator: str,
) -> None:
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(
        f"127.0.0.1:{cluster.port}:{server_database_name}:{coordinator}:bon-mot-de-passe\n"
    )
    os.chmod(pgpass, 0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    url = f"postgresql://{coordinator}@127.0.0.1:{cluster.port}/{server_database_name}"
    code, out, err = run(capsys, "--db", url, "list", "courses")
    assert (code, err) == (0, "")
    assert "(aucun)" in out


@server_only
def test_a_missing_database(capsys: pytest.CaptureFixture[str], cluster: Cluster) -> None:
    code, _, err = run(capsys, "--db", url_text(cluster.url("inexistante")), "list", "courses")
    assert code == 2
    assert_one_french_line(err, "La base « inexistante » sur")
    assert "n'existe pas sur ce serveur" in err


@server_only
def test_missing_rights(
    capsys: pytest.CaptureFixture[str], cluster: Cluster, server_database_name: str
) -> None:
    name = f"sans_droits_{server_database_name}"
    cluster.admin(f"DROP ROLE IF EXISTS {name}", f"CREATE ROLE {name} LOGIN PASSWORD 'x'")
    code, _, err = run(
        capsys, "--db", url_text(cluster.url(server_database_name, name, "x")), "list", "courses"
    )
    assert code == 2
    assert_one_french_line(err, "n'a pas les droits nécessaires")


@server_only
def test_an_empty_database_is_created_by_the_administrator_only(
    capsys: pytest.CaptureFixture[str], cluster: Cluster
) -> None:
    cluster.admin('CREATE DATABASE "vide_a_creer"')
    try:
        url = url_text(cluster.url("vide_a_creer"))
        code, _, err = run(capsys, "--db", url, "list", "courses")
        assert code == 2
        assert_one_french_line(err, "est vide : son administrateur doit d'abord y créer")
        code, out, err = run(capsys, "--db", url, "db", "upgrade")
        assert (code, err) == (0, "")
        assert out == f"Tables d'allervers créées (schéma « {HEAD_REVISION} »).\n"
        assert run(capsys, "--db", url, "demo")[0] == 0
        code, out, _ = run(capsys, "--db", url, "list", "groups")
        assert code == 0 and "Strasbourg" in out
    finally:
        cluster.drop_database("vide_a_creer")


@server_only
def test_an_older_schema_is_refused(
    capsys: pytest.CaptureFixture[str], cluster: Cluster, server_database_name: str
) -> None:
    engine = make_engine(cluster.url(server_database_name))
    try:
        command.downgrade(alembic_config(engine), KNOWN_REVISIONS[-2])
        with engine.begin() as connection:  # the marker as a later revision would keep it
            connection.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS allervers_meta "
                    "(id integer PRIMARY KEY, application text)"
                )
            )
            connection.execute(
                text("INSERT INTO allervers_meta VALUES (1, 'allervers') ON CONFLICT DO NOTHING")
            )
    finally:
        engine.dispose()
    url = url_text(cluster.url(server_database_name))
    code, _, err = run(capsys, "--db", url, "list", "courses")
    assert code == 2
    assert_one_french_line(
        err, "doit être mise à jour par son administrateur (allervers db upgrade)"
    )


@server_only
def test_a_newer_schema_asks_to_update_the_application(
    capsys: pytest.CaptureFixture[str], cluster: Cluster, server_database_name: str
) -> None:
    engine = make_engine(cluster.url(server_database_name))
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    finally:
        engine.dispose()
    url = url_text(cluster.url(server_database_name))
    for args in (("list", "courses"), ("db", "upgrade")):
        code, _, err = run(capsys, "--db", url, *args)
        assert code == 2
        assert_one_french_line(err, "version plus récente d'allervers (schéma « 9999 »)")
        assert "mettez l'application à jour" in err


@server_only
def test_another_applications_database_is_left_alone(
    capsys: pytest.CaptureFixture[str], cluster: Cluster
) -> None:
    cluster.admin('CREATE DATABASE "autre_appli"')
    try:
        engine = make_engine(cluster.url("autre_appli"))
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE factures (id integer primary key)"))
        engine.dispose()
        url = url_text(cluster.url("autre_appli"))
        for args in (("list", "courses"), ("db", "upgrade")):
            code, _, err = run(capsys, "--db", url, *args)
            assert code == 2 or code == 1
            assert_one_french_line(err, "n'est pas une base allervers")
        engine = make_engine(cluster.url("autre_appli"))
        with engine.connect() as connection:
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
            assert list(tables) == ["factures"]
        engine.dispose()
    finally:
        cluster.drop_database("autre_appli")


@server_only
def test_two_upgrades_at_once_wait_for_each_other(cluster: Cluster) -> None:
    """Two administrators' processes (Alembic's context is one per process)."""
    cluster.admin('CREATE DATABASE "deux_admins"')
    try:
        url = url_text(cluster.url("deux_admins"))
        command = [sys.executable, "-m", "allervers_desktop", "--db", url, "db", "upgrade"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        children = [
            subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
            )
            for _ in range(2)
        ]
        results = [child.communicate() for child in children]
        assert [child.returncode for child in children] == [0, 0], results
        assert sorted(out for out, _ in results) == sorted(
            [
                f"Tables d'allervers créées (schéma « {HEAD_REVISION} »).\n",
                f"La base est déjà à jour (schéma « {HEAD_REVISION} »).\n",
            ]
        )
    finally:
        cluster.drop_database("deux_admins")


@server_only
def test_a_connection_lost_mid_work_saves_nothing(database: Database, cluster: Cluster) -> None:
    database_name = str(database.url.database)
    with pytest.raises(ServerError) as raised, database.transaction() as session:
        create_participant(session, ParticipantData(last_name="BAUER", first_name="Zoé"))
        session.flush()
        cluster.admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database_name}' AND pid <> pg_backend_pid()"
        )
        create_participant(session, ParticipantData(last_name="KLEIN", first_name="Léa"))
        session.flush()
    assert raised.value.failure is ServerFailure.LOST
    assert raised.value.message.startswith(
        "La connexion au serveur a été perdue : rien n'a été enregistré."
    )
    with database.session() as session:  # the pool reconnects
        assert session.scalar(select(func.count()).select_from(Participant)) == 0


@server_only
def test_open_server_reports_where_the_data_is(cluster: Cluster, server_database_name: str) -> None:
    database = open_server(cluster.url(server_database_name))
    try:
        assert database.on_server
        assert (
            database.location
            == f"Serveur {server_database_name} sur {cluster.folder}:{cluster.port}"
        )
        assert database.display_name == server_database_name
    finally:
        database.close()


@server_only
def test_a_server_stopping_mid_import_leaves_nothing(
    database: Database, cluster: Cluster, tmp_path: Path
) -> None:
    """The import's connection is cut by the server right after it wrote its first block of
    participants: one French message, and nothing of the list on the server."""
    from sqlalchemy import create_engine, event, text

    from allervers_desktop.excel.importer import import_file

    sheet = tmp_path / "liste.csv"
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    names = [f"NOM{a}{b}{c}" for a in letters[:5] for b in letters for c in letters][:3000]
    rows = "".join(f"{n};Zoé;z{i}@exemple.fr;Structure;Metz\n" for i, n in enumerate(names))
    sheet.write_text("Nom;Prénom;E-mail;Employeur;Ville\n" + rows, encoding="utf-8")
    name = str(database.url.database)
    watcher = create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    cut: list[int] = []

    def after_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if cut or not statement.lstrip().upper().startswith("INSERT INTO PARTICIPANTS"):
            return
        with watcher.connect() as connection:
            cut.append(
                connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :db AND pid <> pg_backend_pid()"
                    ),
                    {"db": name},
                ).scalar_one()
            )

    event.listen(database.engine, "after_cursor_execute", after_write)
    try:
        with pytest.raises(ServerError) as raised:
            import_file(database, sheet)
    finally:
        event.remove(database.engine, "after_cursor_execute", after_write)
        watcher.dispose()
    assert cut and cut[0] >= 1, "the import was never seen writing"
    assert raised.value.failure is ServerFailure.LOST
    assert raised.value.message.startswith(
        "La connexion au serveur a été perdue : rien n'a été enregistré."
    )
    with database.session() as session:  # the pool reconnects: nothing of the list is there
        assert session.scalar(select(func.count()).select_from(Participant)) == 0
        assert session.scalar(text("SELECT count(*) FROM import_batches")) == 0
