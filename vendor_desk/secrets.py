"""Passwords in the OS keyring, and nowhere else. No Qt.

:class:`SecretStore` keeps each account's password under the service ``"Vendor Desk"`` with the
user name ``"<base_url>|<login>"``. When no usable keyring exists (keyring's ``fail`` backend, an
empty chainer, a backend that errors), it falls back to memory for this session only and says so
through :attr:`SecretStore.persistent` and :attr:`SecretStore.warning`. Secrets are never written
to the database, settings or logs.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import keyring
import keyring.errors

log = logging.getLogger("vendor_desk.secrets")

SERVICE = "Vendor Desk"
NO_KEYRING_WARNING = (
    "No keyring is available on this computer, so the password is kept for this session only: "
    "you will be asked for it again next time."
)


def secret_key(base_url: str, login: str) -> str:
    """The keyring user name of one account."""
    return f"{base_url}|{login}"


def _usable(backend: Any) -> bool:
    """False for keyring's fail backend and for a chainer without backends."""
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail"):
        return False
    if module.startswith("keyring.backends.chainer"):
        return bool(getattr(backend, "backends", []))
    priority = getattr(backend, "priority", 1)
    try:
        return float(priority) > 0
    except (TypeError, ValueError):
        return True


class SecretStore:
    """Account passwords: OS keyring when usable, else memory for this session.

    Args:
        backend: a keyring backend to use instead of keyring's current one (tests).
    """

    def __init__(self, backend: Any | None = None) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        self._persistent = _usable(self._backend)
        if not self._persistent:
            # Info, not warning: the callers tell the user (the window through ``warning``, the
            # command line in its own words); a warning would reach the terminal unformatted.
            log.info("no usable keyring backend (%s)", type(self._backend).__name__)

    @property
    def persistent(self) -> bool:
        """True when secrets survive the session (a real keyring is in use)."""
        return self._persistent

    @property
    def warning(self) -> str:
        """A plain-language warning for the UI; empty when the keyring is fine."""
        return "" if self._persistent else NO_KEYRING_WARNING

    def _fall_back(self, error: Exception) -> None:
        log.warning("the keyring failed (%s); keeping secrets for this session only", error)
        self._persistent = False

    def set(self, base_url: str, login: str, secret: str) -> None:
        key = secret_key(base_url, login)
        with self._lock:
            if self._persistent:
                try:
                    self._backend.set_password(SERVICE, key, secret)
                    return
                except keyring.errors.KeyringError as error:
                    self._fall_back(error)
                except Exception as error:  # backends raise all sorts (dbus, OSError …)
                    self._fall_back(error)
            self._memory[key] = secret

    def get(self, base_url: str, login: str) -> str | None:
        key = secret_key(base_url, login)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            if not self._persistent:
                return None
            try:
                value = self._backend.get_password(SERVICE, key)
            except Exception as error:
                self._fall_back(error)
                return None
            return None if value is None else str(value)

    def delete(self, base_url: str, login: str) -> None:
        key = secret_key(base_url, login)
        with self._lock:
            self._memory.pop(key, None)
            if not self._persistent:
                return
            try:
                self._backend.delete_password(SERVICE, key)
            except keyring.errors.PasswordDeleteError:
                pass  # nothing stored
            except Exception as error:
                self._fall_back(error)
