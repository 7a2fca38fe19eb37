"""allervers_desktop: run an Opco's regional training programmes offline."""

from __future__ import annotations

import functools

DISTRIBUTION_NAME = "allervers-desktop"
APP_NAME = "allervers"
APP_DISPLAY_NAME = "Aller vers — gestion des formations"
ORGANIZATION_NAME = "allervers"
DESKTOP_FILE_NAME = "allervers"  # packaging/allervers.desktop, the icon's name in the theme


@functools.cache
def version() -> str:
    """The installed version, from the package metadata (its one source is pyproject.toml).

    Read on demand: importlib.metadata costs some 20 ms of imports, which start-up does not pay.
    """
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as distribution_version

    try:
        return distribution_version(DISTRIBUTION_NAME)
    except PackageNotFoundError:  # a source tree run without being installed
        return "inconnue (application non installée)"
