"""Who changed what: stamps edited records and writes their Historique (``change_log``).

Every session flush, whatever wrote (a form, an import, a command), stamps the catalogue and
people records it changes with the user and the time, which also bumps their version counter
(``version_id_col``), and records one ``change_log`` row per created, changed or deleted
record, with the fields that changed (before → after)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import getpass
import json
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from allervers_desktop.db.models import (
    ChangeLogEntry,
    Course,
    Employer,
    Group,
    Participant,
    Trainer,
    TrainingProvider,
)

CHANGE_LOG = cast(Table, ChangeLogEntry.__table__)
TRACKED: tuple[type[Any], ...] = (Course, Group, Trainer, Employer, Participant, TrainingProvider)
# Kept in step by the application itself: not news for the Historique.
_QUIET = frozenset(
    {"version", "modified_by", "modified_at", "search_text", "sort_name", "first_date"}
    | {"created_at", "updated_at"}
)
USER_KEY = "user"
_CREATED_KEY = "allervers_created"


def os_user() -> str:
    """The person logged on to this computer (for a local file); empty if unknown."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _now(session: Session) -> dt.datetime:
    clock = session.info.get("clock")
    moment = clock.now() if clock is not None else dt.datetime.now()
    return moment.replace(microsecond=0)


def _user(session: Session) -> str:
    return str(session.info.get(USER_KEY) or os_user())[:100]


def _plain(value: object) -> object:
    """A value as JSON can hold it and the Historique shows it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} octets>"
    return str(value)


def _changed_fields(obj: object) -> dict[str, list[object]]:
    state = inspect(obj)
    changes: dict[str, list[object]] = {}
    for attribute in state.mapper.column_attrs:
        if attribute.key in _QUIET or attribute.key.endswith("_key"):
            continue
        history = state.attrs[attribute.key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before != after:
            changes[attribute.key] = [_plain(before), _plain(after)]
    return changes


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, _context: object, _instances: object) -> None:
    user, now = _user(session), _now(session)
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TRACKED):
            continue
        if obj in session.new or session.is_modified(obj, include_collections=False):
            obj.modified_by = user
            obj.modified_at = now
            flag_modified(obj, "modified_at")  # an UPDATE, hence a new version, even if equal


def touch(record: object) -> None:
    """Count a save of ``record``'s form as a change of it (a new version), even if only
    its lists (days, trainers…) changed."""
    flag_modified(record, "modified_at")


@event.listens_for(Session, "after_transaction_end")
def _forget_created(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_CREATED_KEY, None)


@event.listens_for(Session, "after_flush")
def _record(session: Session, _context: object) -> None:
    user, now = _user(session), _now(session)
    rows: list[dict[str, object]] = []

    def add(obj: Any, action: str, details: dict[str, list[object]]) -> None:
        rows.append(
            {
                "table_name": obj.__tablename__,
                "record_id": obj.id,
                "action": action,
                "changed_at": now,
                "changed_by": user,
                "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
            }
        )

    created: set[tuple[str, int]] = session.info.setdefault(_CREATED_KEY, set())
    for obj in session.new:
        if isinstance(obj, TRACKED):
            add(obj, "create", {})
            created.add((obj.__tablename__, obj.id))
    for obj in session.dirty:
        if not isinstance(obj, TRACKED) or obj in session.deleted:
            continue
        if (obj.__tablename__, obj.id) in created:
            continue  # completed in the transaction that creates it: one « Création »
        details = _changed_fields(obj)
        if details:
            add(obj, "update", details)
    for obj in session.deleted:
        if isinstance(obj, TRACKED):
            add(obj, "delete", {})
    if rows:
        session.connection().execute(insert(CHANGE_LOG), rows)
