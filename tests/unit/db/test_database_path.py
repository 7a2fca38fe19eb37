"""Where the database file is: --db first, then $ALLERVERS_DB, then Qt's AppDataLocation."""

from __future__ import annotations

from pathlib import Path

import pytest

from allervers_desktop.paths import DB_ENV_VAR, DB_FILENAME, database_path, default_data_dir


def test_explicit_path_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert database_path(str(tmp_path / "cli.sqlite3")) == tmp_path / "cli.sqlite3"


def test_environment_variable_is_used_without_explicit_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert database_path(None) == tmp_path / "env.sqlite3"


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert database_path("~/formations.sqlite3") == tmp_path / "formations.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, "~/env.sqlite3")
    assert database_path() == tmp_path / "env.sqlite3"


def test_default_is_under_the_application_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    path = database_path()
    assert path.name == DB_FILENAME
    assert path.parent == default_data_dir()
    # tests/conftest.py points XDG_DATA_HOME at this test's folder.
    assert path.is_relative_to(tmp_path / "data")
    assert "allervers" in path.parent.parts


def test_empty_environment_variable_falls_back_to_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, "")
    assert database_path() == default_data_dir() / DB_FILENAME
