"""Split a single « Nom Prénom » cell: the last name is the part written in capitals."""

from __future__ import annotations

from dataclasses import dataclass

from allervers_desktop.text import fold

PARTICLES = frozenset({"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "di", "da"})


@dataclass(frozen=True)
class NameSplit:
    last_name: str
    first_name: str
    ambiguous: bool = False


def _is_upper(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _is_particle(token: str) -> bool:
    return fold(token) in PARTICLES


def nice_first_name(text: str) -> str:
    """« MARIE-CLAIRE » or « marie-claire » -> « Marie-Claire »; mixed case is kept."""
    return text.title() if text.isupper() or text.islower() else text


def split_full_name(text: str, *, first_name_first: bool = False) -> NameSplit:
    """« DUPONT Marie-Claire » -> (DUPONT, Marie-Claire); without capitals, the order is guessed."""
    tokens = text.split()
    if not tokens:
        return NameSplit("", "")
    if len(tokens) == 1:
        return NameSplit(tokens[0], "")
    upper = [_is_upper(token) for token in tokens]
    # A particle right before a capitalised block belongs to the last name (« de LA TOUR »).
    for index in range(len(tokens) - 2, -1, -1):
        if _is_particle(tokens[index]) and upper[index + 1]:
            upper[index] = True
    if all(upper) or not any(upper):
        return _guess(tokens, first_name_first, all(upper))
    first_upper = upper.index(True)
    last_upper = len(upper) - 1 - upper[::-1].index(True)
    contiguous = all(upper[first_upper : last_upper + 1])
    at_an_end = first_upper == 0 or last_upper == len(tokens) - 1
    last = " ".join(tokens[first_upper : last_upper + 1])
    first = " ".join(tokens[:first_upper] + tokens[last_upper + 1 :])
    return NameSplit(last, first, ambiguous=not (contiguous and at_an_end))


def _guess(tokens: list[str], first_name_first: bool, all_upper: bool) -> NameSplit:
    if first_name_first:
        first, last = " ".join(tokens[:-1]), tokens[-1]
    else:
        last, first = tokens[0], " ".join(tokens[1:])
    if all_upper:
        first = nice_first_name(first)
    return NameSplit(last, first, ambiguous=True)
