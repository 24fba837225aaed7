"""Fixtures: a fresh simulator per test on 127.0.0.1 (random port), and clients for it.

Timeouts and backoff are tiny so fault tests stay fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from vendor_desk.domain import AuthMethod
from vendor_desk.marketplace import HttpSettings, WcfmMarketplace
from vendor_desk.sandbox.server import Simulator

FAST = HttpSettings(
    connect_timeout=2.0,
    read_timeout=2.0,
    read_retries=2,
    backoff_factor=0.01,
    backoff_max=0.05,
    retry_after_max=0.05,
)


@dataclass
class Site:
    """A running simulator plus the log of every request line it answered."""

    sim: Simulator
    requests: list[str] = field(default_factory=list)

    def client(
        self,
        login: str = "vendor_a",
        auth: AuthMethod | None = None,
        settings: HttpSettings = FAST,
    ) -> WcfmMarketplace:
        user = next(u for u in self.sim.users if u["login"] == login)
        secret = user["app_password"] if auth is AuthMethod.APP_PASSWORD else user["password"]
        return WcfmMarketplace(self.sim.base_url, login, secret, auth=auth, settings=settings)

    def sent(self, method: str, path_part: str) -> int:
        """How many answered requests had this method and contained ``path_part``."""
        return sum(
            1 for line in self.requests if line.startswith(f'"{method} ') and path_part in line
        )

    def fault_hits(self, fault_id: int) -> int:
        for fault in self.sim.faults():
            if fault["id"] == fault_id:
                return int(fault["hits"])
        raise KeyError(fault_id)


def _start(edition: str) -> Iterator[Site]:
    site = Site(sim=None)  # type: ignore[arg-type]
    with Simulator(edition=edition, log=site.requests.append) as sim:  # type: ignore[arg-type]
        site.sim = sim
        yield site


@pytest.fixture
def ultimate() -> Iterator[Site]:
    yield from _start("ultimate")


@pytest.fixture
def free() -> Iterator[Site]:
    yield from _start("free")


@pytest.fixture(params=["ultimate", "free"])
def any_edition(request: pytest.FixtureRequest) -> Iterator[Site]:
    yield from _start(request.param)


ClientFactory = Callable[..., WcfmMarketplace]
