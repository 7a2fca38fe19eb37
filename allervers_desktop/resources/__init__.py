"""Run-time data shipped inside the package (fonts, icons), read with importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

FONT_FILES = ("Roboto-Regular.ttf", "Roboto-Bold.ttf", "Roboto-Italic.ttf")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def resource(*parts: str) -> Traversable:
    """A file of this package's data, e.g. ``resource("fonts", "Roboto-Bold.ttf")``.

    A Traversable, not a path: read it with ``read_bytes()``, which works wherever the package
    is installed (a folder, a wheel unpacked by pip, a PyInstaller bundle)."""
    return files(__name__).joinpath(*parts)


def font(name: str) -> Traversable:
    return resource("fonts", name)


def icon_png(size: int) -> Traversable:
    return resource("icons", f"allervers-{size}.png")


def icon_svg() -> Traversable:
    return resource("icons", "allervers.svg")
