"""Build Vendor Desk's installable app with PyInstaller, then prove the frozen build starts.

    python build_installer.py               # build this platform's artefact into dist/
    python build_installer.py --check-only  # write and validate every platform's build files

Everything the build needs is generated from one place (this file) into ``build/installer/``:
the PyInstaller spec (name and version read from the package, resources, by-name imports,
excluded Qt modules, no UPX), the Windows version resource, the macOS Info.plist and the Linux
``.desktop`` file; the Inno Setup script is ``packaging/windows/vendor-desk.iss``.

Per platform, after PyInstaller's one-folder build in ``dist/``:

- Windows: ``Vendor Desk.exe`` (windowed) and ``vendor-desk-debug.exe`` (console) in
  ``dist/Vendor Desk/``, then ``VendorDesk-<version>-setup.exe`` when Inno Setup's ``iscc`` is
  on the PATH;
- macOS: ``dist/Vendor Desk.app`` and ``VendorDesk-<version>.dmg`` (hdiutil);
- Linux: ``dist/vendor-desk/`` with the ``.desktop`` file, and
  ``vendor-desk-<version>-linux-<arch>.tar.xz``.

The frozen app's ``--self-test`` then runs (Qt offscreen); a non-zero exit or any line on
stderr fails the build. Needs ``pip install ".[installer]"`` (PyInstaller) except for
``--check-only``.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import os
import platform
import plistlib
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
BUILD_DIR = ROOT / "build" / "installer"
DIST_DIR = ROOT / "dist"
ISS_TEMPLATE = ROOT / "packaging" / "windows" / "vendor-desk.iss"
ICON_SVG = ROOT / "resources" / "icons" / "vendor-desk.svg"

#: Bundle identifier (macOS) and Linux desktop-entry id.
APP_ID = "io.github.vendordesk.VendorDesk"

#: Modules imported by name at run time, which PyInstaller's import analysis cannot see.
HIDDEN_IMPORTS = [
    # keyring picks its backend through entry points: list every backend it ships.
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    "keyring.backends.SecretService",
    "keyring.backends.kwallet",
    "keyring.backends.libsecret",
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    # SQLAlchemy loads its dialect from the URL ("sqlite:///…").
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    # Alembic runs the migration scripts from files (bundled as data) and imports these for them.
    "alembic",
    "alembic.context",
    "alembic.op",
    "alembic.runtime.migration",
    "alembic.ddl.sqlite",
    "alembic.script",
    "vendor_desk.cache.migrations",
    # Loaded lazily: the Pack view's sounds (vendor_desk/ui/sounds.py).
    "PySide6.QtMultimedia",
    # Loaded lazily: the Earnings view's chart (vendor_desk/ui/earnings_chart.py).
    "PySide6.QtCharts",
    # Loaded lazily through importlib.
    "vendor_desk.documents.renderers",
    "vendor_desk.sandbox.dashboard",
    "vendor_desk.selftest",
]

#: Whole packages collected module by module (entry points and importlib inside them).
COLLECT_SUBMODULES = ["vendor_desk", "keyring.backends", "reportlab.graphics.barcode"]

#: Qt modules the app never uses (only QtCore, QtGui, QtWidgets, QtSvg, QtPdf, QtPrintSupport,
#: QtMultimedia for the Pack view's sounds, QtCharts for the Earnings view's chart),
#: kept out of the bundle with their libraries and plugins; and other heavy unused modules.
EXCLUDES = [
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtWebView",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtGraphsWidgets",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtSerialBus",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtStateMachine",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtPdfWidgets",
    "PySide6.QtHttpServer",
    "PySide6.QtAxContainer",
    # Pillow's AVIF codec (2 MB): documents embed PNG/JPEG logos only.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    # Optional extras of Mako/Alembic and the stdlib's help system.
    "pygments",
    "pydoc_data",
    "tkinter",
    "pytest",
    "IPython",
    "numpy",
]

#: Libraries and plugins PyInstaller's Qt hooks collect but the app never loads: Qt's virtual
#: keyboard input plugin drags in Qt Quick and QML (about 25 MB; the app has no touch UI); Qt
#: Multimedia's FFmpeg backend and FFmpeg itself (19 MB, 8.6 MB compressed): the Pack view's
#: sounds are QSoundEffect, which Qt Multimedia plays without any backend ("Only
#: QMediaDevices, QAudioDevice, QSoundEffect, QAudioSink, and QAudioSource are available").
DROPPED_BINARIES = [
    "libqtvirtualkeyboardplugin",
    "libQt6VirtualKeyboard",
    "libQt6Quick",
    "libQt6Qml",
    "ffmpegmediaplugin",
    "avcodec",
    "avformat",
    "avutil",
    "swresample",
    "swscale",
]

#: Qt modules the app needs; a test checks none of them is excluded.
QT_KEPT = ["PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg",
           "PySide6.QtPdf", "PySide6.QtPrintSupport", "PySide6.QtMultimedia",
           "PySide6.QtCharts"]  # fmt: skip

#: Qt prints these harmlessly in a frozen offscreen run; any other stderr line fails the build.
ALLOWED_STDERR: list[str] = []


@dataclass(frozen=True)
class AppInfo:
    """Name and version, read from the package."""

    name: str
    version: str

    def folder(self, target: str) -> str:
        """The one-folder build's name in ``dist/`` (on Linux also the executable's)."""
        return "vendor-desk" if target == "linux" else self.name

    @property
    def version_tuple(self) -> tuple[int, ...]:
        """Four numbers for Windows (``0.1.0`` → ``(0, 1, 0, 0)``)."""
        numbers = [int(n) for n in re.findall(r"\d+", self.version)[:4]]
        return tuple(numbers + [0] * (4 - len(numbers)))


def app_info() -> AppInfo:
    """``APP_NAME`` and ``__version__`` of ``vendor_desk/__init__.py`` (read, not imported)."""
    tree = ast.parse((ROOT / "vendor_desk" / "__init__.py").read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[target.id] = str(node.value.value)
    return AppInfo(values["APP_NAME"], values["__version__"])


# ----------------------------------------------------------------------- generated files
def render_spec(info: AppInfo, target: str, icon: Path | None) -> str:
    """The PyInstaller spec for ``target`` ("linux", "windows" or "macos")."""
    windows = target == "windows"
    icon_arg = repr(str(icon)) if icon else "None"
    version_file = repr(str(BUILD_DIR / "windows-version.txt")) if windows else "None"
    exe_name = info.folder(target)
    # Linux: strip debug symbols from the bundled binaries (libpython alone: 23 MB -> 4 MB);
    # macOS binaries must stay as signed, Windows has no symbols in its DLLs.
    strip = target == "linux"
    debug_exe = ""
    if windows:
        debug_exe = f"""
debug_exe = EXE(
    pyz, a.scripts, [], exclude_binaries=True, name='vendor-desk-debug', console=True,
    icon={icon_arg}, version={version_file}, upx=False,
)
executables.append(debug_exe)
"""
    bundle = ""
    if target == "macos":
        plist = repr(info_plist(info))
        bundle = f"""
app = BUNDLE(
    coll, name={info.name + ".app"!r}, icon={icon_arg}, bundle_identifier={APP_ID!r},
    version={info.version!r}, info_plist={plist},
)
"""
    return f"""# PyInstaller spec of {info.name} {info.version} ({target}).
# Generated by build_installer.py: do not edit, change build_installer.py.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

ROOT = {str(ROOT)!r}
hiddenimports = {HIDDEN_IMPORTS!r}
for package in {COLLECT_SUBMODULES!r}:
    hiddenimports += collect_submodules(package)
datas = [
    (ROOT + "/resources", "resources"),
    # Alembic reads the migration scripts as files: ship them as source next to the package.
    (ROOT + "/vendor_desk/cache/migrations", "vendor_desk/cache/migrations"),
]
datas += collect_data_files("reportlab")

a = Analysis(
    [ROOT + "/packaging/launcher.py"],
    pathex=[ROOT],
    datas=datas,
    hiddenimports=hiddenimports,
    excludes={EXCLUDES!r},
    noarchive=False,
)
dropped = {DROPPED_BINARIES!r}
a.binaries = [entry for entry in a.binaries if not any(part in entry[0] for part in dropped)]
a.datas = [entry for entry in a.datas if not any(part in entry[0] for part in dropped)]
# Qt's own translations: only the languages Vendor Desk ships in (ours, in
# resources/translations, all stay).
a.datas = [
    entry
    for entry in a.datas
    if "Qt/translations/" not in entry[0].replace(chr(92), "/")  # chr(92): backslash
    or entry[0].endswith(("_en.qm", "_fr.qm"))
]
pyz = PYZ(a.pure)
main_exe = EXE(
    pyz, a.scripts, [], exclude_binaries=True, name={exe_name!r},
    console={not windows and target != "macos"!r}, icon={icon_arg}, version={version_file},
    upx=False, strip={strip!r},
)
executables = [main_exe]
{debug_exe}
coll = COLLECT(
    *executables, a.binaries, a.datas, upx=False, strip={strip!r}, name={info.folder(target)!r}
)
{bundle}"""


def info_plist(info: AppInfo) -> dict[str, object]:
    """The macOS bundle's Info.plist entries."""
    return {
        "CFBundleName": info.name,
        "CFBundleDisplayName": info.name,
        "CFBundleIdentifier": APP_ID,
        "CFBundleExecutable": info.name,
        "CFBundlePackageType": "APPL",
        "CFBundleShortVersionString": info.version,
        "CFBundleVersion": info.version,
        "LSMinimumSystemVersion": "11.0",
        "NSHighResolutionCapable": True,
        "NSPrincipalClass": "NSApplication",
        "LSApplicationCategoryType": "public.app-category.business",
    }


def render_desktop(info: AppInfo) -> str:
    """The Linux desktop entry (``Exec``/``Icon`` relative to the unpacked folder's install)."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={info.name}\n"
        "Comment=Your marketplace orders on the desktop\n"
        "Exec=vendor-desk\n"
        "Icon=vendor-desk\n"
        "Terminal=false\n"
        "Categories=Office;Finance;Qt;\n"
        f"X-AppVersion={info.version}\n"
    )


def render_version_resource(info: AppInfo) -> str:
    """The Windows version resource in PyInstaller's ``VSVersionInfo`` syntax."""
    numbers = info.version_tuple
    strings = {
        "CompanyName": "Vendor Desk engineers",
        "FileDescription": info.name,
        "FileVersion": info.version,
        "InternalName": "vendor-desk",
        "OriginalFilename": f"{info.name}.exe",
        "ProductName": info.name,
        "ProductVersion": info.version,
    }
    entries = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
          {entries}])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])]),
  ]
)
"""


def write_build_files(info: AppInfo, out: Path = BUILD_DIR) -> dict[str, Path]:
    """Write every platform's build files into ``out``; returns them by role."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "spec-linux": out / "vendor-desk-linux.spec",
        "spec-windows": out / "vendor-desk-windows.spec",
        "spec-macos": out / "vendor-desk-macos.spec",
        "version": out / "windows-version.txt",
        "plist": out / "Info.plist",
        "desktop": out / "vendor-desk.desktop",
        "iss": out / "vendor-desk.iss",
    }
    icons = {"linux": None, "windows": out / "vendor-desk.ico", "macos": out / "vendor-desk.icns"}
    for target in ("linux", "windows", "macos"):
        files[f"spec-{target}"].write_text(render_spec(info, target, icons[target]), "utf-8")
    files["version"].write_text(render_version_resource(info), encoding="utf-8")
    files["plist"].write_bytes(plistlib.dumps(info_plist(info)))
    files["desktop"].write_text(render_desktop(info), encoding="utf-8")
    shutil.copyfile(ISS_TEMPLATE, files["iss"])
    return files


def validate_build_files(info: AppInfo, files: dict[str, Path]) -> None:
    """Check the generated files parse and say what they must; raises ``ValueError``."""
    for target in ("linux", "windows", "macos"):
        text = files[f"spec-{target}"].read_text(encoding="utf-8")
        compile(text, str(files[f"spec-{target}"]), "exec")
        needed_names = (*HIDDEN_IMPORTS, *EXCLUDES, *DROPPED_BINARIES)
        for needed in ("Analysis(", "COLLECT(", "upx=False", *needed_names):
            if needed not in text:
                raise ValueError(f"{target} spec lacks {needed!r}")
        if "upx=True" in text:
            raise ValueError(f"{target} spec enables UPX")
    kept = [module for module in QT_KEPT if module in EXCLUDES]
    if kept:
        raise ValueError(f"needed Qt modules excluded: {kept}")
    version = files["version"].read_text(encoding="utf-8")
    if info.version not in version or not version.startswith("VSVersionInfo("):
        raise ValueError("the Windows version resource lacks the version")
    ast.parse(version, mode="eval")
    plist = plistlib.loads(files["plist"].read_bytes())
    if plist["CFBundleShortVersionString"] != info.version or plist["CFBundleName"] != info.name:
        raise ValueError("Info.plist does not carry the app's name and version")
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    desktop.read_string(files["desktop"].read_text(encoding="utf-8"))
    entry = desktop["Desktop Entry"]
    if entry.get("Type") != "Application" or entry.get("Name") != info.name:
        raise ValueError(".desktop entry lacks Type=Application or the app's name")
    iss = files["iss"].read_text(encoding="utf-8")
    for section in ("[Setup]", "[Files]", "[Icons]", "#define AppVersion", "PrivilegesRequired"):
        if section not in iss:
            raise ValueError(f"Inno Setup script lacks {section}")


# ------------------------------------------------------------------------------- building
def this_target() -> str:
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def render_icons(out: Path) -> None:
    """The app icon as PNG (Linux), ICO (Windows) and ICNS (macOS), rendered by Qt from SVG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["build_installer"])
    renderer = QSvgRenderer(str(ICON_SVG))
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.save(str(out / "vendor-desk.png"))
    image.save(str(out / "vendor-desk.ico"))  # Qt's ico plugin
    if sys.platform == "darwin":
        image.save(str(out / "vendor-desk.icns"))


def run_pyinstaller(spec: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(DIST_DIR), "--workpath", str(BUILD_DIR / "work"), str(spec)],
        check=True,
    )  # fmt: skip


def smoke_test(executable: Path) -> str:
    """Run the frozen app's ``--self-test`` offscreen; returns its stdout or raises."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [str(executable), "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=executable.parent,  # not the checkout: the frozen app must need nothing from it
        timeout=300,
    )
    unexpected = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not any(allowed in line for allowed in ALLOWED_STDERR)
    ]
    # Where an audio output was set up for the build (CI: python3 -m tests.audio), the frozen
    # app, which has no FFmpeg, must show that the Pack view's sounds load on it.
    sounds_missing = os.environ.get("VD_AUDIO_OUTPUT") == "1" and not any(
        line.startswith("sounds: ok (") and " ready for " in line
        for line in result.stdout.splitlines()
    )
    if result.returncode != 0 or unexpected or sounds_missing:
        raise SystemExit(
            f"smoke test of {executable} failed (exit {result.returncode}"
            + (", the sounds did not load on the audio output" if sounds_missing else "")
            + "):\n"
            + result.stdout
            + result.stderr
        )
    return result.stdout


def package_linux(info: AppInfo, files: dict[str, Path]) -> Path:
    folder = DIST_DIR / info.folder("linux")
    shutil.copyfile(files["desktop"], folder / "vendor-desk.desktop")
    shutil.copyfile(BUILD_DIR / "vendor-desk.png", folder / "vendor-desk.png")
    # xz: 68 MB where gzip -9 gave 91 MB (docs/performance.md, "Installer"); every Linux
    # archive manager and tar (-xJf) opens it
    archive = DIST_DIR / f"vendor-desk-{info.version}-linux-{platform.machine()}.tar.xz"
    with tarfile.open(archive, "w:xz", preset=6) as tar:
        tar.add(folder, arcname=f"vendor-desk-{info.version}")
    return archive


def package_windows(info: AppInfo, files: dict[str, Path]) -> Path | None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print("Inno Setup (iscc) not found: no setup.exe made, the folder is the artefact.")
        return None
    source = DIST_DIR / info.folder("windows")
    subprocess.run(
        [iscc, f"/DAppVersion={info.version}", f"/DAppName={info.name}",
         f"/DSourceDir={source}", f"/DOutputDir={DIST_DIR}", str(files["iss"])],
        check=True,
    )  # fmt: skip
    return DIST_DIR / f"VendorDesk-{info.version}-setup.exe"


def package_macos(info: AppInfo) -> Path:
    dmg = DIST_DIR / f"VendorDesk-{info.version}.dmg"
    dmg.unlink(missing_ok=True)
    subprocess.run(
        ["hdiutil", "create", "-volname", info.name, "-srcfolder",
         str(DIST_DIR / f"{info.name}.app"), "-ov", "-format", "UDZO", str(dmg)],
        check=True,
    )  # fmt: skip
    return dmg


def build(info: AppInfo, files: dict[str, Path]) -> list[Path]:
    """Build this platform's artefacts, smoke-test the frozen app; returns what was produced."""
    target = this_target()
    render_icons(BUILD_DIR)
    run_pyinstaller(files[f"spec-{target}"])
    produced: list[Path] = []
    folder = DIST_DIR / info.folder(target)
    if target == "windows":
        print(smoke_test(folder / "vendor-desk-debug.exe"), end="")
        produced += [folder / f"{info.name}.exe", folder / "vendor-desk-debug.exe"]
        setup = package_windows(info, files)
        produced += [setup] if setup else [folder]
    elif target == "macos":
        app = DIST_DIR / f"{info.name}.app"
        print(smoke_test(app / "Contents" / "MacOS" / info.name), end="")
        produced += [app, package_macos(info)]
    else:
        print(smoke_test(folder / "vendor-desk"), end="")
        produced += [folder, package_linux(info, files)]
    return produced


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check-only",
        action="store_true",
        help="write and validate every platform's build files in build/installer (no PyInstaller)",
    )
    parser.add_argument("--out", type=Path, default=BUILD_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    info = app_info()
    files = write_build_files(info, args.out)
    validate_build_files(info, files)
    if args.check_only:
        for role, path in files.items():
            print(f"{role}: {path}")
        print(f"{info.name} {info.version}: build files for linux, windows and macos are valid.")
        return 0
    for path in build(info, files):
        size = _size(path)
        print(f"produced: {path} ({size / 1e6:.1f} MB)")
    return 0


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


if __name__ == "__main__":
    raise SystemExit(main())
