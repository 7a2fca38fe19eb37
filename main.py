"""Start allervers_desktop: the window, or a command given on the command line."""

from allervers_desktop.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
