"""Commands ``db upgrade`` and ``db copy``: a server's schema upgrade, a file copied to it."""

from __future__ import annotations

import argparse
from typing import Any

from allervers_desktop.cli.context import guarded


def register(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="administration de la base (mise à jour du schéma)")
    actions = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade",
        help="créer ou mettre à jour les tables d'allervers (un serveur n'est jamais mis à "
        "jour par la fenêtre : c'est la commande de son administrateur)",
    )
    upgrade.set_defaults(handler=guarded(run_upgrade))
    copy = actions.add_parser(
        "copy",
        help="copier un fichier local dans une base de serveur neuve (en une transaction, "
        "comptes vérifiés)",
    )
    copy.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="FICHIER",
        help="le fichier .sqlite3 à copier (il n'est pas modifié)",
    )
    copy.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="URL",
        help="postgresql://utilisateur@serveur:5432/base, mise à jour et vide",
    )
    copy.set_defaults(handler=guarded(run_copy))


def run_upgrade(args: argparse.Namespace) -> int:
    from pathlib import Path

    from allervers_desktop.db.database import open_database
    from allervers_desktop.db.schema_version import HEAD_REVISION
    from allervers_desktop.db.server import upgrade_server
    from allervers_desktop.paths import database_location

    location = database_location(args.db)
    if isinstance(location, Path):  # a file: the same backup-then-upgrade as at start-up
        database = open_database(location)
        database.close()
        if database.backup_path is not None:
            print(
                f"Base mise à jour (schéma « {HEAD_REVISION} ») ; copie d'avant la mise à "
                f"jour : « {database.backup_path} »."
            )
        else:
            print(f"La base est à jour (schéma « {HEAD_REVISION} »).")
        return 0
    print(upgrade_server(location).message)
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from allervers_desktop.cli.context import fail
    from allervers_desktop.db.copy import copy_file_to_server
    from allervers_desktop.db.location import is_server_text, server_url
    from allervers_desktop.paths import database_path

    if is_server_text(args.source):
        return fail("--from attend un fichier local (.sqlite3), pas l'adresse d'un serveur.")
    if not is_server_text(args.target):
        return fail("--to attend l'adresse d'un serveur : postgresql://utilisateur@serveur/base.")
    result = copy_file_to_server(database_path(args.source), server_url(args.target))
    for table, count in result.rows.items():
        print(f"  {table} : {count}")
    print(result.message)
    return 0
