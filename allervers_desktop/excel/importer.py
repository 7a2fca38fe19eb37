"""Import an attendee list: preview without writing, then apply in one transaction.

The wizard's steps map to these calls:
1. ``open_spreadsheet(path)`` -> the file and its ``sheet_names``;
2. ``prepare_sheet(file, sheet_name)`` -> a ``SheetLayout`` (header row + proposed
   ``ColumnMapping``, which ``layout.with_mapping(mapping.with_field(column, field))`` changes);
3. ``preview_import(session, file, layout, options, progress)`` -> an ``ImportReport`` with a
   ``RowResult`` per row (created / merged / unchanged / skipped / conflict) and the conflicts;
4. the user's choices go into ``ImportOptions.decisions`` ({conflict.key: "keep" | "replace"},
   {lookalike.key: "same" | "different"});
5. ``apply_import(session, file, layout, options, progress)`` inside ``database.transaction()``:
   a progress callback returning False raises OperationCancelled, so nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import Database
from allervers_desktop.db.models import Group, ImportBatch
from allervers_desktop.excel.errors import UnreadableFileError
from allervers_desktop.excel.layout import SheetLayout, prepare_sheet
from allervers_desktop.excel.mapping import ImportField
from allervers_desktop.excel.matching import load_index
from allervers_desktop.excel.planning import ImportPlan, Planner
from allervers_desktop.excel.progress import Progress, ProgressTicker, collector_paused
from allervers_desktop.excel.reading import SpreadsheetFile, open_spreadsheet
from allervers_desktop.excel.report import ConflictChoice, ImportReport, Notice, PreviousImport
from allervers_desktop.excel.routing import make_router
from allervers_desktop.excel.rows import parse_sheet
from allervers_desktop.excel.writing import PlanWriter, write_units
from allervers_desktop.services.errors import ServiceError
from allervers_desktop.services.locks import lock_groups

CANCELLED = "Import annulé : rien n'a été écrit."
NO_GROUP_WARNING = (
    "Aucun groupe choisi et pas de colonne « Groupe » : les participants sont importés "
    "sans inscription."
)


@dataclass(frozen=True)
class ImportOptions:
    """Choices of the user: target group (or course for routing) and conflict decisions."""

    group_id: int | None = None
    course_id: int | None = None
    decisions: Mapping[str, ConflictChoice | str] = field(default_factory=dict)


def previous_import(session: Session, sha256: str) -> PreviousImport | None:
    """The last applied import of a file with the same content."""
    row = session.execute(
        select(ImportBatch.id, ImportBatch.imported_at)
        .where(ImportBatch.file_sha256 == sha256, ImportBatch.status == "applied")
        .order_by(ImportBatch.id.desc())
        .limit(1)
    ).first()
    return PreviousImport(row[0], row[1]) if row is not None else None


def _plan(
    session: Session,
    spreadsheet: SpreadsheetFile,
    layout: SheetLayout,
    options: ImportOptions,
    progress: Progress | None,
) -> tuple[ImportPlan, ImportReport, ProgressTicker]:
    problems = layout.mapping.problems()
    if problems:
        raise UnreadableFileError(
            f"Feuille « {layout.sheet_name} » du fichier « {spreadsheet.name} » : {problems[0]}"
        )
    table = spreadsheet.sheet(layout.sheet_name)
    # Reading, identifying and reporting each row: three steps a row, reported as they go (the
    # window gets its turn at each report, see ui/tasks.py).
    data_rows = max(len(table.rows) - layout.header_row, 0)
    ticker = ProgressTicker(progress, data_rows * 3, cancelled_message=CANCELLED)
    ticker.report()
    parsed = parse_sheet(table, layout, ticker)
    router = make_router(session, options.group_id, options.course_id)
    group_ids = [router.fixed.id] if router.fixed else [group.id for group in router.candidates]
    has_group_column = ImportField.GROUP in layout.mapping.mapped
    planner = Planner(
        load_index(session, group_ids),
        router,
        options.decisions,
        has_group_column=has_group_column and router.fixed is None,
        today=dt.date.today(),
    )
    plan = planner.plan(parsed.rows, ticker)
    warnings = list(plan.warnings)
    if router.fixed is None and not has_group_column and plan.rows:
        warnings.insert(0, Notice(None, NO_GROUP_WARNING))
    report = ImportReport(
        file_name=spreadsheet.name,
        sheet_name=layout.sheet_name,
        header_row=layout.header_row,
        rows=plan.rows,
        conflicts=plan.conflicts,
        warnings=warnings,
        counts=plan.counts,
        blank_rows=parsed.blank_rows,
        previous_import=previous_import(session, spreadsheet.sha256),
        lookalikes=plan.lookalikes,
    )
    ticker.total = ticker.done + write_units(plan)
    return plan, report, ticker


def preview_import(
    session: Session,
    spreadsheet: SpreadsheetFile,
    layout: SheetLayout,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """What the import would do, row by row; nothing is written."""
    with collector_paused():
        _, report, ticker = _plan(
            session, spreadsheet, layout, options or ImportOptions(), progress
        )
    ticker.total = ticker.done
    ticker.finish()
    report.dry_run = True
    return report


def apply_import(
    session: Session,
    spreadsheet: SpreadsheetFile,
    layout: SheetLayout,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Plan again against the current data and write it, in the caller's transaction.

    Call it inside ``database.transaction()``: any error, or a cancel through ``progress``,
    propagates and the transaction is rolled back, so the import is written whole or not at all.
    An import that changes nothing records nothing.
    """
    with collector_paused():
        return _apply(session, spreadsheet, layout, options, progress)


def _apply(
    session: Session,
    spreadsheet: SpreadsheetFile,
    layout: SheetLayout,
    options: ImportOptions | None,
    progress: Progress | None,
) -> ImportReport:
    # The groups rows may be enrolled into are locked before the plan counts their seats:
    # an enrollment or another import into them, from another program, waits for this one.
    lock_groups(session, _target_groups(session, options))
    plan, report, ticker = _plan(session, spreadsheet, layout, options or ImportOptions(), progress)
    if report.has_changes:
        chosen = options.group_id if options else None
        writer = PlanWriter(session, plan, ticker)
        report.applied = True  # the stored report describes what is written, not a preview
        try:
            report.batch_id = writer.write(
                report, str(spreadsheet.path.resolve()), spreadsheet.sha256, chosen
            )
        except sa_exc.OperationalError as exc:
            if session.get_bind().dialect.name == "postgresql":  # lost, timed out, refused
                from allervers_desktop.db.server_errors import server_error

                raise server_error(exc) from exc
            from allervers_desktop.db.database import sqlite_reason

            raise ServiceError(
                f"La base de données n'a pas pu être écrite ({sqlite_reason(exc)}) : l'import "
                "n'a rien écrit. Réessayez dans un instant."
            ) from exc
        except sa_exc.IntegrityError as exc:
            raise ServiceError(
                "Les données ont changé pendant l'import (doublon d'adresse e-mail ou "
                "inscription déjà présente) : l'import n'a rien écrit. Relancez-le."
            ) from exc
    ticker.finish()
    report.applied = True
    return report


def _target_groups(session: Session, options: ImportOptions | None) -> list[int] | None:
    """The groups an import may enroll into: the chosen one, the course's, or all (None)."""
    if options is not None and options.group_id is not None:
        return [options.group_id]
    if options is not None and options.course_id is not None:
        return list(session.scalars(select(Group.id).where(Group.course_id == options.course_id)))
    return None


def import_file(
    database: Database,
    path: str | Path,
    *,
    group_id: int | None = None,
    course_id: int | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Open, detect, and import (or only preview with ``dry_run``) a file in one go."""
    spreadsheet = open_spreadsheet(path)
    layout = prepare_sheet(spreadsheet, sheet)
    options = ImportOptions(group_id=group_id, course_id=course_id)
    if dry_run:
        with database.session() as session:
            return preview_import(session, spreadsheet, layout, options, progress)
    with database.transaction() as session:
        return apply_import(session, spreadsheet, layout, options, progress)
