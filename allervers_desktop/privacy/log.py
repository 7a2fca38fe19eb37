"""Journal RGPD: who purged, erased or exported what and when (counts, never personal data)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import PrivacyLogEntry

ACTION_LABELS = {"purge": "Purge", "erase": "Effacement", "export": "Export"}
UNKNOWN_USER = "inconnu"


def current_user() -> str:
    """The operating-system account (the database is a local file: that is who acted)."""
    try:
        return getpass.getuser()[:100] or UNKNOWN_USER
    except Exception:  # no login name, no password entry: still log the action
        return UNKNOWN_USER


def record(
    session: Session,
    action: str,
    summary: str,
    counts: dict[str, int],
    participant_id: int | None = None,
    when: dt.datetime | None = None,
) -> PrivacyLogEntry:
    entry = PrivacyLogEntry(
        performed_at=when or dt.datetime.now().replace(microsecond=0),
        action=action,
        performed_by=current_user(),
        participant_id=participant_id,
        summary=summary,
        counts=json.dumps(counts, sort_keys=True),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class LogLine:
    id: int
    performed_at: dt.datetime
    action: str
    performed_by: str
    participant_id: int | None
    summary: str
    counts: dict[str, int]

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "performed_at": self.performed_at.isoformat(),
            "action": self.action,
            "performed_by": self.performed_by,
            "participant_id": self.participant_id,
            "summary": self.summary,
            "counts": self.counts,
        }


def entries(session: Session, participant_id: int | None = None) -> list[LogLine]:
    """The log, most recent first (only one participant's lines when given)."""
    query = select(PrivacyLogEntry).order_by(PrivacyLogEntry.id.desc())
    if participant_id is not None:
        query = query.where(PrivacyLogEntry.participant_id == participant_id)
    return [
        LogLine(
            e.id,
            e.performed_at,
            e.action,
            e.performed_by,
            e.participant_id,
            e.summary,
            dict(json.loads(e.counts or "{}")),
        )
        for e in session.scalars(query)
    ]


def expired_entries(session: Session, before: dt.date) -> list[int]:
    start = dt.datetime.combine(before, dt.time())
    return list(
        session.scalars(select(PrivacyLogEntry.id).where(PrivacyLogEntry.performed_at < start))
    )


def delete_entries(session: Session, ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        session.execute(
            delete(PrivacyLogEntry).where(PrivacyLogEntry.id.in_(ids[start : start + 500]))
        )
