# Quick start: `make run` opens the application, `make test` runs every check.
# Both create the virtual environment and install what they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit unit-sqlite unit-postgresql pg-server install-check dist \
	install-desktop screenshots bench clean qt-libs

DIST ?= dist
PREFIX ?= $(HOME)/.local
EXEC ?= allervers
ICON_SIZES := 16 24 32 48 64 128 256

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

qt-libs: $(STAMP)
	$(BIN)/python -m allervers_desktop.qt_libs --platform xcb

run: $(STAMP) qt-libs
	$(BIN)/python main.py $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# The whole suite on SQLite, then again on a throwaway PostgreSQL server the tests start
# themselves (tests/pg_server.py; the SQLite-file tests, marked « sqlite_only », are skipped
# there, and the server's own tests run only there).
unit: unit-sqlite unit-postgresql

unit-sqlite: $(STAMP)
	$(BIN)/python -m allervers_desktop.qt_libs --platform offscreen
	$(BIN)/python -m pytest -q

unit-postgresql: $(STAMP) pg-server
	$(BIN)/python -m allervers_desktop.qt_libs --platform offscreen
	ALLERVERS_TEST_DB=postgresql $(BIN)/python -m pytest -q

# PostgreSQL's server binaries (initdb, pg_ctl, postgres) from Debian's « postgresql »
# package: installed when run as root, otherwise the command to run is printed.
pg-server:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; \
	then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get install -y postgresql || { apt-get update && apt-get install -y postgresql; }; \
	else \
		echo "Les binaires du serveur PostgreSQL manquent : sudo apt-get install -y postgresql"; \
		exit 1; \
	fi

# Builds the wheel and the bundle (make dist) in a temporary folder, installs the wheel in a
# fresh venv and runs both as a user would (tests/install/, marked « install »).
install-check: $(STAMP)
	$(BIN)/python -m allervers_desktop.qt_libs --platform offscreen
	$(BIN)/python -m pytest -q -m install tests/install

test: lint unit install-check

# The wheel and the one-folder application $(DIST)/allervers/ (PyInstaller, for this system).
# Nothing is reused from an earlier build (setuptools' build/ would keep deleted modules), and
# nothing is left in the source tree but $(DIST).
dist: $(STAMP)
	rm -rf build $(DIST)/allervers $(DIST)/allervers_desktop-*.whl $(DIST)/.pyinstaller
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(DIST) .
	rm -rf build
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath $(DIST) \
		--workpath $(DIST)/.pyinstaller packaging/allervers.spec

# The freedesktop entry and its icons (per user by default; PREFIX=/usr DESTDIR=… to package).
# EXEC is the command the entry starts: `allervers` on the PATH, or the bundle's path.
install-desktop:
	install -d $(DESTDIR)$(PREFIX)/share/applications
	sed 's|^Exec=.*|Exec=$(EXEC)|' packaging/allervers.desktop \
		> $(DESTDIR)$(PREFIX)/share/applications/allervers.desktop
	for size in $(ICON_SIZES); do \
		install -D -m 644 allervers_desktop/resources/icons/allervers-$$size.png \
			$(DESTDIR)$(PREFIX)/share/icons/hicolor/$${size}x$${size}/apps/allervers.png; \
	done
	install -D -m 644 allervers_desktop/resources/icons/allervers.svg \
		$(DESTDIR)$(PREFIX)/share/icons/hicolor/scalable/apps/allervers.svg

screenshots: $(STAMP)
	$(BIN)/python -m allervers_desktop.qt_libs --platform offscreen
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.screenshots docs

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
