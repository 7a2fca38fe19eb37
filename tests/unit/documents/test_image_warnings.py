"""A stored logo or signature that cannot be drawn is reported when printing, in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from allervers_desktop.cli import main
from allervers_desktop.db.database import Database
from allervers_desktop.db.models import StoredFile
from allervers_desktop.services.settings import LOGO_KEY, SIGNATURE_KEY
from tests.unit.documents.conftest import pdf_pages, png

GOOD = png()


def test_a_stored_image_that_cannot_be_drawn_is_reported_when_printing(
    demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Stored by an earlier version, which only looked at the first bytes.
    with demo_database.transaction() as session:
        session.add(StoredFile(key=LOGO_KEY, file_name="logo.png", content=GOOD[:200]))
        session.add(StoredFile(key=SIGNATURE_KEY, file_name="sig.png", content=GOOD))
    out = tmp_path / "emargement.pdf"
    args = ["--db", demo_database.target, "print", "signin", "--group", "1", "--out", str(out)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert (
        "allervers : avertissement : Le logo enregistré dans les paramètres (« logo.png ») ne "
        "peut pas être dessiné : l'image est tronquée (fichier incomplet). Les documents sont "
        "imprimés sans"
    ) in captured.err
    assert "signature" not in captured.err.lower()
    assert "libpng" not in captured.err and "QImage" not in captured.err
    assert len(pdf_pages(out)) >= 1
