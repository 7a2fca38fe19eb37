"""Drafts: one ``.eml`` file per message with ``X-Unsent: 1``, which Outlook and Thunderbird
open as a ready-to-send message; each written atomically into the chosen folder."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path

from allervers_desktop.files.atomic import write_bytes
from allervers_desktop.files.errors import FileWriteError
from allervers_desktop.files.names import safe_file_name, unique_names
from allervers_desktop.mail.compose import ComposedMessage, MailKind
from allervers_desktop.mail.outbox import message_bytes

KIND_WORDS = {
    MailKind.CONVOCATION: "Convocation",
    MailKind.EMPLOYER_LIST: "Inscrits",
    MailKind.REMINDER: "Rappel",
    MailKind.CERTIFICATES: "Attestations",
    MailKind.FREE: "Message",
}


def draft_name(composed: ComposedMessage) -> str:
    """« Convocation - helene.muller@exemple.fr.eml »."""
    recipient = str(composed.message["To"]).split(",")[0].strip()
    return safe_file_name(f"{KIND_WORDS[composed.kind]} - {recipient}", ".eml")


def write_drafts(messages: Iterable[ComposedMessage], folder: Path) -> list[Path]:
    """Write the drafts into ``folder`` (an existing folder); return the files written."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileWriteError(f"Le dossier « {folder} » n'existe pas.")
    chosen = list(messages)
    names = unique_names(draft_name(composed) for composed in chosen)
    written = []
    for composed, name in zip(chosen, names, strict=True):
        draft = copy.deepcopy(composed.message)
        draft["X-Unsent"] = "1"
        written.append(write_bytes(folder / name, message_bytes(draft)))
    return written
