"""The window's banner says what is really wrong when a sync fails (issue 13 §5): a rate limit or
maintenance is never "the marketplace refused your password", and the next automatic sync waits
as long as the marketplace asked. Faults on the real routes of the simulator, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from tests.ui.conftest import vendor
from vendor_desk.ui.account_dialog import AccountDialog
from vendor_desk.ui.main_window import MainWindow

TOKEN = r"^/wp-json/jwt-auth/v1/token"
EVERY_TWO_MINUTES = 120_000


@pytest.fixture
def timed_window(synced: Any, settings: QSettings, qtbot: Any, sim: Any) -> Iterator[MainWindow]:
    """A window syncing every two minutes on its own (none started yet)."""
    cache, connection = synced
    main = MainWindow(
        cache, connection, settings, sync_interval_ms=EVERY_TWO_MINUTES, auto_sync=False
    )
    qtbot.addWidget(main)
    main.show()
    yield main
    main.shutdown()
    sim.clear_faults()


def failed_sync(window: MainWindow, qtbot: Any) -> Any:
    with qtbot.waitSignal(window.sync_failed, timeout=20000) as blocker:
        assert window.start_sync()
    return blocker.args[0]


def test_rate_limited_sign_in_says_so_and_waits(
    timed_window: MainWindow, sim: Any, qtbot: Any
) -> None:
    window = timed_window
    sim.inject_fault("rate_limit", TOKEN, times=None, retry_after=600)
    error = failed_sync(window, qtbot)
    assert error.kind == "rate_limited" and error.retry_after == 600
    text = window.banner_label.text()
    assert window.banner.isVisible()
    assert text.startswith(
        "The marketplace is limiting requests (too many in a short time), so it was not synced. "
        "Your password and your changes are fine. The app tries again at "
    )
    assert "refused" not in text
    assert window.sync_label.text() == "Marketplace busy"
    assert window.banner_button.text() == "Try again"
    # the next automatic sync waits as long as the marketplace asked
    assert window._sync_timer.interval() == 600_000
    assert window._sync_timer.remainingTime() > EVERY_TWO_MINUTES
    sim.clear_faults()
    with qtbot.waitSignal(window.sync_succeeded, timeout=20000):
        window.banner_button.click()  # the vendor need not wait
    assert not window.banner.isVisible()
    assert window._sync_timer.interval() == EVERY_TWO_MINUTES


def test_maintenance_says_so(timed_window: MainWindow, sim: Any, qtbot: Any) -> None:
    sim.inject_fault("maintenance", ".*", times=None, retry_after=600)
    error = failed_sync(timed_window, qtbot)
    assert error.kind == "unavailable"
    assert timed_window.banner_label.text().startswith(
        "The marketplace is temporarily unavailable (maintenance or overload), so it was not "
        "synced. Your changes wait. The app tries again at "
    )
    assert timed_window.sync_label.text() == "Marketplace unavailable"


def test_a_login_form_captcha_is_not_a_refused_password(
    window: MainWindow, sim: Any, qtbot: Any
) -> None:
    sim.inject_fault("plugin_inactive", "jwt-auth/v1", times=None)
    sim.inject_fault(
        "login_challenge",
        r"^/wp-login\.php",
        method="POST",
        times=None,
        message="<strong>Error:</strong> Please solve the CAPTCHA.",
    )
    try:
        error = failed_sync(window, qtbot)
    finally:
        sim.clear_faults()
    assert error.kind == "sign_in"
    assert window.banner_label.text() == (
        "Sync failed: The marketplace's login page did not sign you in; it says: “Please solve "
        "the CAPTCHA.”. Your password was not refused."
    )
    assert window.sync_label.text() == "Sync failed"  # not "Sign-in refused"


def test_account_dialog_names_a_rate_limit(sim: Any, qtbot: Any, app: Any) -> None:
    sim.inject_fault("rate_limit", TOKEN, times=None, retry_after=60)
    try:
        dialog = AccountDialog(None)
        qtbot.addWidget(dialog)
        user = vendor(sim)
        dialog.url_edit.setText(sim.base_url)
        dialog.login_edit.setText(user["login"])
        dialog.password_edit.setText(user["password"])
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20000)
    finally:
        sim.clear_faults()
    assert dialog.last_error is not None and dialog.last_error.kind == "rate_limited"
    assert dialog.status_label.text().startswith(
        "The marketplace is limiting requests; try again later.\nThe marketplace is limiting "
    )
    assert not dialog.save_button.isEnabled()
