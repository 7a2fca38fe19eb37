"""Images chosen for documents: bytes, pixels and a full decode, refused in French otherwise;
a stored image that cannot be drawn is reported when printing."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import func, select

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import StoredFile
from allervers_desktop.images import (
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    ImageError,
    check_image_content,
    decode_image,
    drawing_problem,
)
from tests.unit.documents.conftest import png


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A small PNG that declares ``width`` x ``height`` pixels (a decompression bomb shape)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 4096, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(120, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#884422"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert cast(Any, image.save)(buffer, "JPEG")  # the stubs want bytes, Qt a str
    return bytes(buffer.data().data())


@pytest.fixture(autouse=True)
def _application(qapp: object) -> None:
    """pytest-qt's QApplication, as in the window (decoding itself needs none)."""


GOOD = png()
BAD_IMAGES = [
    ("tronque.png", GOOD[: len(GOOD) // 2], "l'image est tronquée"),
    ("suivi.png", GOOD + b"<?php system($_GET['c']); ?>", "des données étrangères suivent"),
    ("abime.png", GOOD[:40] + bytes([GOOD[40] ^ 0xFF]) + GOOD[41:], "endommagée"),
    ("geant.png", png_header_only(20_000, 20_000), "20000 × 20000 pixels"),
    ("haut.png", png_header_only(1, MAX_IMAGE_SIDE + 1), f"{MAX_IMAGE_SIDE} pixels de côté"),
    ("tronque.jpg", jpeg()[:400], "endommagée ou tronquée"),
    ("texte.png", b"GIF89a pas vraiment", "endommagée ou tronquée"),
    ("notes.png", b"bonjour", "n'est pas une image PNG, JPEG, GIF ou BMP"),
]


def test_a_real_png_and_jpeg_pass() -> None:
    assert check_image_content(GOOD, "logo.png", "logo").format == "PNG"
    info = check_image_content(jpeg(), "signature.jpg", "signature")
    assert (info.format, info.width, info.height) == ("JPEG", 120, 60)
    assert drawing_problem(GOOD) is None
    assert not decode_image(GOOD).isNull()


def test_the_pixel_limit_is_below_qt_allocation_limit() -> None:
    # 4 bytes a pixel: the check refuses before Qt's own 256 MB allocation limit would.
    assert MAX_IMAGE_PIXELS * 4 < 256 * 1024 * 1024


@pytest.mark.parametrize(("name", "content", "expected"), BAD_IMAGES)
def test_a_bad_image_is_refused_in_french(name: str, content: bytes, expected: str) -> None:
    with pytest.raises(ImageError) as caught:
        check_image_content(content, name, "logo")
    assert caught.value.message.startswith(f"Le fichier de logo « {name} » ")
    assert expected in caught.value.message
    assert decode_image(content).isNull()
    assert drawing_problem(content) is not None


@pytest.mark.parametrize(("name", "content", "expected"), BAD_IMAGES[:4])
def test_command_line_refuses_a_bad_logo_and_stores_nothing(
    demo_database: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    expected: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    args = ["--db", demo_database.target, "settings", "--city", "Metz", "--logo", str(path)]
    assert main(args) == 1
    captured = capsys.readouterr()
    assert expected in captured.err
    assert captured.err.startswith("allervers : erreur : Le fichier de logo « ")
    assert "libpng" not in captured.err and "Paramètres enregistrés" not in captured.out
    with demo_database.session() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_logo_is_refused_before_reading(
    demo_database: Database, capsys: pytest.CaptureFixture[str], device: str
) -> None:
    assert main(["--db", demo_database.target, "settings", "--logo", device]) == 1
    err = capsys.readouterr().err
    assert "est un périphérique, pas un fichier : choisissez une image." in err
