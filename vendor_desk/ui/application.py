"""Starting the desktop app: QApplication, cache, account, main window — and demo mode."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from vendor_desk import APP_NAME, i18n
from vendor_desk.cache import CacheError, open_cache
from vendor_desk.cache.queries import AccountInfo, list_accounts
from vendor_desk.marketplace.probe import AccountInput, ProbeResult, probe_marketplace
from vendor_desk.paths import ResourceNotFoundError, resource_path
from vendor_desk.secrets import SecretStore
from vendor_desk.sync.accounts import add_probed_account
from vendor_desk.ui import translator
from vendor_desk.ui.account_dialog import AccountDialog
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.main_window import AccountConnection, MainWindow
from vendor_desk.ui.preferences_dialog import chosen_language
from vendor_desk.ui.style import is_dark, style_sheet

log = logging.getLogger("vendor_desk.ui")

#: The demo shop: a few hundred orders and a new one every minute.
DEMO_ORDERS = 400
DEMO_NEW_ORDER_EVERY = 60.0
#: The demo shop of each language the app speaks (the simulator's generated locales): French
#: opens a French upcycling workshop selling in euros; the others the international shop.
DEMO_LOCALES = {"fr": "fr"}

#: The fonts the app bundles (resources/fonts, see its README.txt; the printed documents use
#: them too), in fallback order: Latin, Greek and Cyrillic, then Chinese, Japanese and Korean.
BUNDLED_FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "DroidSansFallback.ttf")
#: Set on the QApplication once the bundled fonts are installed (ensure_application runs often).
_FONTS_INSTALLED = "vendorDeskBundledFonts"


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), with names, icon and style sheet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    # The language chosen (vendor_desk.i18n) for our words, Qt's and the formats; a system
    # without a locale (C: minimal systems, CI) gets the language's formats, not C's.
    translator.install(app, i18n.language())
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(app_icon())
    install_bundled_fonts(app)
    app.setStyleSheet(style_sheet(is_dark(app)))
    return app


def install_bundled_fonts(app: QApplication) -> list[str]:
    """Register the bundled fonts and make them fallbacks of the app's font family (the
    system's stays first); returns the fallback families.

    Without them a machine with no Chinese, Japanese or Korean fonts shows such customer names
    as empty boxes in the window, while the printed documents (which embed these fonts) show
    them. Qt takes a character the first family lacks from the next one.
    """
    known = app.property(_FONTS_INSTALLED)
    if known is not None:
        return [str(family) for family in known]
    families: list[str] = []
    for filename in BUNDLED_FONTS:
        try:
            path = resource_path("fonts", filename)
        except ResourceNotFoundError:  # an incomplete installation: `--self-test` says so
            log.debug("bundled font %s is missing", filename)
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:  # a damaged installation: `--self-test` says so
            log.debug("bundled font %s could not be loaded", path)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in families:
                families.append(family)
    font = app.font()
    system = font.family()
    fallbacks = [family for family in families if family != system]
    if fallbacks:
        QFont.insertSubstitutions(system, fallbacks)
        font.setFamilies([system, *fallbacks])
        app.setFont(font)
    app.setProperty(_FONTS_INSTALLED, fallbacks)
    return fallbacks


def open_settings(data_dir: Path) -> QSettings:
    """Window and list settings, kept in the data folder (not the registry), never secrets."""
    return QSettings(str(Path(data_dir) / "settings.ini"), QSettings.Format.IniFormat)


def save_account(
    cache: Any, secrets: SecretStore, account: AccountInput, probe: ProbeResult
) -> int:
    """Store the account (no secret) in the cache and its password in the secret store."""
    account_id = add_probed_account(cache, account, probe)
    secrets.set(probe.base_url, account.login, account.password)
    return account_id


def connection_for(info: AccountInfo, password: str) -> AccountConnection:
    return AccountConnection(
        account_id=info.id,
        base_url=info.base_url,
        login=info.login,
        password=password,
        auth_method=info.auth_method,
        store_name=info.store_name,
    )


def ask_for_account(
    cache: Any, secrets: SecretStore, initial: AccountInfo | None = None
) -> AccountConnection | None:
    """Run the account dialog; the saved account as a connection, or None when cancelled."""
    saved: dict[str, Any] = {}

    def save(account: AccountInput, probe: ProbeResult) -> str | None:
        try:
            saved["id"] = save_account(cache, secrets, account, probe)
        except Exception as error:  # the dialog shows it; nothing was half-saved that matters
            return QCoreApplication.translate(
                "App", "The account could not be saved: {error}"
            ).format(error=error)
        saved["input"], saved["probe"] = account, probe
        return None

    start = (
        AccountInput(initial.base_url, initial.login, "", initial.auth_method == "app-password")
        if initial is not None
        else None
    )
    dialog = AccountDialog(save, keyring_warning=secrets.warning, initial=start)
    if dialog.exec() != AccountDialog.DialogCode.Accepted or "id" not in saved:
        return None
    account, probe = saved["input"], saved["probe"]
    return AccountConnection(
        account_id=saved["id"],
        base_url=probe.base_url,
        login=account.login,
        password=account.password,
        auth_method=probe.auth_method,
        store_name=probe.store_name,
    )


def run_gui(
    data_dir: Path,
    *,
    demo: bool = False,
    argv: list[str] | None = None,
    language: str | None = None,
) -> int:
    """Open the window (``demo``: on a fresh in-process simulator) in ``language`` (``--lang``;
    None: the Preferences' choice, else the system's). Returns the exit code."""
    i18n.set_language(language or chosen_language(open_settings(Path(data_dir))))
    app = ensure_application(argv)
    cleanup: list[Callable[[], None]] = []
    try:
        window: MainWindow | None = (
            _demo_window(cleanup) if demo else _normal_window(Path(data_dir), cleanup)
        )
        if window is None:
            return 0
        window.show()
        return int(app.exec())
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except Exception:  # cleanup must not hide the real outcome
                log.exception("cleanup failed")


def _normal_window(data_dir: Path, cleanup: list[Callable[[], None]]) -> MainWindow | None:
    try:
        cache = open_cache(data_dir)
    except CacheError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return None
    cleanup.append(cache.close)
    secrets = SecretStore()
    with cache.session() as session:
        accounts = list_accounts(session)
    connection: AccountConnection | None
    if not accounts:
        connection = ask_for_account(cache, secrets)
        if connection is None:
            return None
    else:
        info = accounts[0]
        password = secrets.get(info.base_url, info.login)
        connection = (
            connection_for(info, password)
            if password is not None
            else ask_for_account(cache, secrets, initial=info)
        )
        if connection is None:
            return None
    current = connection

    def reauthenticate() -> AccountConnection | None:
        with cache.session() as session:
            infos = [a for a in list_accounts(session) if a.id == current.account_id]
        return ask_for_account(cache, secrets, initial=infos[0] if infos else None)

    window = MainWindow(cache, connection, open_settings(data_dir), reauthenticate=reauthenticate)

    def close_window() -> None:
        # Nothing may paint from the cache once its folder is gone.
        window.hide()
        window.shutdown()

    cleanup.append(close_window)
    return window


def start_demo(
    data_dir: Path,
    cleanup: list[Callable[[], None]],
    *,
    orders: int = DEMO_ORDERS,
    new_order_every: float | None = DEMO_NEW_ORDER_EVERY,
) -> tuple[Any, Any, AccountConnection]:
    """Start the simulator, open a cache in ``data_dir`` and add the demo vendor's account.

    The shop speaks the app's language (:func:`vendor_desk.i18n.language`): the French shop in
    French, the international one otherwise (:data:`DEMO_LOCALES`). Returns ``(simulator,
    cache, connection)``; the password stays in memory (never the keyring).
    """
    from vendor_desk.sandbox.server import Simulator

    simulator = Simulator(
        dataset="generated",
        orders=orders,
        seed=7,
        new_order_every=new_order_every,
        locale=DEMO_LOCALES.get(i18n.language(), "en"),
    ).start()
    cleanup.append(simulator.stop)
    user = next(u for u in simulator.users if u["login"] == simulator.demo_vendor)
    account = AccountInput(simulator.base_url, user["login"], user["password"], False)
    probe = probe_marketplace(account)
    cache = open_cache(data_dir)
    cleanup.append(cache.close)
    account_id = add_probed_account(cache, account, probe)
    connection = AccountConnection(
        account_id=account_id,
        base_url=probe.base_url,
        login=account.login,
        password=account.password,
        auth_method=probe.auth_method,
        store_name=probe.store_name,
    )
    return simulator, cache, connection


def _demo_window(cleanup: list[Callable[[], None]]) -> MainWindow:
    data_dir = Path(tempfile.mkdtemp(prefix="vendor-desk-demo-"))
    cleanup.append(lambda: shutil.rmtree(data_dir, ignore_errors=True))
    _simulator, cache, connection = start_demo(data_dir, cleanup)
    window = MainWindow(cache, connection, open_settings(data_dir), sync_interval_ms=30_000)
    window.setWindowTitle(window.windowTitle() + " " + QCoreApplication.translate("App", "(demo)"))

    def close_window() -> None:
        # Nothing may paint from the cache once its folder is gone.
        window.hide()
        window.shutdown()

    cleanup.append(close_window)
    return window
