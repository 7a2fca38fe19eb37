"""Command line: ``allervers [--db PATH] [COMMAND]``; no command opens the window."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from allervers_desktop import __version__
from allervers_desktop.cli import french

# Each module defines ``register(subparsers)``; heavy imports stay inside its handlers.
COMMAND_MODULES = (
    "allervers_desktop.cli.data_commands",
    "allervers_desktop.cli.excel_commands",
    "allervers_desktop.cli.document_commands",
    "allervers_desktop.cli.backup_commands",
)


def build_parser() -> argparse.ArgumentParser:
    french.install()
    parser = argparse.ArgumentParser(
        prog="allervers",
        description="Gestion des formations « Aller vers » : sans commande, ouvre la fenêtre.",
    )
    parser.add_argument("--db", metavar="PATH", help="fichier de base de données SQLite à utiliser")
    parser.add_argument(
        "--version",
        action="version",
        version=f"allervers {__version__}",
        help="afficher la version et quitter",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, qt_args = parser.parse_known_args(argv)
    if args.command is None:
        from allervers_desktop.ui.app import run_gui

        return run_gui(args.db, [sys.argv[0], *qt_args])
    if qt_args:
        parser.error(f"arguments non reconnus : {' '.join(qt_args)}")
    handler = args.handler
    return int(handler(args))
