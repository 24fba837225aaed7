"""``vendor-desk --self-test``: prove that this installation starts and has everything it needs.

Run by the installer build on the frozen app (``build_installer.py``) and usable by any vendor or
support person. Without a window system (Qt's ``offscreen`` platform unless ``QT_QPA_PLATFORM``
says otherwise) and without touching the vendor's own data, it checks in order:

1. the Qt user interface modules import and a QApplication starts;
2. a fresh cache in a temporary folder is created by the migrations;
3. every icon of ``resources/icons`` loads and renders;
4. every font of ``resources/fonts`` registers with reportlab;
5. the translation catalogue of every shipped language loads (the standard library's gettext,
   which the command line, the documents and the window's Qt bridge read) and a known
   sentence comes out translated;
6. the Pack view's sounds load for the computer's audio output (Qt Multimedia's
   ``QSoundEffect``, which needs no media backend; nothing is played; a computer without an
   audio output, or a Linux one without libpulse, is said in the detail: the Pack view is
   silent there, the app works);
7. one sync against an in-process marketplace simulator over 127.0.0.1 (the real client);
8. a packing slip PDF of a synced order, rendered by the document renderer's child process (as
   the window's straight-to-printer jobs are; in a frozen build, the app itself started by
   :mod:`multiprocessing`);
9. the search index's keys built by its helper process.

Each check prints one line on stdout: ``<check>: ok (<detail>)`` — the check's name and "ok"
stay as they are (a format the installer build and support read), the detail is in the
vendor's language. Exit 0 when all pass; else 1 with the reason on stderr
(and nothing else on stderr: Qt's known harmless offscreen warnings are dropped).
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from vendor_desk.i18n import _, ngettext

EXIT_OK = 0
EXIT_FAILED = 1

#: The icons the window cannot do without (the others in the folder are checked too).
REQUIRED_ICONS = ("vendor-desk", "status-unknown")

#: Orders of the simulated marketplace: enough for a real multi-order sync, fast to build.
SIMULATOR_ORDERS = 12

#: Qt messages known to be harmless; every other one goes to stderr. Qt Multimedia says when
#: PipeWire is not there (it then uses PulseAudio), when no audio server answers (no audio
#: output: the sounds check says so) and that it has no media backend (the build leaves
#: FFmpeg's out on purpose: QSoundEffect needs none).
QUIET_QT_MESSAGES = (
    "propagateSizeHints",
    "pipewire-0.3",
    "pa_context_connect",
    "No QtMultimedia backends found",
)
#: How long the sounds may take to load (s).
SOUNDS_TIMEOUT = 10.0


class SelfTestFailed(Exception):
    """A check failed; the message says which and why."""


def run(out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run every check; returns the exit code (0 all passed, 1 a check failed)."""
    out = out or sys.stdout
    err = err or sys.stderr
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="vendor-desk-selftest-") as folder:
            _run_checks(Path(folder), lambda line: print(line, file=out, flush=True))
    except SelfTestFailed as error:
        print(f"vendor-desk: self-test failed: {error}", file=err, flush=True)  # fixed format
        return EXIT_FAILED
    print(f"self-test: passed in {time.perf_counter() - started:.1f} s", file=out, flush=True)
    return EXIT_OK


def _run_checks(data_dir: Path, say: Callable[[str], None]) -> None:
    from vendor_desk import APP_NAME, __version__

    say(f"version: {APP_NAME} {__version__} (Python {sys.version.split()[0]})")
    app = _check("qt", _start_qt, say)
    cache = _check("migrations", lambda: _open_cache(data_dir), say)
    try:
        _check("icons", _load_icons, say)
        _check("fonts", _register_fonts, say)
        _check("translations", lambda: _load_translations(app), say)
        _check("sounds", lambda: _load_sounds(app), say)
        account_id, order_ids = _check("sync", lambda: _sync(cache), say)
        _check("slip", lambda: _render_slip(cache, account_id, order_ids[0]), say)
        _check("search", lambda: _search_keys(cache, account_id), say)
    finally:
        cache.close()


def _check(name: str, step: Callable[[], tuple[Any, str]], say: Callable[[str], None]) -> Any:
    """Run one check (``step`` returns its value and a detail); prints ``<name>: ok (<detail>)``
    and returns the value, or raises :class:`SelfTestFailed` naming the check."""
    try:
        value, detail = step()
    except SelfTestFailed as error:
        raise SelfTestFailed(f"{name}: {error}") from None
    except Exception as error:  # any failure of a check is its answer, not a crash
        raise SelfTestFailed(f"{name}: {type(error).__name__}: {error}") from None
    say(f"{name}: ok ({detail})")
    return value


# ---------------------------------------------------------------------------------- checks
def _start_qt() -> tuple[Any, str]:
    from PySide6.QtCore import qInstallMessageHandler, qVersion

    qInstallMessageHandler(_qt_message)
    from vendor_desk.ui import main_window  # noqa: F401  (every window module imports)
    from vendor_desk.ui.application import ensure_application

    app = ensure_application([sys.argv[0] if sys.argv else "vendor-desk"])
    return app, f"Qt {qVersion()}, platform {app.platformName()}"


def _qt_message(mode: Any, context: Any, message: str) -> None:
    """Qt's message handler: its information and debug messages and the known harmless
    warnings dropped, the rest on stderr."""
    from PySide6.QtCore import QtMsgType

    if mode in (QtMsgType.QtInfoMsg, QtMsgType.QtDebugMsg):
        return
    if any(quiet in message for quiet in QUIET_QT_MESSAGES):
        return
    print(f"qt: {message}", file=sys.stderr, flush=True)


def _load_sounds(app: Any) -> tuple[None, str]:
    from vendor_desk.paths import resource_path
    from vendor_desk.ui.sounds import Sound

    try:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except ImportError as error:
        if "libpulse" not in str(error):  # the bundle itself lacks Qt Multimedia
            raise
        return None, _("no libpulse on this computer: the Pack view is silent")
    output = QMediaDevices.defaultAudioOutput()
    if output.isNull():
        return None, _("no audio output on this computer: the sounds were not tried")
    effects = {}
    for sound in Sound:
        effect = QSoundEffect()
        effect.setAudioDevice(output)
        effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds", f"{sound}.wav"))))
        effects[sound] = effect
    loading = (QSoundEffect.Status.Null, QSoundEffect.Status.Loading)
    deadline = time.monotonic() + SOUNDS_TIMEOUT
    while any(e.status() in loading for e in effects.values()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    failed = [str(s) for s, e in effects.items() if e.status() != QSoundEffect.Status.Ready]
    if failed:
        raise SelfTestFailed(
            _("{sounds} cannot be played on {device}").format(
                sounds=", ".join(failed), device=output.description()
            )
        )
    return None, ngettext(
        "{count} sound ready for {device}", "{count} sounds ready for {device}", len(effects)
    ).format(count=len(effects), device=output.description())


def _open_cache(data_dir: Path) -> tuple[Any, str]:
    from vendor_desk.cache import open_cache
    from vendor_desk.cache.db import read_revision

    cache = open_cache(data_dir)
    return cache, f"schema {read_revision(cache.path)} created"


def _load_icons() -> tuple[None, str]:
    from PySide6.QtCore import QSize

    from vendor_desk.paths import resources_dir
    from vendor_desk.ui.icons import icon

    names = sorted(path.stem for path in (resources_dir() / "icons").glob("*.svg"))
    missing = [name for name in REQUIRED_ICONS if name not in names]
    if missing:
        raise SelfTestFailed(
            _("missing {names} in {folder}").format(
                names=", ".join(missing), folder=resources_dir() / "icons"
            )
        )
    for name in names:
        loaded = icon(name)
        if loaded.isNull() or loaded.pixmap(QSize(32, 32)).isNull():
            raise SelfTestFailed(
                _("{name}.svg does not render (Qt's SVG support missing?)").format(name=name)
            )
    return None, _("{count} rendered").format(count=len(names))


def _register_fonts() -> tuple[None, str]:
    from vendor_desk.documents import text
    from vendor_desk.paths import resources_dir

    files = sorted(path.name for path in (resources_dir() / "fonts").glob("*.ttf"))
    if not files:
        raise SelfTestFailed(_("no fonts in {folder}").format(folder=resources_dir() / "fonts"))
    registered = text.fonts().coverage
    return None, _("{count} registered from {files} files").format(
        count=len(registered), files=len(files)
    )


#: A sentence every shipped catalogue translates (a status the order list shows).
KNOWN_SENTENCE = "Processing"


def _load_translations(app: Any) -> tuple[None, str]:
    """Every shipped language's catalogue loads (gettext: the command line, the documents and,
    through ui/translator.py, the window read it) and translates a known sentence."""
    from vendor_desk import i18n

    languages = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE_LANGUAGE]
    for language in languages:
        catalogue = i18n.translator(language)
        if not catalogue.loaded:
            raise SelfTestFailed(
                _("the {language} catalogue does not load from {folder}").format(
                    language=language, folder=i18n.catalogue_dir()
                )
            )
        if catalogue.gettext(KNOWN_SENTENCE) == KNOWN_SENTENCE:
            raise SelfTestFailed(
                _("the {language} catalogue does not translate {text!r}").format(
                    language=language, text=KNOWN_SENTENCE
                )
            )
    loaded = ngettext(
        "{count} language loaded: {languages}",
        "{count} languages loaded: {languages}",
        len(languages),
    )
    return None, loaded.format(count=len(languages), languages=", ".join(languages))


def _sync(cache: Any) -> tuple[tuple[int, tuple[int, ...]], str]:
    from vendor_desk.marketplace.probe import AccountInput, open_marketplace, probe_marketplace
    from vendor_desk.sandbox.server import Simulator
    from vendor_desk.sync import Syncer
    from vendor_desk.sync.accounts import add_probed_account

    with Simulator(dataset="generated", orders=SIMULATOR_ORDERS, seed=3) as simulator:
        user = next(u for u in simulator.users if u["login"] == simulator.demo_vendor)
        account = AccountInput(simulator.base_url, user["login"], user["password"], False)
        probe = probe_marketplace(account)
        account_id = add_probed_account(cache, account, probe)
        with open_marketplace(account) as market:
            result = Syncer(cache, account_id, market).sync(None, threading.Event())
    if not result.new_order_ids:
        raise SelfTestFailed(
            _("no orders of {login} arrived from the simulator").format(login=account.login)
        )
    orders = ngettext("{count} order", "{count} orders", len(result.new_order_ids))
    requests = ngettext("{count} request", "{count} requests", result.requests_made)
    detail = _("{orders} in {requests}").format(
        orders=orders.format(count=len(result.new_order_ids)),
        requests=requests.format(count=result.requests_made),
    )
    return (account_id, result.new_order_ids), detail


def _search_keys(cache: Any, account_id: int) -> tuple[None, str]:
    """The search index's keys built by its helper process (in a frozen build: the app itself
    started with ``--search-postings-child``), and the same answers as scanning the texts."""
    from vendor_desk.cache.search import SearchIndex, postings_child_command

    with cache.session() as session:
        index = SearchIndex.load(session, account_id)
        scan = SearchIndex.load(session, account_id)
    builder = index.start_postings(min_orders=0)
    if builder is None:
        raise SelfTestFailed(_("the search helper process was not started"))
    builder.join(120)
    if not index.postings_ready:
        raise SelfTestFailed(
            _("the search helper ({command}) failed").format(
                command=" ".join(postings_child_command())
            )
        )
    for word in ("a", "an", "ann", "@example"):
        if index.match(word).order_ids != scan.match(word).order_ids:
            raise SelfTestFailed(
                _("searching {word!r} with the helper's keys gave other orders").format(word=word)
            )
    return None, _("{count} orders indexed by {program}").format(
        count=len(index), program=os.path.basename(postings_child_command()[0])
    )


def _render_slip(cache: Any, account_id: int, order_id: int) -> tuple[None, str]:
    from vendor_desk import documents as docs
    from vendor_desk import i18n
    from vendor_desk.documents.render_process import Renderer, RenderRequest

    renderer = Renderer()
    try:
        pdf = renderer.render(
            RenderRequest(
                cache_path=cache.path,
                account_id=account_id,
                order_ids=(order_id,),
                kind=docs.DocumentKind.SLIP,
                paper=docs.Paper.A4,
                locale="en_US",
                language=i18n.language(),
            )
        )
    finally:
        renderer.shutdown()
    if not pdf.startswith(b"%PDF-"):
        raise SelfTestFailed(_("the renderer did not produce a PDF"))
    return None, _("order #{number}, {size} KB PDF").format(number=order_id, size=len(pdf) // 1024)
