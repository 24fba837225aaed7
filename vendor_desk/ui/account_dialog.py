"""Account setup: marketplace address, user name and password, with "Test connection".

The test runs on a worker thread and says exactly what is wrong (unreachable, wrong password, not a
vendor account, not a WCFM marketplace, REST API add-on missing, plain http to a remote host) or
what the marketplace offers (JWT or cookie sign-in, WCFM Ultimate or not).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vendor_desk.domain import AuthMethod
from vendor_desk.marketplace.probe import AccountInput, ProbeResult, probe_marketplace
from vendor_desk.ui.icons import app_icon
from vendor_desk.ui.workers import AccountWorker, JobError


class AccountDialog(QDialog):
    """Add (or re-enter) a marketplace account.

    Args:
        save: called with ``(AccountInput, ProbeResult)`` when the vendor clicks Save after a
            successful test; returns an error text to show, or None when saved.
        keyring_warning: shown under the password when no persistent keyring exists.
    """

    def __init__(
        self,
        save: Callable[[AccountInput, ProbeResult], str | None] | None = None,
        *,
        keyring_warning: str = "",
        initial: AccountInput | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect your marketplace account"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(520)
        self._save = save
        self.result_probe: ProbeResult | None = None
        self.last_error: JobError | None = None
        self._worker = AccountWorker("account-test", self)
        self._worker.finished.connect(self._test_finished)
        self._worker.failed.connect(self._test_failed)

        intro = QLabel(
            self.tr(
                "Vendor Desk signs in to your marketplace as you, to read your orders. "
                "Use the user name and password you use for the vendor dashboard."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("intro")

        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://shop.example.com")
        self.login_edit = QLineEdit()
        self.login_edit.setPlaceholderText(self.tr("your vendor user name"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.app_password_box = QCheckBox(self.tr("This is an application password (read only)"))
        self.app_password_hint = QLabel(
            self.tr(
                "With an application password the app can only read your orders: this "
                "marketplace breaks changes (notes, shipping) made with one, so actions stay "
                "disabled. Use your login password to work on orders."
            )
        )
        self.app_password_hint.setWordWrap(True)
        self.app_password_hint.setObjectName("hint_info")
        self.app_password_hint.setVisible(False)
        self.app_password_box.toggled.connect(self.app_password_hint.setVisible)
        self.keyring_label = QLabel(keyring_warning)
        self.keyring_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setObjectName("hint_warning")
        self.keyring_label.setVisible(bool(keyring_warning))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Marketplace address"), self.url_edit)
        form.addRow(self.tr("User name"), self.login_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow("", self.app_password_box)
        form.addRow("", self.app_password_hint)

        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setObjectName("testButton")
        self.test_button.clicked.connect(self.test_connection)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("testResult")
        self.status_label.setVisible(False)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        for edit in (self.url_edit, self.login_edit, self.password_edit):
            edit.textChanged.connect(self._inputs_changed)
        self.app_password_box.toggled.connect(self._inputs_changed)
        if initial is not None:
            self.url_edit.setText(initial.base_url)
            self.login_edit.setText(initial.login)
            self.app_password_box.setChecked(initial.app_password)
        self._inputs_changed()

    # ----------------------------------------------------------------- input
    def account_input(self) -> AccountInput:
        url = self.url_edit.text().strip()
        if url and "://" not in url:
            url = "https://" + url
        return AccountInput(
            base_url=url,
            login=self.login_edit.text().strip(),
            password=self.password_edit.text(),
            app_password=self.app_password_box.isChecked(),
        )

    @Slot()
    def _inputs_changed(self) -> None:
        account = self.account_input()
        complete = bool(account.base_url and account.login and account.password)
        self.test_button.setEnabled(complete and not self._worker.is_busy())
        self.result_probe = None
        self.save_button.setEnabled(False)

    # ----------------------------------------------------------------- test
    @Slot()
    def test_connection(self) -> None:
        account = self.account_input()

        def job(_progress: Any, _cancel: threading.Event) -> ProbeResult:
            return probe_marketplace(account)

        self.last_error = None
        self.result_probe = None
        self.save_button.setEnabled(False)
        self.test_button.setEnabled(False)
        self._show_status(self.tr("Connecting to {url}…").format(url=account.base_url), "info")
        self._worker.submit("test", job)

    @Slot(str, object)
    def _test_finished(self, _name: str, probe: ProbeResult) -> None:
        self.test_button.setEnabled(True)
        if probe.login != self.account_input().login:
            return  # the inputs changed while testing
        self.result_probe = probe
        method = {
            AuthMethod.JWT.value: self.tr("token sign-in (JWT)"),
            AuthMethod.COOKIE.value: self.tr("cookie sign-in (no JWT plugin on this site)"),
            AuthMethod.APP_PASSWORD.value: self.tr("application password — read only"),
        }.get(probe.auth_method, probe.auth_method)
        if probe.ultimate is True:
            ultimate = self.tr("WCFM Ultimate is installed: notes and tracking numbers work.")
        elif probe.ultimate is False:
            ultimate = self.tr(
                "WCFM Ultimate is not installed: you can read orders and change statuses, but "
                "not add notes or tracking numbers from the app."
            )
        else:
            ultimate = self.tr("Whether WCFM Ultimate is installed could not be checked.")
        lines = [
            self.tr("Connected to “{store}” as {name}.").format(
                store=probe.store_name or probe.base_url, name=probe.display_name or probe.login
            ),
            self.tr("Sign-in: {method}.").format(method=method),
            self.tr("JWT sign-in available: {answer}.").format(
                answer=self.tr("yes") if probe.jwt_available else self.tr("no")
            ),
            ultimate,
        ]
        self._show_status("\n".join(lines), "ok")
        self.save_button.setEnabled(True)

    @Slot(str, object)
    def _test_failed(self, _name: str, error: JobError) -> None:
        self.test_button.setEnabled(True)
        self.last_error = error
        headline = {
            "unreachable": self.tr("The marketplace cannot be reached."),
            "auth": self.tr("The user name or password was refused."),
            "sign_in": self.tr("Signing in did not work, although the password was not refused."),
            "rate_limited": self.tr("The marketplace is limiting requests; try again later."),
            "unavailable": self.tr("The marketplace is temporarily unavailable."),
            "not_allowed": self.tr("This is not a vendor account."),
            "capability": self.tr("The marketplace lacks something the app needs."),
            "invalid": self.tr("This does not look like a WCFM marketplace."),
            "insecure": self.tr("Insecure address."),
            "server": self.tr("The marketplace had an internal error."),
        }.get(error.kind, self.tr("The connection test failed."))
        self._show_status(f"{headline}\n{error.message}", "error")

    def _show_status(self, text: str, kind: str) -> None:
        self.status_label.setText(text)
        self.status_label.setProperty("state", kind)
        self.status_label.setObjectName(
            {"ok": "hint_ok", "error": "hint_error"}.get(kind, "hint_info")
        )
        self.status_label.style().unpolish(self.status_label)
        self.status_label.style().polish(self.status_label)
        self.status_label.setVisible(True)

    # ----------------------------------------------------------------- save
    @Slot()
    def _accept(self) -> None:
        if self.result_probe is None:
            return
        if self._save is not None:
            problem = self._save(self.account_input(), self.result_probe)
            if problem:
                self._show_status(problem, "error")
                return
        self.accept()

    def done(self, result: int) -> None:
        self._worker.cancel()
        super().done(result)

    def closeEvent(self, event: Any) -> None:
        self._worker.shutdown(timeout=0.1)
        super().closeEvent(event)
