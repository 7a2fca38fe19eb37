"""Lost updates refused: a form's save checks that nobody saved the record since it opened."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.change_tracking import touch
from allervers_desktop.services.errors import NotFoundError, ServiceError

STALE_TITLE = "Modifié entre-temps sur un autre poste"


class StaleRecordError(ServiceError):
    """Someone saved the record after this form loaded it; nothing of this save was written."""

    def __init__(self, modified_by: str = "", modified_at: dt.datetime | None = None) -> None:
        who = f" par {modified_by}" if modified_by else ""
        when = (
            f" le {modified_at:%d/%m/%Y} à {modified_at:%H:%M}" if modified_at is not None else ""
        )
        super().__init__(
            f"{STALE_TITLE}{who}{when} : vos modifications n'ont pas été enregistrées, pour ne "
            "pas effacer celles de votre collègue."
        )
        self.modified_by = modified_by
        self.modified_at = modified_at


def lock_unchanged(
    session: Session, model: type[Any], record_id: int, version: int, what: str
) -> Any:
    """The record, locked until the transaction ends (on PostgreSQL; SQLite's write lock is
    taken already) and still at ``version``; it will be saved as a new version. A
    StaleRecordError if someone saved it since, a NotFoundError if it was deleted."""
    record = session.scalars(
        select(model)
        .where(model.id == record_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if record is None:
        raise NotFoundError(what, record_id)
    if record.version != version:
        raise StaleRecordError(record.modified_by, record.modified_at)
    touch(record)
    return record
