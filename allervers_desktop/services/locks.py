"""Row locks that keep the invariants when several programs write at once.

On PostgreSQL (READ COMMITTED) two coordinators' transactions run side by side: whatever is
checked before a write (a group's free seats, whether a person is already enrolled, whether
an import was already undone) is checked after locking the row it depends on
(``SELECT … FOR UPDATE``), so the second transaction waits for the first to commit and then
reads what it wrote. Locks are taken in id order, so two transactions never deadlock on them.
On SQLite the write transaction already holds the only write lock (``BEGIN IMMEDIATE``);
SQLite has no FOR UPDATE and SQLAlchemy leaves the clause out.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import Group, ImportBatch


def lock_groups(session: Session, group_ids: Iterable[int] | None = None) -> list[int]:
    """Lock the rows of these groups (all groups with None) until the transaction ends;
    return the ids found."""
    query = select(Group.id).order_by(Group.id).with_for_update()
    if group_ids is not None:
        ids = sorted(set(group_ids))
        if not ids:
            return []
        query = query.where(Group.id.in_(ids))
    return list(session.scalars(query))


def lock_import_batch(session: Session, batch_id: int) -> None:
    """Lock an import's history row: two undos of one import (or an undo and a purge of its
    details) run one after the other, the second seeing what the first did."""
    session.execute(
        select(ImportBatch.id).where(ImportBatch.id == batch_id).with_for_update()
    ).all()
