"""The wheel installed in a fresh venv, run from elsewhere: demo, documents, an Excel import."""

from __future__ import annotations

import json
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from tests.install.conftest import ROOT, TIMINGS, Built, clean_environment, pdf_text, run

pytestmark = pytest.mark.install


@dataclass(frozen=True)
class Installed:
    venv: Path
    work: Path  # the current folder of every command: the source tree is not importable there
    env: dict[str, str]

    def allervers(self, *args: str | Path, expect: int = 0) -> str:
        command = [self.venv / "bin" / "allervers", "--db", self.work / "base.sqlite3", *args]
        return run(command, cwd=self.work, env=self.env, expect=expect).stdout


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel-install")
    venv = root / "venv"
    work = root / "work"
    work.mkdir()
    started = time.perf_counter()
    run([sys.executable, "-m", "venv", venv], cwd=work)
    pip: list[str | Path] = [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "install", "--quiet", built.wheel], cwd=work)
    TIMINGS["fresh venv + pip install of the wheel"] = time.perf_counter() - started
    env = clean_environment(root / "home", [venv / "bin"])
    return Installed(venv, work, env)


def test_runs_from_the_installed_package_not_the_source(installed: Installed) -> None:
    script = (
        "import allervers_desktop, allervers_desktop.resources as r;"
        "print(allervers_desktop.__file__); print(r.font('Roboto-Regular.ttf'))"
    )
    out = run(
        [installed.venv / "bin" / "python", "-c", script], cwd=installed.work, env=installed.env
    ).stdout
    for line in out.splitlines():
        assert Path(line).is_relative_to(installed.venv), line
        assert not Path(line).is_relative_to(ROOT), line
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert installed.allervers("--version") == f"allervers {pyproject['project']['version']}\n"


def test_demo_then_documents_read_back(installed: Installed) -> None:
    assert "21 participants" in installed.allervers("demo")  # a new file: every migration runs
    installed.allervers("attendance", "1", "--all", "present")
    signin = installed.work / "émargement.pdf"
    assert "Écrit" in installed.allervers("print", "signin", "--group", "1", "--out", signin)
    pages, text, fonts = pdf_text(signin)
    assert pages == 2  # one page per day of the Strasbourg group
    assert "FEUILLE D'ÉMARGEMENT" in text and "BAUER Zoé" in text
    assert {"/Roboto-Regular", "/Roboto-Bold"} <= fonts  # the fonts shipped in the wheel
    folder = installed.work / "attestations"
    installed.allervers("print", "attestation", "--group", "1", "--out-dir", folder)
    attestations = sorted(folder.glob("*.pdf"))
    assert len(attestations) == 10  # the ten participants of group 1, all present
    pages, text, _fonts = pdf_text(attestations[0])
    assert pages == 1 and "BAUER" in text


def test_excel_import_then_listed(installed: Installed) -> None:
    installed.allervers("demo")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "Établissement", "E-mail"])
    sheet.append(["LEFÈVRE", "Anaïs", "Foyer du Rhin", "anais.lefevre@foyer-rhin.fr"])
    sheet.append(["ÖZTÜRK", "Çağla", "Maison de Noël", "cagla.ozturk@maison-noel.fr"])
    source = installed.work / "liste à importer.xlsx"
    workbook.save(source)
    result = json.loads(installed.allervers("import", source, "--group", "2", "--json"))
    assert (result["created"], result["enrolled"], result["skipped"]) == (2, 2, [])
    rows = json.loads(installed.allervers("list", "participants", "--group", "2", "--json"))
    names = {(row["last_name"], row["first_name"]) for row in rows}
    assert {("LEFÈVRE", "Anaïs"), ("ÖZTÜRK", "Çağla")} <= names
