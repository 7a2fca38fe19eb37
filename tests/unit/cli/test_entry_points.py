"""The command line as users start it: ``python -m allervers_desktop`` and ``python main.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
HEAVY_MODULES = ("openpyxl", "python_calamine", "PySide6.QtGui", "PySide6.QtWidgets", "alembic")


def python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ)
    environment.pop("ALLERVERS_DB", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    result = python("-m", "allervers_desktop", "--db", str(db_path), "demo")
    assert result.returncode == 0, result.stderr
    assert "Données d'exemple chargées" in result.stdout
    return db_path


def test_module_entry_point_lists_courses(demo_db: Path) -> None:
    result = python("-m", "allervers_desktop", "--db", str(demo_db), "list", "courses")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "La pratique de l'Aller Vers les publics" in result.stdout


def test_main_script_lists_groups_as_json(demo_db: Path) -> None:
    result = python("main.py", "--db", str(demo_db), "list", "groups", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["city"] for row in rows] == ["Strasbourg", "Metz"]


def test_environment_variable_in_a_real_process(demo_db: Path) -> None:
    result = python("main.py", "list", "participants", "--json", env={"ALLERVERS_DB": str(demo_db)})
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 21


def test_errors_are_one_line_and_a_non_zero_exit(tmp_path: Path, demo_db: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("pas une base\n", encoding="utf-8")
    for args in (
        ("-m", "allervers_desktop", "--db", str(text_file), "list", "courses"),
        ("main.py", "--db", str(demo_db), "list", "participants", "--group", "999"),
    ):
        result = python(*args)
        assert result.returncode != 0
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert text_file.read_text(encoding="utf-8") == "pas une base\n"


def test_version_comes_from_the_package_metadata() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    result = python("main.py", "--version")
    assert result.returncode == 0
    assert result.stdout == f"allervers {pyproject['project']['version']}\n"
    assert result.stderr == ""


def test_closed_pipe_ends_quietly(demo_db: Path) -> None:
    """« allervers list participants | head -1 »: the reader is gone, no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # like head having exited: every write gets EPIPE
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "allervers_desktop",
                "--db",
                str(demo_db),
                "list",
                "participants",
            ],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (1, "")


def test_closed_pipe_with_a_real_head(demo_db: Path) -> None:
    command = f"{sys.executable} -m allervers_desktop --db {demo_db} list participants --json"
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -c 10 >/dev/null"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
    assert result.stderr == ""


def test_command_line_start_stays_light(demo_db: Path) -> None:
    """Parsing the command line and listing an up-to-date file import no heavy module."""
    script = textwrap.dedent(
        f"""
        import sys
        from allervers_desktop.cli import main
        code = main(["--db", {str(demo_db)!r}, "list", "groups", "--json"])
        heavy = [name for name in {HEAVY_MODULES!r} if name in sys.modules]
        print("HEAVY=" + ",".join(heavy), file=sys.stderr)
        raise SystemExit(code)
        """
    )
    result = python("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "HEAVY="


def test_usage_errors_are_in_french(capsys) -> None:
    import pytest

    from allervers_desktop.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["list"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "utilisation : allervers list" in err
    assert "erreur : arguments obligatoires manquants : QUOI" in err


def test_smoke_test_goes_without_a_command(capsys) -> None:
    import pytest

    from allervers_desktop.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--smoke-test", "list", "courses"])
    assert exit_info.value.code == 2
    assert "erreur : --smoke-test s'emploie sans commande" in capsys.readouterr().err
