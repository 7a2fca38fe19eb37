"""File names: cut by bytes without splitting a character, cleaned, unique."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from allervers_desktop.files.names import (
    MAX_NAME_BYTES,
    cut_to_bytes,
    safe_file_name,
    unique_names,
)

LONG = "Attestation - " + "Éléonore-Maëlys 👩‍👩‍👧 Ñúñez " * 12  # 300+ characters, many bytes


def test_a_300_character_accented_emoji_name_fits_in_255_bytes() -> None:
    assert len(LONG) > 300
    name = safe_file_name(LONG, ".pdf")
    encoded = name.encode("utf-8")
    assert len(encoded) <= MAX_NAME_BYTES - 8  # room left for « (99) »
    assert name.endswith(".pdf")
    assert encoded.decode("utf-8") == name
    assert name.startswith("Attestation - Éléonore-Maëlys")
    assert not unicodedata.combining(name.removesuffix(".pdf")[-1])
    assert not name.removesuffix(".pdf").endswith("\u200d")


@given(st.text(min_size=0, max_size=400), st.integers(min_value=0, max_value=300))
def test_cut_to_bytes_never_splits_a_character(text: str, limit: int) -> None:
    cut = cut_to_bytes(text, limit)
    assert len(cut.encode("utf-8")) <= limit
    assert text.startswith(cut)


def test_control_bidirectional_and_windows_characters_are_removed() -> None:
    name = safe_file_name("Facture\u202eFDP.exe <a>:b|c?*\x07\u2066d\u2069\n", ".pdf")
    assert name == "Facture-FDP.exe -a-b-c-d-.pdf"
    assert safe_file_name("CON", ".pdf") == "_CON.pdf"
    assert safe_file_name("   ..  ", ".pdf") == "document.pdf"


def test_same_names_become_distinct_whatever_the_case() -> None:
    long_pdf = safe_file_name(LONG, ".pdf")
    names = unique_names(["Dupont.pdf", "DUPONT.pdf", "Dupont.pdf", long_pdf, long_pdf])
    assert names[:3] == ["Dupont.pdf", "DUPONT (2).pdf", "Dupont (3).pdf"]
    assert names[4].endswith(" (2).pdf")
    assert len(names[4].encode("utf-8")) <= MAX_NAME_BYTES
    assert len({name.casefold() for name in names}) == 5
