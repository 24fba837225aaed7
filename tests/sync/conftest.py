"""Fixtures for sync tests: a generated simulator on loopback, a real cache file, a syncer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vendor_desk.cache import Cache, add_account, open_cache
from vendor_desk.domain import AuthMethod
from vendor_desk.marketplace import HttpSettings, WcfmMarketplace
from vendor_desk.sandbox.generated import generate
from vendor_desk.sandbox.model import MarketplaceState
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer

FAST = HttpSettings(
    connect_timeout=2.0,
    read_timeout=5.0,
    read_retries=0,
    backoff_factor=0.01,
    backoff_max=0.05,
    retry_after_max=0.05,
)


@dataclass
class Env:
    sim: Simulator
    cache: Cache
    account_id: int
    login: str
    password: str
    data_dir: Path

    def client(self, auth: AuthMethod | None = None) -> WcfmMarketplace:
        user = next(u for u in self.sim.users if u["login"] == self.login)
        secret = user["app_password"] if auth is AuthMethod.APP_PASSWORD else self.password
        return WcfmMarketplace(self.sim.base_url, self.login, secret, auth=auth, settings=FAST)

    def syncer(self, auth: AuthMethod | None = None, **kwargs: object) -> Syncer:
        return Syncer(self.cache, self.account_id, self.client(auth), **kwargs)  # type: ignore[arg-type]

    def server_orders(self) -> dict[int, tuple[str, str, str]]:
        """Every order the marketplace lists for the vendor: id -> (vendor, main, modified)."""
        with self.client() as market:
            return {
                order.id: (
                    order.vendor_status.slug,
                    order.main_status.slug,
                    order.date_modified.isoformat() if order.date_modified else "",
                )
                for page in market.iter_order_pages()
                for order in page
            }


def make_env(tmp_path: Path, orders: int, seed: int = 7, currency: str = "") -> Iterator[Env]:
    """The generated shop (in ``currency`` when given, else its own) synced into a fresh
    cache under ``tmp_path``."""
    state = None
    if currency:
        state = MarketplaceState()
        generate(state, seed=seed, orders=orders, currency=currency)
    with Simulator(dataset="generated", orders=orders, seed=seed, state=state) as sim:
        login = sim.demo_vendor
        password = next(u for u in sim.users if u["login"] == login)["password"]
        cache = open_cache(tmp_path / "data")
        with cache.session() as session:
            account_id = add_account(session, sim.base_url, login, "Demo", 2, "jwt")
        try:
            yield Env(sim, cache, account_id, login, password, tmp_path / "data")
        finally:
            cache.close()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    yield from make_env(tmp_path, orders=400)
