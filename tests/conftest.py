"""Project-wide test settings."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.engine import Engine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Real HTTP exchanges with a real WCFM marketplace, carried by the repository (README there).
RECORDED = REPO_ROOT / "tests" / "recorded"


def translations_tool() -> ModuleType:
    """``packaging/translations.py``, loaded by its path (a ``packaging`` package is pip's)."""
    name = "vd_translations"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, REPO_ROOT / "packaging" / "translations.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def cache_at_revision(folder: Path, revision: str) -> Engine:
    """An engine on a cache file in ``folder`` migrated only up to ``revision`` — the cache an
    older version of the app left (the caller disposes of the engine)."""
    from alembic import command
    from sqlalchemy import create_engine

    from vendor_desk.cache import DB_FILENAME
    from vendor_desk.cache.db import _alembic_config

    engine = create_engine(f"sqlite:///{folder / DB_FILENAME}")
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return engine


def store_in_old_cache(
    engine: Engine, account_id: int, orders: Sequence[Any], *, seen_at: datetime
) -> None:
    """Store ``orders`` with today's code in a cache an older version left (``cache_at_revision``):
    the columns added since are there for the write only (SQLite's ADD / DROP COLUMN), so the
    rows are what that version would have written."""
    from sqlalchemy import inspect
    from sqlalchemy.orm import Session

    from vendor_desk.cache import store
    from vendor_desk.cache.models import Base

    added: list[tuple[str, str]] = []
    with engine.begin() as connection:
        inspector = inspect(connection)
        for table in ("orders", "line_items"):
            present = {column["name"] for column in inspector.get_columns(table)}
            for name in Base.metadata.tables[table].columns.keys():  # noqa: SIM118 (names)
                if name not in present:
                    connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {name}")
                    added.append((table, name))
    with Session(engine) as session, session.begin():
        store.store_orders(session, account_id, orders, seen_at=seen_at)
    with engine.begin() as connection:
        for table, name in added:
            connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {name}")


@pytest.fixture
def file_keyring(tmp_path: Path) -> Iterator[PlaintextKeyring]:
    """A real keyring backend (keyrings.alt's plaintext file) in a temp folder, as the process's
    keyring for the test."""
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring" / "keyring_pass.cfg")  # type: ignore[misc]
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


class StoreAdmin:
    """The marketplace's store admin changing orders behind the vendor's back, as on the real
    site (files 160–233): WooCommerce's own REST API (``/wp-json/wc/v3/orders…``) with the
    admin's application password, over HTTP."""

    def __init__(self, sim: Any) -> None:
        import requests

        admin = next(user for user in sim.users if user["role"] == "administrator")
        self._api = f"{sim.base_url}/wp-json/wc/v3/orders"
        self._session = requests.Session()
        self._session.auth = (admin["login"], admin["app_password"])

    def _call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = self._session.request(method, self._api + path, timeout=10, **kwargs)
        assert response.status_code == expect, response.text[:300]
        return response.json()

    def trash(self, order_id: int) -> None:
        """DELETE without ``force``: to the trash."""
        self._call("DELETE", f"/{order_id}")

    def delete(self, order_id: int) -> None:
        """DELETE ``force=true``: gone for good."""
        self._call("DELETE", f"/{order_id}", params={"force": "true"})

    def set_status(self, order_id: int, status: str) -> None:
        """PUT the main status (cancelled, completed …; on a trashed order: the restore)."""
        self._call("PUT", f"/{order_id}", json={"status": status})

    def refund(self, order_id: int, amount: str, reason: str = "") -> None:
        """A WooCommerce refund of an amount (no items), as the admin makes it."""
        body = {"amount": amount, "reason": reason, "api_refund": False}
        self._call("POST", f"/{order_id}/refunds", 201, json=body)

    def set_shipping(self, order_id: int, **fields: str) -> None:
        self._call("PUT", f"/{order_id}", json={"shipping": fields})

    def create(self, customer_id: int, product_id: int, quantity: int = 1) -> int:
        """A paid, processing order with a "Flat rate" 5.00 line (file 230); its id."""
        body = {
            "customer_id": customer_id,
            "status": "processing",
            "set_paid": True,
            "payment_method": "cod",
            "line_items": [{"product_id": product_id, "quantity": quantity}],
            "shipping_lines": [
                {"method_id": "flat_rate", "method_title": "Flat rate", "total": "5.00"}
            ],
        }
        return int(self._call("POST", "", 201, json=body)["id"])
