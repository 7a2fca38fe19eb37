"""Statistics tests: a QApplication (pytest-qt's) before a report's PDF is painted, so that the
window tests run after them in the same process find the application they need."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def gui(qapp: Any) -> Iterator[None]:
    from allervers_desktop.documents.fonts import prepare_fonts

    prepare_fonts()
    yield
