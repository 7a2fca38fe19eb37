"""allervers_desktop: run an Opco's regional training programmes offline."""

__version__ = "0.1.0"
APP_NAME = "allervers"
APP_DISPLAY_NAME = "Aller vers — gestion des formations"
ORGANIZATION_NAME = "allervers"
