"""Where Vendor Desk finds its bundled resources (icons, fonts, translations).

The same code works from a source checkout (``<repo>/resources``), from an installed wheel
(``vendor_desk/resources`` inside site-packages, put there by the build) and from a frozen
PyInstaller build (``<bundle>/resources``).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

#: Environment variable naming the resources folder to use instead of the bundled one (the
#: self-test of a broken installation, resource development).
RESOURCES_ENV = "VENDOR_DESK_RESOURCES"


class ResourceNotFoundError(FileNotFoundError):
    """A bundled resource is missing: the installation is incomplete."""


@cache
def resources_dir() -> Path:
    """Return the folder holding the bundled resources (``$VENDOR_DESK_RESOURCES`` overrides)."""
    override = os.environ.get(RESOURCES_ENV)
    candidates = [Path(override)] if override else _bundled_candidates()
    for candidate in candidates:
        if (candidate / "MANIFEST").is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise ResourceNotFoundError(f"Vendor Desk's resources were not found (looked in {searched}).")


def _bundled_candidates() -> list[Path]:
    candidates: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    candidates.append(_PACKAGE_DIR / "resources")  # installed wheel
    candidates.append(_PACKAGE_DIR.parent / "resources")  # source checkout / editable install
    return candidates


def resource_path(*parts: str) -> Path:
    """Return the path of one bundled resource, e.g. ``resource_path("icons", "app.svg")``."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise ResourceNotFoundError(f"Bundled resource missing: {'/'.join(parts)}")
    return path
