"""Resources are found from a source checkout and from an installed (non-editable) wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from vendor_desk import __version__
from vendor_desk.paths import ResourceNotFoundError, resource_path, resources_dir

PROBE = (
    "from vendor_desk.paths import resources_dir, resource_path;"
    "import vendor_desk;"
    "print(vendor_desk.__file__);"
    "print(resources_dir());"
    "print(resource_path('icons', 'vendor-desk.svg'))"
)


def test_resources_found_in_source_checkout() -> None:
    assert resources_dir() == REPO_ROOT / "resources"
    icon = resource_path("icons", "vendor-desk.svg")
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_missing_resource_is_a_clear_error() -> None:
    with pytest.raises(ResourceNotFoundError, match=r"icons/no-such-icon\.svg"):
        resource_path("icons", "no-such-icon.svg")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO_ROOT),
        ],
        check=True,
    )
    wheels = list(out.glob("vendor_desk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_carries_resources_and_entry_point(wheel: Path) -> None:
    assert wheel.name.startswith(f"vendor_desk-{__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    assert "vendor_desk/resources/MANIFEST" in names
    assert "vendor_desk/resources/icons/vendor-desk.svg" in names
    # the French catalogue the app reads (docs/translations.md)
    assert "vendor_desk/resources/translations/fr/LC_MESSAGES/vendor_desk.mo" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "vendor-desk = vendor_desk.app:main" in text


def test_resources_found_from_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    # Run from an unrelated folder, with the installed copy first on the path.
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    package_file, found_dir, icon = (Path(line) for line in result.stdout.splitlines())
    assert package_file.is_relative_to(site), "the installed copy must be the one imported"
    assert found_dir == site / "vendor_desk" / "resources"
    assert icon.is_file() and icon.is_relative_to(site)
