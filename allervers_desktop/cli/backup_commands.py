"""Commands ``backup`` and ``restore``: verified copies of the database, and putting one back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from allervers_desktop.cli.context import fail, guarded
from allervers_desktop.paths import database_path


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup", help="sauvegarder la base (dossier des sauvegardes, ou --to FICHIER|DOSSIER)"
    )
    backup.add_argument(
        "--to", metavar="FICHIER|DOSSIER", help="où écrire la copie (sinon : dossier réglé)"
    )
    backup.set_defaults(handler=guarded(run_backup))
    restore = subparsers.add_parser(
        "restore", help="remplacer la base par une sauvegarde (l'actuelle est sauvegardée)"
    )
    restore.add_argument("file", metavar="FICHIER", help="la sauvegarde à restaurer")
    restore.set_defaults(handler=guarded(run_restore))


def run_backup(args: argparse.Namespace) -> int:
    from allervers_desktop.db.database import inspect_file
    from allervers_desktop.services import backups

    path = database_path(args.db)
    state = inspect_file(path)  # refuses a foreign, damaged or newer file, unwritten
    if state.revision is None:
        return fail(f"« {path} » ne contient encore aucune base allervers à sauvegarder.")
    if args.to is None:
        result = backups.make_backup(path, backups.folder_of(path), manual=True)
        print(result.describe())
        return 0
    target = Path(args.to).expanduser()
    if target.is_dir():  # a folder of the user's: a copy, no rotation there
        result = backups.make_backup(path, target, manual=True, rotation=False)
        print(result.describe())
        return 0
    copy = backups.save_copy(path, target)
    print(f"Copie enregistrée : « {copy} ».")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from allervers_desktop.db.database import open_database
    from allervers_desktop.services import backups
    from allervers_desktop.services import restore as restore_service

    path = database_path(args.db)
    chosen = Path(args.file).expanduser()
    prepared = restore_service.prepare_restore(chosen, path, backups.folder_of(path))
    result = restore_service.finish_restore(prepared)
    print(result.describe())
    database = open_database(path)  # migrates an older backup (with its own copy first)
    database.close()
    if database.backup_path is not None:
        print(f"Base mise à jour ; copie d'avant la mise à jour : « {database.backup_path} ».")
    return 0
