"""The import's fast folding gives exactly the keys of ``allervers_desktop.text``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from allervers_desktop.excel.keys import fast_compact, fast_fold, fast_search_key
from allervers_desktop.text import compact_key, fold, search_key

FRENCH = "Hélène MÜLLER-Œuvre ß æ ﬁ İ ¨ ① Ǣ ᴬ \u00a0\u200b\t\n'’-."


@settings(max_examples=2000)
@given(st.text() | st.text(alphabet=FRENCH))
def test_same_as_the_reference(text: str) -> None:
    assert fast_fold(text) == fold(text)
    assert fast_compact(text) == compact_key(text)


@given(st.lists(st.none() | st.text(alphabet=FRENCH), max_size=4))
def test_search_key(parts: list[str | None]) -> None:
    assert fast_search_key(*parts) == search_key(*parts)


def test_examples() -> None:
    assert fast_fold(" Hélène  MÜLLER ") == "helene muller"
    assert fast_compact("E-mail") == "email"
    assert fast_fold("a¨b") == fold("a¨b") == "a b"
    assert fast_fold(None) == ""


@given(st.text(alphabet=FRENCH), st.text(alphabet=FRENCH))
def test_employer_key(name: str, city: str) -> None:
    from allervers_desktop.db.models import employer_match_key
    from allervers_desktop.excel.keys import fast_employer_key

    assert fast_employer_key(name, city) == employer_match_key(name, city)


@given(
    st.text(alphabet=FRENCH),
    st.text(alphabet=FRENCH),
    st.none() | st.text(alphabet=FRENCH),
    st.text(alphabet=FRENCH),
    st.text(alphabet=FRENCH),
)
def test_participant_keys(
    last: str, first: str, email: str | None, job: str, employer: str
) -> None:
    from allervers_desktop.excel.keys import participant_keys

    assert participant_keys(last, first, email, job, employer) == (
        search_key(last, first),
        search_key(last, first, email, job, employer),
    )
