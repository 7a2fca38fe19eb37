"""Recognise what a file really is from its first bytes, whatever its extension says."""

from __future__ import annotations

import enum
import zipfile

from allervers_desktop.excel.archive import DAMAGED, open_archive
from allervers_desktop.excel.errors import UnreadableFileError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_SAMPLE = 4096


class FileKind(enum.StrEnum):
    """The formats the importer reads."""

    XLSX = "xlsx"
    XLSM = "xlsm"
    XLSB = "xlsb"
    XLS = "xls"
    ODS = "ods"
    CSV = "csv"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _refuse(name: str, what: str) -> UnreadableFileError:
    return UnreadableFileError(f"Le fichier « {name} » {what}")


def sniff(data: bytes, name: str) -> FileKind:
    """The format of ``data``; raise UnreadableFileError with a French message otherwise."""
    if not data.strip(b" \t\r\n\x00"):
        raise _refuse(name, "est vide.")
    head = data[:_SAMPLE]
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(data, name)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(data, name)
    return _sniff_other(head, name)


def _sniff_zip(data: bytes, name: str) -> FileKind:
    archive = open_archive(data, name)
    names = set(archive.namelist())
    try:
        mimetype = archive.open("mimetype").read(256).strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, ValueError) as exc:
        raise _refuse(name, DAMAGED) from exc
    if "xl/workbook.xml" in names:
        if "xl/vbaProject.bin" in names or name.lower().endswith(".xlsm"):
            return FileKind.XLSM
        return FileKind.XLSX
    if "xl/workbook.bin" in names:
        return FileKind.XLSB
    if mimetype == ODS_MIMETYPE or ("content.xml" in names and mimetype.endswith(b"spreadsheet")):
        return FileKind.ODS
    if "word/document.xml" in names:
        raise _refuse(name, "est un document Word, pas un tableur.")
    if "ppt/presentation.xml" in names:
        raise _refuse(name, "est une présentation PowerPoint, pas un tableur.")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise _refuse(name, "est un document OpenDocument qui n'est pas un tableur.")
    if any(member.startswith("xl/") for member in names):
        raise _refuse(name, "est un classeur Excel endommagé (le classeur lui-même est absent).")
    raise _refuse(name, "est une archive ZIP, pas un tableur.")


def _sniff_ole(data: bytes, name: str) -> FileKind:
    if _utf16("EncryptionInfo") in data or _utf16("EncryptedPackage") in data:
        raise _refuse(
            name,
            "est protégé par un mot de passe : ouvrez-le dans votre tableur, "
            "enregistrez-en une copie sans mot de passe, puis importez cette copie.",
        )
    if _utf16("WordDocument") in data:
        raise _refuse(name, "est un document Word, pas un tableur.")
    if _utf16("PowerPoint Document") in data:
        raise _refuse(name, "est une présentation PowerPoint, pas un tableur.")
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return FileKind.XLS
    raise _refuse(name, "est un fichier Office qui n'est pas un classeur Excel.")


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "est un document PDF, pas un tableur."),
    (b"\x89PNG", "est une image, pas un tableur."),
    (b"\xff\xd8\xff", "est une image, pas un tableur."),
    (b"GIF8", "est une image, pas un tableur."),
    (b"{\\rtf", "est un document RTF, pas un tableur."),
    (b"\x1f\x8b", "est une archive compressée, pas un tableur."),
    (b"Rar!", "est une archive compressée, pas un tableur."),
    (b"7z\xbc\xaf", "est une archive compressée, pas un tableur."),
    (b"SQLite format 3", "est une base de données SQLite, pas un tableur."),
)


def _sniff_other(head: bytes, name: str) -> FileKind:
    for signature, message in _SIGNATURES:
        if head.startswith(signature):
            raise _refuse(name, message)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<head")):
        raise _refuse(
            name,
            "est une page web (HTML) et non un vrai classeur : ouvrez-le dans votre tableur "
            "et enregistrez-le au format .xlsx, puis importez cette copie.",
        )
    if text.startswith(b"<?xml"):
        raise _refuse(
            name,
            "est un fichier XML (par exemple « Feuille de calcul XML 2003 »), format non pris "
            "en charge : enregistrez-le au format .xlsx, puis importez cette copie.",
        )
    return FileKind.CSV
