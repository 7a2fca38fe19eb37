"""Snapshots of issued documents: their plain data to JSON and back, field by field.

The dataclasses of ``documents/model.py`` are walked generically (every init field, through
the type hints), so a field added to them later is kept in the snapshots without touching
this module; a snapshot written before a field existed reads back with that field's default.
Bytes (logos, signature images) are kept once in ``stored_files`` under their SHA-256 and
referenced from the snapshot, so a thousand certificates do not hold a thousand logos.

    {"format": 1, "type": "Certificate", "data": {...}}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import types
import typing
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from allervers_desktop.db.models import StoredFile
from allervers_desktop.documents.model import DocumentError

FORMAT = 1
BLOB_PREFIX = "snapshot/"


class SnapshotError(DocumentError):
    """A stored snapshot cannot be read back."""


def to_data(value: Any, blobs: dict[str, bytes], memo: dict[int, Any] | None = None) -> Any:
    """JSON-ready data: dataclasses become objects, dates tagged, bytes referenced. ``memo``
    (by object id; it keeps the objects alive, so an id is never reused) converts a frozen
    group or identity shared by many documents once."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if memo is not None:
            known = memo.get(id(value))
            if known is not None and known[0] is value:
                blobs.update(known[2])
                return known[1]
        found: dict[str, bytes] = {}
        data = {
            item.name: to_data(getattr(value, item.name), found, memo)
            for item in dataclasses.fields(value)
            if item.init
        }
        blobs.update(found)
        if memo is not None and type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            memo[id(value)] = (value, data, found)  # the value kept alive: its id stays its own
        return data
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, bytes | bytearray):
        digest = hashlib.sha256(value).hexdigest()
        blobs[digest] = bytes(value)
        return {"$blob": digest}
    if isinstance(value, tuple | list):
        return [to_data(item, blobs, memo) for item in value]
    if isinstance(value, dict):
        return {str(key): to_data(item, blobs, memo) for key, item in value.items()}
    return value


@functools.lru_cache(maxsize=64)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(kind: Any, data: Any, blobs: dict[str, bytes]) -> Any:
    """The value of type ``kind`` that ``to_data`` turned into ``data``."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        last: Exception | None = None
        for option in options:
            if option is type(None):
                continue
            try:
                return from_data(option, data, blobs)
            except (SnapshotError, TypeError, ValueError, KeyError) as exc:
                last = exc
        raise SnapshotError(f"Valeur illisible dans l'instantané ({last}).")
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], item, blobs) for item in data)
        return tuple(from_data(arg, item, blobs) for arg, item in zip(args, data, strict=True))
    if origin is list:
        (arg,) = typing.get_args(kind)
        return [from_data(arg, item, blobs) for item in data]
    if origin is dict:
        key_type, value_type = typing.get_args(kind)
        return {
            from_data(key_type, key, blobs): from_data(value_type, value, blobs)
            for key, value in data.items()
        }
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise SnapshotError(f"Objet attendu pour {kind.__name__}.")
        hints = _hints(kind)
        values = {
            item.name: from_data(hints[item.name], data[item.name], blobs)
            for item in dataclasses.fields(kind)
            if item.init and item.name in data
        }
        return kind(**values)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(data["$datetime"])
    if kind is dt.date:
        return dt.date.fromisoformat(data["$date"])
    if kind is dt.time:
        return dt.time.fromisoformat(data["$time"])
    if kind is bytes:
        digest = data["$blob"]
        if digest not in blobs:
            raise SnapshotError("Une image de l'instantané est introuvable dans la base.")
        return blobs[digest]
    if kind is float and isinstance(data, int | float):
        return float(data)
    if kind in (str, int, bool) and isinstance(data, kind):
        return data
    raise SnapshotError(f"Valeur inattendue dans l'instantané : {data!r}.")


def session_memo(session: Session | None) -> dict[int, Any] | None:
    """A per-transaction memo for ``to_data``: the objects of one preparation stay alive
    while it runs (``Session.info`` is cleared with the session's transaction)."""
    if session is None:
        return None
    memo = session.info.setdefault("snapshot_memo", {})
    assert isinstance(memo, dict)
    return memo


def encode(value: Any, memo: dict[int, Any] | None = None) -> tuple[str, dict[str, bytes]]:
    """The JSON text of a snapshot and the bytes it references."""
    blobs: dict[str, bytes] = {}
    document = {
        "format": FORMAT,
        "type": type(value).__name__,
        "data": to_data(value, blobs, memo),
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True), blobs


def comparable(
    value: Any, ignore: frozenset[str] = frozenset(), memo: dict[int, Any] | None = None
) -> dict[str, Any]:
    """The data of a dataclass as ``to_data`` gives it, without the top-level ``ignore``d
    fields: two documents print the same content when these are equal."""
    data = to_data(value, {}, memo)
    assert isinstance(data, dict)
    return {key: item for key, item in data.items() if key not in ignore}


def store_blobs(session: Session, blobs: dict[str, bytes]) -> None:
    """Keep the referenced bytes (once per content) in ``stored_files``."""
    known = session.info.setdefault("snapshot_blobs", set())
    keys = {
        BLOB_PREFIX + digest: content for digest, content in blobs.items() if digest not in known
    }
    if not keys:
        return
    present = set(session.scalars(select(StoredFile.key).where(StoredFile.key.in_(list(keys)))))
    for key, content in keys.items():
        if key not in present:  # named after its content: same key, same bytes
            session.add(StoredFile(key=key, file_name="", content=content))
    session.flush()
    known.update(key.removeprefix(BLOB_PREFIX) for key in keys)


def save(session: Session, value: Any) -> str:
    """Encode a snapshot and store its images; return the JSON text to keep."""
    text, blobs = encode(value, session_memo(session))
    store_blobs(session, blobs)
    return text


def raw_data(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotError("L'instantané enregistré est illisible.") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SnapshotError("L'instantané a été écrit par une autre version d'allervers.")
    data = document.get("data")
    if not isinstance(data, dict):
        raise SnapshotError("L'instantané enregistré est illisible.")
    return data


def _blob_refs(data: Any, found: set[str]) -> None:
    if isinstance(data, dict):
        if set(data) == {"$blob"}:
            found.add(str(data["$blob"]))
            return
        for item in data.values():
            _blob_refs(item, found)
    elif isinstance(data, list):
        for item in data:
            _blob_refs(item, found)


def load(session: Session, kind: type, text: str) -> Any:
    """Read a snapshot back as an instance of ``kind``. Parts equal to those of a snapshot
    read before in the same transaction (the group, the identity) are read once."""
    data = raw_data(text)
    digests: set[str] = set()
    _blob_refs(data, digests)
    cache = session.info.setdefault("snapshot_blob_content", {})
    missing = [BLOB_PREFIX + digest for digest in digests if digest not in cache]
    if missing:
        for stored in session.scalars(select(StoredFile).where(StoredFile.key.in_(missing))):
            cache[stored.key.removeprefix(BLOB_PREFIX)] = stored.content
    if not dataclasses.is_dataclass(kind):
        return from_data(kind, data, cache)
    parts: dict[str, Any] = session.info.setdefault("snapshot_parts", {})
    hints = _hints(kind)
    values: dict[str, Any] = {}
    for item in dataclasses.fields(kind):
        if not item.init or item.name not in data:
            continue
        value = data[item.name]
        if isinstance(value, dict):  # a nested object: shared by the documents of a group
            key = f"{kind.__name__}.{item.name}:" + json.dumps(value, sort_keys=True)
            if key not in parts:
                parts[key] = from_data(hints[item.name], value, cache)
            values[item.name] = parts[key]
        else:
            values[item.name] = from_data(hints[item.name], value, cache)
    return kind(**values)
