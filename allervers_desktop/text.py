"""Text normalisation shared by search, deduplication and import column matching."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o"})


def fold(text: str | None) -> str:
    """Lower-case ``text`` and strip accents: « Hélène MÜLLER » -> « helene muller »."""
    if not text:
        return ""
    # Twice: a first pass can uncover letters that fold further (« Ǣ » -> « æ » -> « ae »,
    # « ᴬ » -> « A » -> « a »).
    folded = _strip_accents(_strip_accents(text))
    return _SPACES.sub(" ", folded).strip()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(*parts: str | None) -> str:
    """The stored normalised search column built from several fields."""
    return " ".join(filter(None, (fold(part) for part in parts)))


def compact_key(text: str | None) -> str:
    """Fold and drop punctuation and spaces, for matching names: « E-mail » -> « email »."""
    return _NON_ALNUM.sub("", fold(text))


def search_terms(query: str) -> list[str]:
    """Split a user's query into folded terms, each of which must match."""
    return [term for term in fold(query).split(" ") if term]


def collapse_spaces(text: str | None) -> str:
    """Trim and collapse inner white space."""
    if not text:
        return ""
    return _SPACES.sub(" ", text).strip()
