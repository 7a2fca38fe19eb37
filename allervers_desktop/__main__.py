"""Entry point for ``python -m allervers_desktop``."""

from allervers_desktop.cli import main

raise SystemExit(main())
