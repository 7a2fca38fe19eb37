"""Helpers for the Excel tests: the corpus folders and a full snapshot of the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Base

DATA = Path(__file__).resolve().parents[2] / "data"
LISTS = DATA / "lists"
BAD = DATA / "bad"


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that nothing was written."""
    with database.session() as session:
        return {
            table.name: [tuple(row) for row in session.execute(select(table)).all()]
            for table in Base.metadata.sorted_tables
        }
