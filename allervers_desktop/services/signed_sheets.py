"""Feuilles d'émargement signées: scans attached to a group's days, kept in the database."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from allervers_desktop.db.database import os_reason
from allervers_desktop.db.models import Attendance, GroupDay, HalfDay, SignedSheet
from allervers_desktop.formatting import short_date
from allervers_desktop.services.errors import NotFoundError, ServiceError
from allervers_desktop.services.groups import get_group

MAX_SHEET_BYTES = 20 * 1024 * 1024
# (first bytes, media type, name shown to the user, file suffix)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "PDF", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG", ".jpg"),
    (b"II*\x00", "image/tiff", "TIFF", ".tif"),
    (b"MM\x00*", "image/tiff", "TIFF", ".tif"),
)
SUFFIXES = {media: suffix for _magic, media, _name, suffix in SIGNATURES}


class SheetError(ServiceError):
    """A signed sheet cannot be attached or opened."""


@dataclass(frozen=True)
class SheetInfo:
    """One attached scan, without its bytes."""

    sheet_id: int
    date: dt.date
    file_name: str
    media_type: str
    size: int
    attached_at: dt.datetime

    @property
    def size_label(self) -> str:
        """« 245 Ko », « 1,2 Mo »."""
        if self.size < 1024 * 1024:
            return f"{max(1, round(self.size / 1024))} Ko"
        return f"{self.size / (1024 * 1024):.1f} Mo".replace(".", ",")


def media_type_of(content: bytes) -> str | None:
    for magic, media, _name, _suffix in SIGNATURES:
        if content.startswith(magic):
            return media
    return None


def check_sheet(file_name: str, content: bytes) -> str:
    """The media type of a scan; refused in French when empty, too big or not PDF/image."""
    if not content:
        raise SheetError(f"Le fichier « {file_name} » est vide.")
    if len(content) > MAX_SHEET_BYTES:
        size = f"{len(content) / (1024 * 1024):.1f}".replace(".", ",")
        raise SheetError(
            f"Le fichier « {file_name} » est trop lourd ({size} Mo) : "
            f"{MAX_SHEET_BYTES // (1024 * 1024)} Mo au plus."
        )
    media = media_type_of(content)
    if media is None:
        raise SheetError(
            f"Le fichier « {file_name} » n'est ni un PDF ni une image (PNG, JPEG, TIFF) : "
            "joignez le scan de la feuille signée."
        )
    return media


def read_sheet_file(path: Path) -> bytes:
    """Read a scan chosen by the user, refusing an oversized file before reading it."""
    try:
        if path.is_dir():
            raise SheetError(f"« {path} » est un dossier, pas un fichier.")
        size = path.stat().st_size
        if size > MAX_SHEET_BYTES:
            raise SheetError(
                f"Le fichier « {path.name} » est trop lourd : "
                f"{MAX_SHEET_BYTES // (1024 * 1024)} Mo au plus."
            )
        return path.read_bytes()
    except OSError as exc:
        raise SheetError(f"Le fichier « {path} » ne peut pas être lu : {os_reason(exc)}.") from exc


def _day(session: Session, group_id: int, date: dt.date) -> GroupDay:
    group = get_group(session, group_id)
    for day in group.days:
        if day.date == date:
            return day
    raise SheetError(f"Le groupe « {group.label} » n'a pas de séance le {short_date(date)}.")


def attach_sheet(
    session: Session, group_id: int, date: dt.date, file_name: str, content: bytes
) -> SheetInfo:
    """Attach a scan to a day of the group (a day may have several: one per page or
    half-day); nothing replaces an earlier scan."""
    media = check_sheet(file_name, content)
    day = _day(session, group_id, date)
    sheet = SignedSheet(
        group_day_id=day.id,
        file_name=Path(file_name).name[:300] or "feuille",
        media_type=media,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
    session.add(sheet)
    session.flush()
    return _info(sheet, day.date)


def _info(sheet: SignedSheet, date: dt.date) -> SheetInfo:
    return SheetInfo(
        sheet.id, date, sheet.file_name, sheet.media_type, sheet.size, sheet.attached_at
    )


def list_sheets(session: Session, group_id: int) -> list[SheetInfo]:
    """The scans of a group, by day then by order attached."""
    get_group(session, group_id)
    rows = session.execute(
        select(
            SignedSheet.id,
            GroupDay.date,
            SignedSheet.file_name,
            SignedSheet.media_type,
            SignedSheet.size,
            SignedSheet.attached_at,
        )
        .join(GroupDay, SignedSheet.group_day_id == GroupDay.id)
        .where(GroupDay.group_id == group_id)
        .order_by(GroupDay.date, SignedSheet.id)
    )
    return [SheetInfo(*row) for row in rows]


def days_with_sheets(session: Session, group_id: int) -> set[dt.date]:
    return {info.date for info in list_sheets(session, group_id)}


def days_without_sheet(session: Session, group_id: int) -> list[dt.date]:
    """Days where attendance was recorded but no signed sheet is attached."""
    recorded = session.scalars(
        select(GroupDay.date)
        .join(HalfDay, HalfDay.group_day_id == GroupDay.id)
        .join(Attendance, Attendance.half_day_id == HalfDay.id)
        .where(GroupDay.group_id == group_id)
        .group_by(GroupDay.date)
        .having(func.count(Attendance.id) > 0)
        .order_by(GroupDay.date)
    ).all()
    attached = days_with_sheets(session, group_id)
    return [date for date in recorded if date not in attached]


def write_sheet_copy(session: Session, sheet_id: int, folder: Path) -> Path:
    """Write a scan to ``folder`` (temporary file beside it, fsynced, then renamed), to be
    opened by the system's viewer; return its path."""
    sheet = session.get(SignedSheet, sheet_id)
    if sheet is None:
        raise NotFoundError("feuille signée", sheet_id)
    day = session.get_one(GroupDay, sheet.group_day_id)
    stem = Path(sheet.file_name).stem or "feuille"
    suffix = SUFFIXES.get(sheet.media_type, Path(sheet.file_name).suffix)
    target = folder / f"{day.date:%Y-%m-%d} - {stem}{suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".partiel", dir=folder)
        try:
            with os.fdopen(handle, "wb") as output:
                output.write(sheet.content)
                output.flush()
                os.fsync(output.fileno())
            if os.path.getsize(temporary) != sheet.size:
                raise SheetError(f"La copie de « {sheet.file_name} » est incomplète.")
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    except OSError as exc:
        raise SheetError(
            f"La feuille « {sheet.file_name} » n'a pas pu être copiée pour l'ouvrir : "
            f"{os_reason(exc)}."
        ) from exc
    return target
