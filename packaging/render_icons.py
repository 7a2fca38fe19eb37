"""Render the application icon (resources/icons/allervers.svg) to PNG sizes, .ico and .icns.

Run ``python packaging/render_icons.py`` after changing the SVG; the outputs are committed
(the PNGs are package data, the .ico and .icns are read by PyInstaller on Windows and macOS).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

from allervers_desktop.resources import ICON_SIZES, icon_svg

ROOT = Path(__file__).resolve().parents[1]
ICON_DIR = ROOT / "allervers_desktop" / "resources" / "icons"
PACKAGING = ROOT / "packaging"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())


def write_with_qt(image: QImage, path: Path, fmt: bytes) -> None:
    writer = QImageWriter(str(path), QByteArray(fmt))
    if not writer.write(image):
        raise RuntimeError(f"{path}: {writer.errorString()}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    application = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(QByteArray(icon_svg().read_bytes()))
    if not renderer.isValid():
        raise SystemExit("allervers.svg is not a valid SVG")
    for size in ICON_SIZES:
        (ICON_DIR / f"allervers-{size}.png").write_bytes(png_bytes(render(renderer, size)))
    # Windows takes the largest image of an .ico (PNG inside, Vista and later); macOS an .icns.
    write_with_qt(render(renderer, 256), PACKAGING / "allervers.ico", b"ico")
    write_with_qt(render(renderer, 512), PACKAGING / "allervers.icns", b"icns")
    del application
    print(f"Icons written to {ICON_DIR} and {PACKAGING}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
