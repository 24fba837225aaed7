"""``build_installer.py --check-only``: every platform's build files are written and valid."""

from __future__ import annotations

import configparser
import plistlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from vendor_desk import APP_NAME, __version__

sys.path.insert(0, str(REPO_ROOT))
import build_installer


@pytest.fixture(scope="module")
def build_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("installer")
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "build_installer.py"), "--check-only", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "build files for linux, windows and macos are valid" in result.stdout
    return out


def test_name_and_version_come_from_the_package() -> None:
    info = build_installer.app_info()
    assert (info.name, info.version) == (APP_NAME, __version__)


@pytest.mark.parametrize("target", ["linux", "windows", "macos"])
def test_spec_lists_hidden_imports_and_excludes_unused_qt(build_files: Path, target: str) -> None:
    spec = (build_files / f"vendor-desk-{target}.spec").read_text(encoding="utf-8")
    compile(spec, "spec", "exec")
    for module in ("keyring.backends.SecretService", "sqlalchemy.dialects.sqlite", "alembic.op"):
        assert repr(module) in spec
    assert "vendor_desk/cache/migrations" in spec and '"resources"' in spec
    for module in ("PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQuick"):
        assert repr(module) in spec
    for kept in ("QtPdf'", "QtSvg'", "QtPrintSupport'", "QtWidgets'"):
        assert f"PySide6.{kept}" not in spec
    assert "upx=False" in spec and "upx=True" not in spec
    assert (f"name={APP_NAME!r}" in spec) == (target != "linux")


def test_windows_spec_has_a_debug_console_exe_and_a_version_resource(build_files: Path) -> None:
    spec = (build_files / "vendor-desk-windows.spec").read_text(encoding="utf-8")
    assert "name='vendor-desk-debug', console=True" in spec
    assert "console=False" in spec  # the main exe is windowed
    assert "windows-version.txt" in spec
    version = (build_files / "windows-version.txt").read_text(encoding="utf-8")
    assert f"StringStruct('ProductVersion', '{__version__}')" in version


def test_macos_plist_and_bundle(build_files: Path) -> None:
    plist = plistlib.loads((build_files / "Info.plist").read_bytes())
    assert plist["CFBundleName"] == APP_NAME
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["CFBundleIdentifier"] == build_installer.APP_ID
    spec = (build_files / "vendor-desk-macos.spec").read_text(encoding="utf-8")
    assert f"BUNDLE(\n    coll, name='{APP_NAME}.app'" in spec


def test_linux_desktop_entry(build_files: Path) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((build_files / "vendor-desk.desktop").read_text(encoding="utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Exec"] == "vendor-desk"


def test_inno_setup_script_is_copied(build_files: Path) -> None:
    iss = (build_files / "vendor-desk.iss").read_text(encoding="utf-8")
    assert "[Setup]" in iss and "{#AppVersion}" in iss and "vendor-desk-debug.exe" in iss


def test_validation_catches_a_spec_without_excludes(build_files: Path, tmp_path: Path) -> None:
    info = build_installer.app_info()
    files = build_installer.write_build_files(info, tmp_path)
    spec = files["spec-linux"]
    spec.write_text(spec.read_text().replace("'PySide6.Qt3DCore', ", ""), encoding="utf-8")
    with pytest.raises(ValueError, match="Qt3DCore"):
        build_installer.validate_build_files(info, files)


def _frozen_app(tmp_path: Path, sounds: str) -> Path:
    """A stand-in for the frozen executable: prints a self-test's lines."""
    tmp_path.mkdir(exist_ok=True)
    script = tmp_path / "vendor-desk"
    lines = ("qt: ok (Qt 6)", sounds, "self-test: passed")
    script.write_text("#!/bin/sh\n" + "".join(f"echo '{line}'\n" for line in lines))
    script.chmod(0o755)
    return script


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for the app")
def test_with_an_audio_output_the_frozen_app_must_load_its_sounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = _frozen_app(tmp_path, "sounds: ok (4 sounds ready for Null Output)")
    silent = _frozen_app(tmp_path / "silent", "sounds: ok (no audio output on this computer)")
    monkeypatch.delenv("VD_AUDIO_OUTPUT", raising=False)
    assert "4 sounds ready" in build_installer.smoke_test(loaded)
    assert "no audio output" in build_installer.smoke_test(silent)  # nothing was promised

    monkeypatch.setenv("VD_AUDIO_OUTPUT", "1")  # python3 -m tests.audio set one up
    assert "4 sounds ready" in build_installer.smoke_test(loaded)
    with pytest.raises(SystemExit, match="the sounds did not load on the audio output"):
        build_installer.smoke_test(silent)
