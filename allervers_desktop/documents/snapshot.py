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


def to_data(value: Any, blobs: dict[str, bytes]) -> Any:
    """JSON-ready data: dataclasses become objects, dates tagged, bytes referenced."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            item.name: to_data(getattr(value, item.name), blobs)
            for item in dataclasses.fields(value)
            if item.init
        }
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
        return [to_data(item, blobs) for item in value]
    if isinstance(value, dict):
        return {str(key): to_data(item, blobs) for key, item in value.items()}
    return value


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


def encode(value: Any) -> tuple[str, dict[str, bytes]]:
    """The JSON text of a snapshot and the bytes it references."""
    blobs: dict[str, bytes] = {}
    document = {"format": FORMAT, "type": type(value).__name__, "data": to_data(value, blobs)}
    return json.dumps(document, ensure_ascii=False, sort_keys=True), blobs


def comparable(value: Any, ignore: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The data of a dataclass as ``to_data`` gives it, without the top-level ``ignore``d
    fields: two documents print the same content when these are equal."""
    data = to_data(value, {})
    assert isinstance(data, dict)
    return {key: item for key, item in data.items() if key not in ignore}


def store_blobs(session: Session, blobs: dict[str, bytes]) -> None:
    """Keep the referenced bytes (once per content) in ``stored_files``."""
    if not blobs:
        return
    keys = {BLOB_PREFIX + digest: content for digest, content in blobs.items()}
    present = set(session.scalars(select(StoredFile.key).where(StoredFile.key.in_(list(keys)))))
    for key, content in keys.items():
        if key not in present:  # named after its content: same key, same bytes
            session.add(StoredFile(key=key, file_name="", content=content))
    session.flush()


def save(session: Session, value: Any) -> str:
    """Encode a snapshot and store its images; return the JSON text to keep."""
    text, blobs = encode(value)
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
    """Read a snapshot back as an instance of ``kind``."""
    data = raw_data(text)
    digests: set[str] = set()
    _blob_refs(data, digests)
    blobs: dict[str, bytes] = {}
    if digests:
        keys = [BLOB_PREFIX + digest for digest in digests]
        for stored in session.scalars(select(StoredFile).where(StoredFile.key.in_(keys))):
            blobs[stored.key.removeprefix(BLOB_PREFIX)] = stored.content
    return from_data(kind, data, blobs)
