"""What the tabs, forms and actions need of the application — never the main window itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from allervers_desktop.db.database import Database
from allervers_desktop.ui.operations import Operations
from allervers_desktop.ui.prompts import Prompts


@dataclass(frozen=True)
class AppContext:
    """Built once by the main window and handed to each part of ``ui/`` that needs it."""

    window: QWidget  # the parent of the dialogs the actions open
    database: Database
    prompts: Prompts
    settings: QSettings
    operations: Operations
    status: Callable[[str, int], None]  # a message in the status bar for so many ms
    refresh_all: Callable[[], None]  # every list read again (after an import, a restore…)
    switch_to: Callable[[Database], None]  # close this window and open one on that database
    show_group: Callable[[int], None] | None = None  # the group, in the Groupes tab
