"""Check an image printed on documents (logo, signature, stamp): bytes, pixels, full decode.

``check_image_content`` is the one check for every image a user chooses: at most
``MAX_IMAGE_BYTES`` bytes, PNG/JPEG/GIF/BMP by content, at most ``MAX_IMAGE_SIDE`` pixels a
side and ``MAX_IMAGE_PIXELS`` in all (read from the header by ``QImageReader.size()`` before
anything is decoded), then decoded in full: a truncated or damaged image, or a PNG followed by
other bytes, is refused. ``decode_image`` decodes for painting; both keep Qt's English decoder
warnings (« libpng error: Read Error ») off the console and turn them into French reasons.
QtGui is imported on first use, so the command line starts without it."""

from __future__ import annotations

import struct
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from allervers_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

MIB = 1024 * 1024
MAX_IMAGE_BYTES = 2 * MIB
MAX_IMAGE_SIDE = 5_000  # pixels
MAX_IMAGE_PIXELS = 16_000_000  # width x height: 64 MB once decoded (4 bytes a pixel)
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
)
_PNG_MAGIC = SIGNATURES[0][0]
_lock = threading.Lock()


class ImageError(ServiceError):
    """An image cannot be used on documents (French message)."""


@dataclass(frozen=True)
class ImageInfo:
    """What the check found: « PNG », width and height in pixels."""

    format: str
    width: int
    height: int


def image_format(content: bytes) -> str | None:
    """« PNG », « JPEG »… from the first bytes; None when not a supported image."""
    for magic, name in SIGNATURES:
        if content.startswith(magic):
            return name
    return None


def _png_problem(content: bytes) -> str | None:
    """Walk a PNG's chunks: cut short, a damaged chunk, or bytes after its end."""
    position = len(_PNG_MAGIC)
    while position + 8 <= len(content):
        length, kind = struct.unpack_from(">I4s", content, position)
        end = position + 12 + length
        if end > len(content):
            return "l'image est tronquée (fichier incomplet)"
        crc = struct.unpack_from(">I", content, end - 4)[0]
        if zlib.crc32(content[position + 4 : end - 4]) != crc:
            return "l'image est endommagée (un bloc de données est corrompu)"
        position = end
        if kind == b"IEND":
            if content[position:].strip(b"\x00"):
                return "des données étrangères suivent l'image (fichier trafiqué ou corrompu)"
            return None
    return "l'image est tronquée (fichier incomplet)"


@contextmanager
def _decoder_messages() -> Iterator[list[str]]:
    """Collect Qt's image-decoder warnings instead of printing them; others pass through."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    caught: list[str] = []
    previous: Any = None

    def handler(mode: QtMsgType, context: Any, message: str) -> None:
        category = getattr(context, "category", "") or ""
        if category.startswith("qt.gui.imageio") or message.startswith(("libpng", "QImage")):
            caught.append(message)
        elif previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(f"{message}\n")

    with _lock:
        previous = qInstallMessageHandler(handler)
        try:
            yield caught
        finally:
            qInstallMessageHandler(previous)


def _reader(content: bytes) -> tuple[Any, Any]:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageReader

    buffer = QBuffer()
    buffer.setData(QByteArray(content))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setDecideFormatFromContent(True)
    return reader, buffer


def _pixels_problem(width: int, height: int) -> str | None:
    if width <= 0 or height <= 0:
        return "l'image est endommagée ou tronquée (ses dimensions sont illisibles)"
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        return (
            f"elle mesure {width} × {height} pixels, {MAX_IMAGE_SIDE} pixels de côté au plus "
            f"({MAX_IMAGE_PIXELS // 1_000_000} millions de pixels en tout) ; réduisez-la"
        )
    return None


def _decode(content: bytes) -> tuple[QImage | None, str | None, tuple[int, int]]:
    """(image, French reason it cannot be drawn, size read from the header)."""
    if image_format(content) is None:
        return None, "ce n'est pas une image PNG, JPEG, GIF ou BMP", (0, 0)
    if content.startswith(_PNG_MAGIC):
        problem = _png_problem(content)
        if problem is not None:
            return None, problem, (0, 0)
    with _decoder_messages() as caught:
        reader, buffer = _reader(content)
        size = reader.size()
        dimensions = (size.width(), size.height())
        problem = _pixels_problem(*dimensions)
        if problem is not None:
            return None, problem, dimensions
        image = reader.read()
        buffer.close()
    if image.isNull() or caught:
        return (
            None,
            "l'image est endommagée ou tronquée (elle ne peut pas être décodée)",
            (dimensions),
        )
    return image, None, dimensions


def check_image_content(content: bytes, file_name: str, what: str) -> ImageInfo:
    """Refuse, in French, an image unfit for documents; ``what`` is « logo », « signature »…"""
    label = f"Le fichier de {what} « {file_name} »"
    if not content:
        raise ImageError(f"{label} est vide.")
    if len(content) > MAX_IMAGE_BYTES:
        size = f"{len(content) / MIB:.1f}".replace(".", ",")
        raise ImageError(
            f"{label} est trop lourd ({size} Mo) : {MAX_IMAGE_BYTES // MIB} Mo au plus."
        )
    if image_format(content) is None:
        raise ImageError(f"{label} n'est pas une image PNG, JPEG, GIF ou BMP.")
    image, problem, (width, height) = _decode(content)
    if image is None:
        raise ImageError(f"{label} est refusé : {problem}.")
    return ImageInfo(image_format(content) or "", width, height)


def drawing_problem(content: bytes) -> str | None:
    """Why a stored image cannot be drawn (French), or None when it can."""
    if len(content) > MAX_IMAGE_BYTES:
        return f"elle dépasse {MAX_IMAGE_BYTES // MIB} Mo"
    return _decode(content)[1]


def decode_image(content: bytes) -> QImage:
    """The image for painting; a null QImage (drawn as nothing) when it cannot be decoded,
    without a word on the console: ``drawing_problem`` says why, for the print report."""
    from PySide6.QtGui import QImage

    if len(content) > MAX_IMAGE_BYTES:
        return QImage()
    image = _decode(content)[0]
    return image if image is not None else QImage()
