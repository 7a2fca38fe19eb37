"""Errors of the Excel exchange, each with a French message for the user."""

from __future__ import annotations

from allervers_desktop.services.errors import ServiceError


class UnreadableFileError(ServiceError):
    """The file cannot be read as an attendee list; nothing was written."""


class OperationCancelled(ServiceError):
    """The user cancelled a long operation; nothing was written."""


class UndoBlockedError(ServiceError):
    """Later changes depend on an import: it cannot be undone."""


class ExportError(ServiceError):
    """The export file could not be written; an existing file was left as it was."""
