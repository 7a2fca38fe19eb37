"""File names valid everywhere: cleaned, cut to 255 bytes without splitting a character, unique."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_NAME_BYTES = 255  # per path component on Linux, macOS and Windows (UTF-8 on Linux)
COUNTER_ROOM = 8  # bytes kept free for « (999) » so that a unique name stays within the limit
# Forbidden on Windows (and « / » everywhere), controls (C0, DEL, C1), and the invisible
# bidirectional marks that can make « fdp.exe » look like « exe.pdf ».
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+')
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{digit}" for digit in range(1, 10)}
    | {f"lpt{digit}" for digit in range(1, 10)}
)


def cut_to_bytes(text: str, limit: int) -> str:
    """The longest start of ``text`` whose UTF-8 form fits in ``limit`` bytes, never ending
    inside a character nor on a lone combining mark or emoji joiner."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    cut = encoded[: max(limit, 0)].decode("utf-8", errors="ignore")
    # Do not leave « e » without its accent or half an emoji sequence.
    while cut and (unicodedata.combining(cut[-1]) or cut[-1] in "\u200d\ufe0f"):
        cut = cut[:-1]
    if len(cut) < len(text) and cut and unicodedata.combining(text[len(cut)]):
        cut = cut[:-1]
    return cut


def clean_stem(stem: str) -> str:
    """The name without unsafe characters (replaced by « - »), spaces folded."""
    cleaned = UNSAFE.sub("-", unicodedata.normalize("NFC", stem))
    return " ".join(cleaned.split()).strip(" .")


def safe_file_name(stem: str, suffix: str = "", *, limit: int = MAX_NAME_BYTES) -> str:
    """« stem + suffix » valid on Windows, macOS and Linux and at most ``limit`` bytes in
    UTF-8, with room left for « (2) »; accents are kept."""
    cleaned = clean_stem(stem) or "document"
    if cleaned.split(".")[0].lower() in WINDOWS_RESERVED:
        cleaned = f"_{cleaned}"
    room = limit - len(suffix.encode("utf-8")) - COUNTER_ROOM
    cleaned = cut_to_bytes(cleaned, room).rstrip(" .") or "document"
    return f"{cleaned}{suffix}"


def numbered(name: str, counter: int, *, limit: int = MAX_NAME_BYTES) -> str:
    """« Attestation - Dupont.pdf » → « Attestation - Dupont (2).pdf », within ``limit`` bytes."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    suffix = f" ({counter})" + (f".{extension}" if extension else "")
    return cut_to_bytes(stem, limit - len(suffix.encode("utf-8"))).rstrip(" .") + suffix


def unique_names(names: Iterable[str]) -> list[str]:
    """The names, with « (2) », « (3) »… added where two are the same (case and accents
    composed alike, as a case-insensitive file system would see them)."""
    taken: set[str] = set()
    result: list[str] = []
    for name in names:
        candidate, counter = name, 1
        while candidate.casefold() in taken:
            counter += 1
            candidate = numbered(name, counter)
        taken.add(candidate.casefold())
        result.append(candidate)
    return result
