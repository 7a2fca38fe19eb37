"""``allervers report``: where a report goes (a .xlsx, a .pdf, or a folder) and writing it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from allervers_desktop.services.errors import ServiceError
from allervers_desktop.stats.filters import StatsFilter

FOLDER_FORMATS = (".xlsx", ".pdf")  # what a folder receives
FILE_NAMES = {"cofinancer": "bilan-cofinanceur", "employers": "recapitulatif-etablissements"}


def write_report(
    session: Session,
    kind: str,
    flt: StatsFilter,
    out: str | Path,
    *,
    replace_read_only: bool = False,
) -> list[Path]:
    """Write the report ``kind`` (« cofinancer » or « employers ») and return the files.

    ``out`` ending in .xlsx or .pdf is the file; anything else is a folder (created if its
    parent exists) that receives the report under its usual name (the workbook and the
    PDF)."""
    if kind not in FILE_NAMES:
        raise ServiceError(f"Rapport inconnu « {kind} » : cofinancer ou employers.")
    flt.check()
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix in (".xlsx", ".pdf"):
        targets = [target]
    elif suffix and not target.is_dir():
        raise ServiceError(
            f"Le fichier « {target.name} » doit avoir l'extension .xlsx ou .pdf (ou indiquez un "
            "dossier)."
        )
    else:
        if not target.parent.is_dir():
            raise ServiceError(f"Le dossier « {target.parent} » n'existe pas.")
        target.mkdir(exist_ok=True)
        targets = [target / f"{FILE_NAMES[kind]}{ext}" for ext in FOLDER_FORMATS]
    # The PDF first: when it is refused (nothing to print), no workbook was written either.
    for path in sorted(targets, key=lambda path: path.suffix != ".pdf"):
        _write(session, kind, flt, path, replace_read_only=replace_read_only)
    return targets


def _write(
    session: Session, kind: str, flt: StatsFilter, target: Path, *, replace_read_only: bool
) -> None:
    if target.suffix.lower() == ".pdf":
        from allervers_desktop.documents.stats_reports import write_report_pdf

        write_report_pdf(session, kind, flt, target, replace_read_only=replace_read_only)
    elif kind == "cofinancer":
        from allervers_desktop.stats.cofinancer import write_cofinancer_workbook
        from allervers_desktop.stats.compute import compute_stats

        stats = compute_stats(session, flt)
        write_cofinancer_workbook(session, stats, target, replace_read_only=replace_read_only)
    else:
        from allervers_desktop.stats.employers import write_employers_workbook

        write_employers_workbook(session, flt, target, replace_read_only=replace_read_only)
