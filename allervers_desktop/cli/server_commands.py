"""Command ``db upgrade``: the administrator's schema upgrade of a server (or a file)."""

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
