"""Command line: ``allervers [--db PATH] [COMMAND]``; no command opens the window."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from allervers_desktop import version
from allervers_desktop.cli import french

# Each module defines ``register(subparsers)``; heavy imports stay inside its handlers.
COMMAND_MODULES = (
    "allervers_desktop.cli.data_commands",
    "allervers_desktop.cli.excel_commands",
    "allervers_desktop.cli.document_commands",
    "allervers_desktop.cli.register_commands",
    "allervers_desktop.cli.privacy_commands",
    "allervers_desktop.cli.provider_commands",
    "allervers_desktop.cli.backup_commands",
    "allervers_desktop.cli.server_commands",
    "allervers_desktop.cli.planning_commands",
    "allervers_desktop.cli.waiting_list_commands",
    "allervers_desktop.cli.lifecycle_commands",
    "allervers_desktop.cli.stats_commands",
    "allervers_desktop.cli.calendar_commands",
    "allervers_desktop.cli.mail_commands",
    "allervers_desktop.cli.cost_commands",
    "allervers_desktop.cli.complaint_commands",
)


def build_parser() -> argparse.ArgumentParser:
    french.install()
    parser = argparse.ArgumentParser(
        prog="allervers",
        description="Gestion des formations « Aller vers » : sans commande, ouvre la fenêtre.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help="fichier de base de données SQLite, ou serveur PostgreSQL "
        "(postgresql://utilisateur@serveur:5432/base)",
    )
    parser.add_argument("--version", action=_ShowVersion, help="afficher la version et quitter")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="ouvrir la fenêtre, l'afficher une fois avec chaque onglet, puis quitter "
        "(vérifie une installation)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()  # here, so that a closed pipe is caught below, not at exit
    except BrokenPipeError:
        # The reader went away (« allervers list participants | head »): stop quietly, as the
        # Python documentation advises for SIGPIPE; later writes go nowhere.
        _discard_stdout()
        return 1
    return code


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args, qt_args = parser.parse_known_args(argv)
    if args.command is None:
        from allervers_desktop.ui.app import run_gui

        return run_gui(args.db, [sys.argv[0], *qt_args], smoke_test=args.smoke_test)
    if qt_args:
        parser.error(f"arguments non reconnus : {' '.join(qt_args)}")
    if args.smoke_test:
        parser.error("--smoke-test s'emploie sans commande (il ouvre la fenêtre)")
    handler = args.handler
    return int(handler(args))


class _ShowVersion(argparse.Action):
    """``--version``: « allervers 0.1.0 », read from the package metadata only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(f"allervers {version()}")
        parser.exit()


def _discard_stdout() -> None:
    """Point the standard output at the null device, so that Python's final flush is silent."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by an object without a descriptor
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
