"""Shared helpers for command handlers: open the database, report errors on one line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from allervers_desktop.db.database import Database, DatabaseOpenError, sqlite_reason
from allervers_desktop.db.location import LocationError
from allervers_desktop.db.server import open_location
from allervers_desktop.db.server_errors import ServerError, ServerFailure, server_error
from allervers_desktop.files.errors import ReadOnlyTargetError
from allervers_desktop.paths import database_location, leftovers_anchor
from allervers_desktop.services.errors import ServiceError

EXIT_ERROR = 1
# The database could not be reached or used at all (a server down, a wrong password…).
EXIT_UNAVAILABLE = 2
_UNAVAILABLE_KINDS = frozenset(f.value for f in ServerFailure) | {"empty", "older", "newer"}


def fail(message: str, code: int = EXIT_ERROR) -> int:
    """Print one clear line on stderr and return the exit code."""
    print(f"allervers : erreur : {message}", file=sys.stderr)
    return code


FORCE_HINT = " Ajoutez --force pour le remplacer."


@contextmanager
def opened_database(args: argparse.Namespace) -> Iterator[Database]:
    from allervers_desktop.files import leftovers

    location = database_location(args.db)
    database = open_location(location)
    leftovers.start_up(leftovers_anchor(location))  # what an interrupted write left behind
    try:
        yield database
    finally:
        database.close()


def guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the known errors of a handler into one line on stderr and a non-zero exit."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except LocationError as exc:
            return fail(exc.message, EXIT_UNAVAILABLE)
        except DatabaseOpenError as exc:
            server = exc.kind in _UNAVAILABLE_KINDS and database_is_server(args)
            return fail(exc.message, EXIT_UNAVAILABLE if server else EXIT_ERROR)
        except ReadOnlyTargetError as exc:
            return fail(exc.message + FORCE_HINT)
        except ServerError as exc:
            return fail(exc.message, EXIT_UNAVAILABLE)
        except ServiceError as exc:
            return fail(exc.message)
        except SQLAlchemyError as exc:  # locked, disk full, damaged while in use…
            if database_is_server(args):
                return fail(server_error(exc).message, EXIT_UNAVAILABLE)
            return fail(f"la base de données n'a pas pu être utilisée ({sqlite_reason(exc)}).")

    return run


def database_is_server(args: argparse.Namespace) -> bool:
    try:
        return not isinstance(database_location(getattr(args, "db", None)), Path)
    except LocationError:
        return True


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A readable fixed-width table."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if not rows:
        print("(aucun)")
