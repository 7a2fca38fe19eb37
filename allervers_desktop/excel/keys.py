"""Fast equivalents of ``allervers_desktop.text`` folding, for the tens of thousands of cells
of an import: characters are folded once each and then by ``str.translate``.

Folding is done character by character in ``text.fold`` too (case folding and compatibility
decomposition have no context; the combining marks it drops are the only characters canonical
ordering moves), so these give exactly the same keys; a property test checks it.
"""

from __future__ import annotations

import re

from allervers_desktop.text import fold

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


class _FoldTable(dict[int, str]):
    """Code point -> folded text, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        # Between two letters, so that what ``fold`` trims at the ends (a space) is kept.
        folded = fold(f"a{chr(code)}a")[1:-1]
        self[code] = folded
        return folded


_TABLE = _FoldTable()
_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 50_000  # employers, cities and job titles repeat from row to row


def fast_fold(text: str | None) -> str:
    """Same as ``text.fold``."""
    if not text:
        return ""
    cached = _CACHE.get(text)
    if cached is not None:
        return cached
    folded = text.lower() if text.isascii() else text.translate(_TABLE)
    if folded.isprintable() and "  " not in folded:
        folded = folded.strip()  # no white space but single spaces: nothing to collapse
    else:
        folded = _SPACES.sub(" ", folded).strip()
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[text] = folded
    return folded


def fast_compact(text: str | None) -> str:
    """Same as ``text.compact_key``."""
    return _NON_ALNUM.sub("", fast_fold(text))


def fast_employer_key(name: str, city: str) -> str:
    """Same as ``db.models.employer_match_key``."""
    return f"{fast_fold(name)}|{fast_fold(city)}"


def participant_keys(
    last_name: str, first_name: str, email: str | None, job_title: str, employer: str
) -> tuple[str, str]:
    """(sort_name, search_text) as ``Participant.refresh_search_text`` computes them."""
    last, first = fast_fold(last_name), fast_fold(first_name)
    sort_name = f"{last} {first}" if last and first else last or first
    others = [fast_fold(email), fast_fold(job_title), fast_fold(employer)]
    return sort_name, " ".join([part for part in (sort_name, *others) if part])


def fast_search_key(*parts: str | None) -> str:
    """Same as ``text.search_key``."""
    return " ".join(filter(None, (fast_fold(part) for part in parts)))
