"""What answering costs a real marketplace: a cost model for the simulator, and its meter.

The simulator answers a page of 100 orders in a few milliseconds; a real WordPress +
WooCommerce + WCFM site takes more than half a second, and answers only a few requests at once.
Benchmarks of the sync against the bare simulator therefore reward asking for much more than a
real site could afford. With a :class:`CostModel` the simulator takes the real site's time:

* an **order list** (``GET /wcfmmp/v1/orders``, WooCommerce's ``GET /wc/v3/orders``, the
  dashboard's order table through admin-ajax) takes ``per_request + per_order × orders in the
  answer`` — the figures measured on a real site (issue 14: 5,000 orders of one vendor, PHP with
  4 workers, loopback) were ≈ 0.13 s plus ≈ 4.9 ms per order: 20 a page 0.23 s, 50 0.40 s, 100
  0.62 s;
* **one order** (``GET /wcfmmp/v1/orders/{id}``, ``GET /wc/v3/orders/{id}``) takes
  ``single_order`` (measured ≈ 0.09 s: cheaper than an empty list, which also counts and sorts);
* **everything else** — notes, notifications, the JWT token, ``wp-login.php``, the dashboard
  page, other admin-ajax calls, writes (status, tracking, notes), other REST reads — takes
  ``per_request``. Nothing else was measured; every one of them boots WordPress and its plugins
  like a list request does, which is most of the fixed cost. (A real dashboard page or a write
  that sends mails is probably dearer: the model errs on the cheap side there.)

At most ``workers`` requests are worked on at once, like PHP-FPM's worker pool behind the web
server: more concurrent requests wait for a free worker (a semaphore around the work). The time
is really spent (``time.sleep`` inside the worker slot, for what the simulator's own work did
not already take), so wall-clock benchmarks see it; an answer takes at least its modelled time.

Whether or not a cost model is set, :class:`ServerMeter` counts what the server did: requests
and orders returned per kind of route, the modelled server seconds (0 without a model), the
seconds the workers were busy and the seconds requests waited for a worker. The control surface
(``/_sandbox/…``) is neither costed nor counted; an injected fault that answers without reaching
the marketplace (a 429, a reset …) stands in front of PHP: it costs nothing and is counted as
kind ``fault``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from vendor_desk.sandbox.http import Request, Response

#: Kinds of requests the meter tells apart (``ServerMeter.stats()["by_kind"]``).
KINDS = (
    "orders",  # a list of orders (vendor REST list, wc/v3 list, the dashboard's order table)
    "order",  # one order (GET)
    "notes",  # an order's notes (read or write)
    "notifications",  # the vendor's notification board
    "token",  # JWT token / validate
    "write",  # any other REST request that is not a GET (status, tracking, refunds …)
    "rest",  # any other REST GET (site index, settings, sales stats …)
    "login",  # wp-login.php
    "dashboard",  # /store-manager/ pages
    "ajax",  # wp-admin/admin-ajax.php other than the order table
    "other",  # uploads, 404 pages …
    "fault",  # answered by an injected fault without reaching the marketplace
)

_REST_PREFIX = "/wp-json"
_LOGIN = "/wp-login.php"
_AJAX = "/wp-admin/admin-ajax.php"
_STORE_MANAGER = "/store-manager"


@dataclass(frozen=True)
class CostModel:
    """Seconds a real marketplace spends per answer (see the module docstring).

    Defaults: the real site of issue 14 (≈ 0.13 s a request, ≈ 4.9 ms per order returned,
    ≈ 0.09 s for one order, 4 PHP workers)."""

    per_request: float = 0.13
    per_order: float = 0.0049
    single_order: float = 0.09
    workers: int = 4

    def __post_init__(self) -> None:
        if min(self.per_request, self.per_order, self.single_order) < 0:
            raise ValueError("costs must be zero or more seconds")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")

    def seconds(self, kind: str, orders: int = 0) -> float:
        """The modelled server time of one answer of ``kind`` carrying ``orders`` orders."""
        if kind == "fault":
            return 0.0
        if kind == "order":
            return self.single_order
        return self.per_request + self.per_order * orders

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


#: The real marketplace measured in issue 14.
REAL_MARKETPLACE = CostModel()


def route_kind(request: Request) -> str:
    """Which kind of request this is, for the cost model and the counters."""
    path = request.path
    rest = None
    if path == _REST_PREFIX or path.startswith(_REST_PREFIX + "/"):
        rest = path[len(_REST_PREFIX) :]
    elif request.arg("rest_route") is not None:
        rest = request.arg("rest_route") or "/"
    if rest is not None:
        route = rest.rstrip("/") or "/"
        method = (
            request.arg("_method") or request.header("x-http-method-override") or request.method
        ).upper()
        read = method in ("GET", "HEAD")
        parts = route.strip("/").split("/")
        if route.startswith("/jwt-auth/"):
            return "token"
        if parts[:3] in (["wcfmmp", "v1", "orders"], ["wc", "v3", "orders"]):
            tail = parts[3:]
            if "note" in tail or "notes" in tail:
                return "notes"
            if not tail:
                return "orders" if read else "write"
            if len(tail) == 1 and tail[0].isdigit():
                return "order" if read else "write"
            return "write" if not read else "rest"
        if parts[:3] == ["wcfmmp", "v1", "notifications"]:
            return "notifications"
        return "rest" if read else "write"
    if path == _LOGIN:
        return "login"
    if path == _AJAX:
        controller = request.form().get("controller") or request.query.get("controller") or []
        return "orders" if controller[-1:] == ["wcfm-orders"] else "ajax"
    if path == _STORE_MANAGER or path.startswith(_STORE_MANAGER + "/"):
        return "dashboard"
    return "other"


class ServerMeter:
    """Costs answers by a :class:`CostModel` (when set) and counts them.

    Thread-safe; one per simulator. :meth:`serve` wraps the answering of one request."""

    def __init__(self, cost: CostModel | None = None) -> None:
        self._lock = threading.Lock()
        self._cost = cost
        self._workers = threading.BoundedSemaphore(cost.workers) if cost else None
        self._reset_counters()

    @property
    def cost(self) -> CostModel | None:
        return self._cost

    def _reset_counters(self) -> None:
        self._since = time.perf_counter()
        self._by_kind: dict[str, dict[str, float]] = {}
        self._queued = 0.0
        self._in_flight = 0
        self._max_in_flight = 0

    def serve(self, request: Request, answer: Callable[[], Response]) -> Response:
        """``answer()`` the request in a worker slot and take the modelled time; count it."""
        kind = route_kind(request)
        waited = time.perf_counter()
        if self._workers is not None:
            self._workers.acquire()
        try:
            started = time.perf_counter()
            with self._lock:
                self._queued += started - waited
                self._in_flight += 1
                self._max_in_flight = max(self._max_in_flight, self._in_flight)
            try:
                response = answer()
                if response.orders is not None:
                    orders = response.orders
                else:
                    orders = 1 if kind == "order" and response.status == 200 else 0
                modelled = self._cost.seconds(kind, orders) if self._cost is not None else 0.0
                remaining = modelled - (time.perf_counter() - started)
                if remaining > 0:
                    time.sleep(remaining)
            finally:
                with self._lock:
                    self._in_flight -= 1
        finally:
            if self._workers is not None:
                self._workers.release()
        self._record(kind, orders, modelled, time.perf_counter() - started)
        return response

    def count_fault(self) -> None:
        """An injected fault answered in front of the marketplace: no cost, counted."""
        self._record("fault", 0, 0.0, 0.0)

    def _record(self, kind: str, orders: int, modelled: float, busy: float) -> None:
        with self._lock:
            entry = self._by_kind.setdefault(
                kind, {"requests": 0, "orders": 0, "modelled_seconds": 0.0, "busy_seconds": 0.0}
            )
            entry["requests"] += 1
            entry["orders"] += orders
            entry["modelled_seconds"] += modelled
            entry["busy_seconds"] += busy

    def stats(self) -> dict[str, Any]:
        """What the server did since the start or the last :meth:`reset`: ``requests``,
        ``orders`` returned, ``modelled_seconds`` (the cost model's server time; 0 without
        one), ``busy_seconds`` (time spent answering, sleeps included), ``queued_seconds``
        (waiting for a free worker), ``max_in_flight``, ``elapsed_seconds`` (wall time since
        the reset), ``by_kind`` (the same per kind of request) and ``cost`` (the model or
        None)."""
        with self._lock:
            return self._snapshot()

    def reset(self) -> dict[str, Any]:
        """Start counting afresh; returns the counts until now (read and reset at once)."""
        with self._lock:
            before = self._snapshot()
            in_flight = self._in_flight
            self._reset_counters()
            self._in_flight = in_flight
            return before

    def _snapshot(self) -> dict[str, Any]:
        """:meth:`stats` (the caller holds the lock)."""
        by_kind = {
            kind: {
                "requests": int(entry["requests"]),
                "orders": int(entry["orders"]),
                "modelled_seconds": round(entry["modelled_seconds"], 6),
                "busy_seconds": round(entry["busy_seconds"], 6),
            }
            for kind, entry in sorted(self._by_kind.items())
        }
        entries = self._by_kind.values()
        return {
            "cost": self._cost.as_dict() if self._cost is not None else None,
            "requests": sum(entry["requests"] for entry in by_kind.values()),
            "orders": sum(entry["orders"] for entry in by_kind.values()),
            "modelled_seconds": round(sum(entry["modelled_seconds"] for entry in entries), 6),
            "busy_seconds": round(sum(entry["busy_seconds"] for entry in entries), 6),
            "queued_seconds": round(self._queued, 6),
            "max_in_flight": self._max_in_flight,
            "elapsed_seconds": round(time.perf_counter() - self._since, 6),
            "by_kind": by_kind,
        }
