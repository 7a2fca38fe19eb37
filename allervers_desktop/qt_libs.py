"""Check that the system libraries Qt's platform plugins need are present, and install them."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

# Shared object reported missing by ldd -> Debian package providing it.
DEBIAN_PACKAGE_OF = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libcups.so.2": "libcups2",
}


def _pyside_dir() -> Path:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        raise SystemExit("PySide6 is not installed in this environment.")
    return Path(spec.origin).parent


def libraries_to_check(platform: str) -> list[Path]:
    """Return the Qt shared objects whose dependencies must resolve for ``platform``."""
    qt = _pyside_dir() / "Qt"
    names = [
        qt / "plugins" / "platforms" / f"libq{platform}.so",
        qt / "lib" / "libQt6Widgets.so.6",
        qt / "lib" / "libQt6PrintSupport.so.6",
    ]
    return [path for path in names if path.exists()]


def missing_libraries(paths: list[Path]) -> set[str]:
    """Names of shared objects that ``ldd`` cannot resolve for any of ``paths``."""
    missing: set[str] = set()
    for path in paths:
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
        for line in result.stdout.splitlines():
            if "not found" in line:
                missing.add(line.split("=>")[0].strip())
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--platform", default="xcb", help="Qt platform plugin (xcb, offscreen)")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return 0
    missing = missing_libraries(libraries_to_check(args.platform))
    if not missing:
        return 0
    packages = sorted({DEBIAN_PACKAGE_OF.get(name, "") for name in missing} - {""})
    unknown = sorted(name for name in missing if name not in DEBIAN_PACKAGE_OF)
    command = "apt-get install -y " + " ".join(packages)
    if packages and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing the system libraries Qt needs: {' '.join(packages)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)
        still = missing_libraries(libraries_to_check(args.platform))
        if not still:
            return 0
        unknown = sorted(still)
    elif packages:
        print("Qt needs system libraries that are missing. Install them with:", file=sys.stderr)
        print(f"    sudo {command}", file=sys.stderr)
        return 1
    if unknown:
        print(f"Qt still misses these libraries: {', '.join(unknown)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
