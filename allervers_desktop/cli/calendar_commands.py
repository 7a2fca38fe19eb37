"""Command ``calendar``: a group's, a trainer's or the whole planning as an iCalendar file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from allervers_desktop.cli.context import guarded, opened_database


def register(subparsers: Any) -> None:
    calendar = subparsers.add_parser(
        "calendar", help="exporter le planning en iCalendar (.ics) pour Outlook ou Thunderbird"
    )
    which = calendar.add_mutually_exclusive_group()
    which.add_argument("--group", type=int, metavar="ID", help="les demi-journées d'un groupe")
    which.add_argument("--trainer", type=int, metavar="ID", help="le planning d'un intervenant")
    calendar.add_argument("--out", type=Path, required=True, metavar="FICHIER.ics")
    calendar.set_defaults(handler=guarded(run_calendar))


def run_calendar(args: argparse.Namespace) -> int:
    from allervers_desktop.calendar_export import build_calendar, write_calendar

    with opened_database(args) as database, database.session() as session:
        calendar = build_calendar(session, group_id=args.group, trainer_id=args.trainer)
    count = len(calendar.walk("VEVENT"))
    target = write_calendar(calendar, args.out)
    print(f"{count} demi-journée(s) exportée(s) dans « {target} ».")
    return 0
