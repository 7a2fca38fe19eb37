"""Text folding for search and matching: case, accents, ligatures, spaces, punctuation."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allervers_desktop.text import collapse_spaces, compact_key, fold, search_key, search_terms


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Hélène MÜLLER", "helene muller"),
        ("MULLER", "muller"),
        ("Maëlle", "maelle"),
        ("François", "francois"),
        ("Œuvre cœur", "oeuvre coeur"),
        ("Lætitia", "laetitia"),
        ("Straße", "strasse"),
        ("Søren", "soren"),
        ("SØREN", "soren"),
        ("ǢSTHÉTIQUE", "aesthetique"),
        ("  Jean-\tXavier \n COUROT ", "jean- xavier courot"),
        ("l’« ALLER VERS »", "l’« aller vers »"),
        ("Ｍｕｌｌｅｒ", "muller"),  # full-width letters (NFKD)
        ("", ""),
        (None, ""),
    ],
)
def test_fold(raw: str | None, folded: str) -> None:
    assert fold(raw) == folded


def test_folded_names_match_across_spellings() -> None:
    assert fold("Hélène") == fold("HELENE") == fold("helene")
    assert fold("müller") == fold("MULLER") == fold("Muller")
    # Composed and decomposed accents are the same letter.
    assert fold(unicodedata.normalize("NFD", "Éloi")) == fold("Éloi") == "eloi"


def test_search_key_joins_non_empty_parts() -> None:
    assert search_key("MULLER", None, "", "Hélène", "  ") == "muller helene"
    assert search_key() == ""


def test_compact_key_drops_punctuation_and_spaces() -> None:
    assert compact_key("E-mail") == "email"
    assert compact_key("  Nom de famille ") == "nomdefamille"
    assert compact_key("Prénom(s)") == "prenoms"
    assert compact_key("Jean-Xavier") == compact_key("jean xavier") == "jeanxavier"
    assert compact_key(None) == ""


def test_search_terms() -> None:
    assert search_terms("  Hélène   MÜLLER ") == ["helene", "muller"]
    assert search_terms("") == []
    assert search_terms("   ") == []


def test_collapse_spaces() -> None:
    assert collapse_spaces("  Groupe \t 1\n") == "Groupe 1"
    assert collapse_spaces(None) == ""
    assert collapse_spaces("Hélène") == "Hélène"  # no folding here


def test_fold_is_idempotent_on_every_character_of_european_scripts() -> None:
    """Folding a folded text changes nothing, so stored keys and typed queries agree."""
    for code in range(0x3000):
        folded = fold(chr(code))
        assert fold(folded) == folded, (hex(code), folded)


@given(st.text())
def test_fold_is_idempotent_lower_case_and_without_accents(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert folded == folded.strip()
    assert "  " not in folded


@given(st.text())
def test_every_search_term_is_in_the_key_of_the_same_text(text: str) -> None:
    key = search_key(text)
    for term in search_terms(text):
        assert term in key


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"])))
def test_compact_key_is_plain_ascii_letters_and_digits(text: str) -> None:
    key = compact_key(text)
    assert key == "".join(ch for ch in key if ch.isascii() and ch.isalnum())
    assert key == key.lower()
