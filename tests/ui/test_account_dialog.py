"""Account setup against the simulator over real HTTP: success and each failure, and where the
secret goes."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import vendor
from vendor_desk.cache import open_cache
from vendor_desk.cache.queries import list_accounts
from vendor_desk.secrets import SecretStore
from vendor_desk.ui.account_dialog import AccountDialog
from vendor_desk.ui.application import save_account


def _fill(dialog: AccountDialog, url: str, login: str, password: str) -> None:
    dialog.url_edit.setText(url)
    dialog.login_edit.setText(login)
    dialog.password_edit.setText(password)


def _test(dialog: AccountDialog, qtbot: Any) -> None:
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20000)


def test_success_reports_what_the_marketplace_offers(sim: Any, qtbot: Any, app: Any) -> None:
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    user = vendor(sim)
    _fill(dialog, sim.base_url, user["login"], user["password"])
    _test(dialog, qtbot)
    assert dialog.result_probe is not None
    text = dialog.status_label.text()
    assert "JWT" in text and "WCFM Ultimate is installed" in text
    assert dialog.save_button.isEnabled()


def test_application_password_is_read_only(sim: Any, qtbot: Any, app: Any) -> None:
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    user = vendor(sim)
    _fill(dialog, sim.base_url, user["login"], user["app_password"])
    dialog.app_password_box.setChecked(True)
    assert dialog.app_password_hint.isVisible()  # the reason is shown
    _test(dialog, qtbot)
    assert dialog.result_probe is not None and dialog.result_probe.auth_method == "app-password"
    assert "read only" in dialog.status_label.text()


@pytest.mark.parametrize(
    ("case", "kind", "words"),
    [
        ("wrong-password", "auth", "refused"),
        ("unreachable", "unreachable", "cannot be reached"),
        ("not-vendor", "not_allowed", "not a vendor"),
        ("not-wcfm", "invalid", "WCFM"),
        ("http-remote", "insecure", "https"),
    ],
)
def test_each_failure_is_explained(
    sim: Any, qtbot: Any, app: Any, case: str, kind: str, words: str
) -> None:
    user = vendor(sim)
    admin = next(u for u in sim.users if u["role"] == "administrator")
    url, login, password = {
        "wrong-password": (sim.base_url, user["login"], "nope"),
        "unreachable": ("http://127.0.0.1:9", user["login"], "x"),
        "not-vendor": (sim.base_url, admin["login"], admin["password"]),
        "not-wcfm": (sim.base_url + "/not-a-shop", user["login"], user["password"]),
        "http-remote": ("http://shop.example.com", user["login"], "x"),
    }[case]
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    _fill(dialog, url, login, password)
    _test(dialog, qtbot)
    assert dialog.last_error is not None and dialog.last_error.kind == kind
    assert words.lower() in dialog.status_label.text().lower()
    assert not dialog.save_button.isEnabled()


@pytest.fixture
def wordpress_without_wcfm() -> Iterator[str]:
    """A WordPress site whose REST index lacks the WCFM namespace."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps({"name": "Blog", "namespaces": ["wp/v2", "jwt-auth/v1"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_missing_rest_add_on(wordpress_without_wcfm: str, qtbot: Any, app: Any) -> None:
    dialog = AccountDialog(None)
    qtbot.addWidget(dialog)
    _fill(dialog, wordpress_without_wcfm, "someone", "pw")
    _test(dialog, qtbot)
    assert dialog.last_error is not None and dialog.last_error.kind == "capability"
    assert "REST API" in dialog.status_label.text()


def test_saving_puts_the_secret_in_the_keyring_only(
    sim: Any, qtbot: Any, app: Any, tmp_path: Path, plaintext_keyring: Any
) -> None:
    data_dir = tmp_path / "data"
    cache = open_cache(data_dir)
    secrets = SecretStore()
    user = vendor(sim)
    dialog = AccountDialog(
        lambda account, probe: save_account(cache, secrets, account, probe) and None
    )
    qtbot.addWidget(dialog)
    _fill(dialog, sim.base_url, user["login"], user["password"])
    _test(dialog, qtbot)
    dialog.save_button.click()
    assert dialog.result() == AccountDialog.DialogCode.Accepted
    with cache.session() as session:
        accounts = list_accounts(session)
    assert [a.login for a in accounts] == [user["login"]]
    assert secrets.get(sim.base_url, user["login"]) == user["password"]
    assert (
        plaintext_keyring.get_password("Vendor Desk", f"{sim.base_url}|{user['login']}")
        == (user["password"])
    )
    cache.close()
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert user["password"].encode() not in path.read_bytes(), path


def test_without_keyring_the_dialog_says_so(qtbot: Any, app: Any) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    store = SecretStore(FailKeyring())
    dialog = AccountDialog(None, keyring_warning=store.warning)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not store.persistent
    assert dialog.keyring_label.isVisible() and "session" in dialog.keyring_label.text()
