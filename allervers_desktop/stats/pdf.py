"""PDF versions of the reports (through the documents' rendering path)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from allervers_desktop.services.errors import ServiceError
from allervers_desktop.stats.filters import StatsFilter


def write_report_pdf(
    session: Session, kind: str, flt: StatsFilter, target: Path, *, replace_read_only: bool
) -> None:
    raise ServiceError("Le rapport PDF n'est pas encore disponible : choisissez un fichier .xlsx.")
