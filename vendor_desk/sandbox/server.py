"""The simulator's HTTP server and its Python face, :class:`Simulator`.

One ``ThreadingHTTPServer`` on loopback (HTTP/1.1 keep-alive, Nagle off, exact
``Content-Length``) answers, in this order:

1. the control surface ``/_sandbox/…`` (never subject to faults);
2. an injected fault, if one matches (see :mod:`vendor_desk.sandbox.faults`);
3. the dashboard surface (``/wp-login.php``, ``/store-manager/…``, ``/wp-admin/admin-ajax.php``)
   of :mod:`vendor_desk.sandbox.dashboard`, when that module is present;
4. the REST API (``/wp-json/…``) of :mod:`vendor_desk.sandbox.rest`;
5. otherwise WordPress's 404 page.

Example::

    with Simulator(edition="ultimate") as sim:
        requests.get(f"{sim.base_url}/wp-json/wcfmmp/v1/orders", auth=("vendor_a", app_password))
"""

from __future__ import annotations

import contextlib
import importlib
import random
import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

from vendor_desk.sandbox import control, operations, render
from vendor_desk.sandbox.auth import Authenticator
from vendor_desk.sandbox.cost import CostModel, ServerMeter
from vendor_desk.sandbox.faults import FaultInjector
from vendor_desk.sandbox.http import (
    HTML_CONTENT_TYPE,
    NOT_FOUND_PAGE,
    Request,
    Response,
    text_response,
)
from vendor_desk.sandbox.model import Edition, MarketplaceState, SiteSettings
from vendor_desk.sandbox.rest import RestApi

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_BODY = 16 * 1024 * 1024
#: The datasets a simulator can load (see :mod:`vendor_desk.sandbox.datasets`).
DATASETS = ("recorded", "generated", "shop")
#: How many orders a dataset gets when ``orders`` is not given.
DEFAULT_ORDERS = {"generated": 300, "shop": 5000}
#: The languages of the generated datasets: "en" (an international marketplace in US dollars)
#: and "fr" (a French shop selling in euros; see :mod:`vendor_desk.sandbox.names_fr`).
LOCALES = ("en", "fr")


class _Drop(Exception):
    """Close the connection without (or after) a response."""


def _abort_connection(sock: socket.socket) -> None:
    """Reset the TCP connection (RST, not FIN) so the client sees ECONNRESET."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    simulator: Simulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "Apache"
    sys_version = ""
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        self.server.simulator.log(format % args)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    # ------------------------------------------------------------------ plumbing
    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                total += size
                if total > MAX_BODY:
                    raise _Drop
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise _Drop
        return self.rfile.read(length) if length > 0 else b""

    def _request(self, body: bytes) -> Request:
        parts = urlsplit(self.path)
        return Request(
            method=self.command.upper(),
            path=unquote(parts.path) or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={key.lower(): value for key, value in self.headers.items()},
            body=body,
            client=self.client_address[0],
        )

    def _serve(self) -> None:
        sim = self.server.simulator
        try:
            request = self._request(self._read_body())
        except (_Drop, ValueError):
            self.close_connection = True
            _abort_connection(self.connection)
            return
        if control.is_control_path(request.path):  # no faults, no cost, not counted
            self._send(request, sim.dispatch(request))
            return
        target = self.path if "?" in self.path else request.path
        fault = sim.fault_injector.take(
            request.method, target, unquote_plus(request.body.decode("utf-8", "replace"))
        )
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.delay)
        if fault is not None and fault.hides_from_index(request.path):
            answer = sim.meter.serve(request, lambda: sim.dispatch(request))
            self._send(request, fault.without_namespace(answer))
            return
        if fault is not None and not fault.applies_request:
            sim.meter.count_fault()
            if fault.kind == "reset":
                self.close_connection = True
                _abort_connection(self.connection)
                return
            self._send(request, fault.response(target))
            return
        response = sim.meter.serve(request, lambda: sim.dispatch(request))
        if fault is not None and fault.kind == "apply_then_drop":
            self.close_connection = True
            _abort_connection(self.connection)
            return
        self._send(request, response, truncate=fault is not None and fault.kind == "truncate")

    def _send(self, request: Request, response: Response, *, truncate: bool = False) -> None:
        body = response.body
        self.send_response(response.status)
        self.send_header("X-Powered-By", "PHP/8.2.36")
        for key, value in response.headers:
            if key.lower() not in ("content-length", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        if truncate or (request.header("connection") or "").lower() == "close":
            self.close_connection = True
            self.send_header("Connection", "close")
        self.end_headers()
        if request.method == "HEAD":
            return
        try:
            self.wfile.write(body[: len(body) // 2] if truncate else body)
        except OSError:
            self.close_connection = True


class Simulator:
    """A WCFM marketplace on loopback, for tests, demos and benchmarks.

    Args:
        edition: ``"ultimate"`` (notes and shipment tracking work as WCFM Ultimate) or
            ``"free"`` (note POST 500, shipment tracking a silent no-op).
        dataset: ``"recorded"`` (the recordings' seeded site), ``"generated"`` (a rich demo
            marketplace) or ``"shop"`` (one vendor's real-sized shop, for benchmarks; see
            :func:`vendor_desk.sandbox.datasets.load_shop`).
        seed: random seed of the generated datasets and of new orders.
        orders: number of orders of a generated dataset (default 300 for ``"generated"``,
            5,000 for ``"shop"``).
        locale: the generated datasets' shop: ``"en"`` (default; an international marketplace
            in US dollars) or ``"fr"`` (an upcycling workshop selling in euros to French,
            Belgian, Swiss and German customers, shipping by Colissimo, Mondial Relay and
            Chronopost, its WordPress in French). The recorded dataset has one language.
        new_order_every: place a random new order every this many seconds (None: never).
        host, port: where to listen (loopback by default; port 0 = any free port).
        state: a ready-made state to serve instead of loading ``dataset`` (tests).
        cost: make every answer take a real marketplace's time (see
            :mod:`vendor_desk.sandbox.cost`; ``cost.REAL_MARKETPLACE`` has the measured
            figures); None (default): answer at once. Either way :meth:`server_stats` counts
            the requests.

    After :meth:`start` (or entering the ``with`` block): ``base_url``, ``state``, ``users``
    (``[{login, id, role, password, app_password}]``) and ``demo_vendor`` (a login name).
    """

    def __init__(
        self,
        edition: Edition = "ultimate",
        dataset: str = "recorded",
        seed: int = 1,
        orders: int | None = None,
        new_order_every: float | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        locale: str = "en",
        state: MarketplaceState | None = None,
        log: Callable[[str], None] | None = None,
        cost: CostModel | None = None,
    ) -> None:
        if edition not in ("ultimate", "free"):
            raise ValueError(f"unknown edition {edition!r}")
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}")
        if locale not in LOCALES:
            raise ValueError(f"unknown locale {locale!r}")
        if locale != "en" and dataset == "recorded":
            raise ValueError("the recorded dataset is in English only")
        self.locale = locale
        self.edition: Edition = edition
        self.dataset = dataset
        self.seed = seed
        self.order_count = DEFAULT_ORDERS.get(dataset, 0) if orders is None else orders
        self.meter = ServerMeter(cost)
        self.host = host
        self.port = port
        self.base_url = ""
        self.state: MarketplaceState = state if state is not None else MarketplaceState()
        self._prebuilt = state is not None
        self._log = log
        self.fault_injector = FaultInjector()
        self.sessions: Any = None
        self.auth: Authenticator | None = None
        self.rest: RestApi | None = None
        self._dashboard: Any = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._rng = random.Random(seed)
        self._new_order_every = new_order_every
        self._ticker: threading.Thread | None = None
        self._ticker_stop = threading.Event()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> Simulator:
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), _Handler, bind_and_activate=True)
        server.simulator = self
        self._server = server
        address = server.server_address
        host = address[0] if isinstance(address[0], str) else address[0].decode()
        self.port = int(address[1])
        shown = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown}:{self.port}"
        try:
            self._load_state()
        except BaseException:
            server.server_close()
            self._server = None
            raise
        self.auth = Authenticator(self.state, self.sessions)
        self.rest = RestApi(self.state, self.auth, base_url=lambda: self.base_url)
        self._thread = threading.Thread(
            target=server.serve_forever, name="sandbox-http", kwargs={"poll_interval": 0.1}
        )
        self._thread.daemon = True
        self._thread.start()
        self.set_new_order_every(self._new_order_every)
        return self

    def stop(self) -> None:
        self._stop_ticker()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _load_state(self) -> None:
        from vendor_desk.sandbox import datasets

        if self._prebuilt:
            self.state.settings.site_url = self.base_url
        else:
            self.state = MarketplaceState(SiteSettings(site_url=self.base_url))
            if self.dataset == "recorded":
                datasets.load_recorded(self.state)
            elif self.dataset == "shop":
                datasets.load_shop(
                    self.state, seed=self.seed, orders=self.order_count, locale=self.locale
                )
            else:
                datasets.load_generated(
                    self.state, seed=self.seed, orders=self.order_count, locale=self.locale
                )
            self.state.settings.site_url = self.base_url
        self.state.settings.edition = self.edition
        # A per-run JWT_AUTH_SECRET_KEY: tokens of an earlier run are "Signature verification
        # failed", as after a real site's key rotation.
        self.state.settings.jwt_secret = secrets.token_hex(32)
        try:
            from vendor_desk.sandbox.sessions import SessionStore

            self.sessions = SessionStore(self.state)
        except NotImplementedError:  # pragma: no cover - the dashboard helper's stub
            self.sessions = None
        try:
            self._dashboard = importlib.import_module("vendor_desk.sandbox.dashboard")
        except ImportError:
            self._dashboard = None

    def log(self, line: str) -> None:
        if self._log is not None:
            self._log(line)

    # ------------------------------------------------------------------ dispatch
    def dispatch(self, request: Request) -> Response:
        """Answer one request (no faults here; the HTTP handler applies them)."""
        if control.is_control_path(request.path):
            return control.handle(self, request)
        handle = getattr(self._dashboard, "handle", None)
        if handle is not None:
            try:
                answer = handle(self.state, self.sessions, request)
            except NotImplementedError:
                answer = None
            if answer is not None:
                return answer  # type: ignore[no-any-return]
        assert self.rest is not None
        answer = self.rest.handle(request)
        if answer is not None:
            return answer
        return text_response(NOT_FOUND_PAGE, 404, HTML_CONTENT_TYPE)

    # ------------------------------------------------------------------ who is who
    @property
    def users(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return [
                {
                    "login": user.login,
                    "id": user.id,
                    "role": user.role,
                    "password": user.password,
                    "app_password": user.app_password,
                }
                for user in sorted(self.state.users.values(), key=lambda u: u.id)
            ]

    @property
    def demo_vendor(self) -> str:
        """The login of the vendor demos use: the first vendor (lowest user id)."""
        with self.state.lock:
            vendors = sorted(self.state.vendors(), key=lambda u: u.id)
            return vendors[0].login if vendors else ""

    def info(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url,
            "edition": self.state.settings.edition,
            "dataset": "custom" if self._prebuilt else self.dataset,
            "locale": self.locale,
            "demo_vendor": self.demo_vendor,
            "users": self.users,
            "new_order_every": self._new_order_every,
            "cost": self.meter.cost.as_dict() if self.meter.cost is not None else None,
        }

    # ------------------------------------------------------------------ server time
    def server_stats(self) -> dict[str, Any]:
        """What the server did since it started or :meth:`reset_server_stats`: requests and
        orders returned per kind of route, modelled server seconds, … (see
        :meth:`vendor_desk.sandbox.cost.ServerMeter.stats`)."""
        return self.meter.stats()

    def reset_server_stats(self) -> dict[str, Any]:
        """Start counting afresh; returns the counts until now."""
        return self.meter.reset()

    def token_for(self, login: str) -> str:
        """A JWT for a user, as ``POST /jwt-auth/v1/token`` would issue it (test helper)."""
        assert self.auth is not None, "start() the simulator first"
        with self.state.lock:
            user = self.state.user_by_login(login)
            if user is None:
                raise KeyError(login)
            return self.auth.issue_token(user)

    # ------------------------------------------------------------------ control methods
    def add_orders(self, count: int = 1) -> list[int]:
        """Place ``count`` random new orders now (as a checkout would); returns their ids."""
        from vendor_desk.sandbox import checkout

        ids = []
        with self.state.lock:
            for _ in range(count):
                ids.append(checkout.place_random_order(self.state, self._rng).id)
        return ids

    def set_main_status(self, order_id: int, status: str) -> None:
        """The admin changes an order's main status (KeyError: unknown order)."""
        with self.state.lock:
            if order_id not in self.state.orders:
                raise KeyError(order_id)
            try:
                operations.set_main_status(self.state, order_id, status)
            except operations.OperationError as error:
                raise ValueError(str(error)) from None

    # The store admin behind the vendor's back (the wc/v3 routes do the same; files 160–233).
    def _admin(self, action: Callable[[], Any]) -> Any:
        """Run an admin change; WooCommerce's refusal as ValueError, an unknown order as
        KeyError."""
        from vendor_desk.sandbox import admin_orders

        with self.state.lock:
            try:
                return action()
            except admin_orders.AdminError as error:
                if error.status == 404:
                    raise KeyError(error.message) from None
                raise ValueError(error.message) from None
            except operations.OperationError as error:
                raise ValueError(str(error)) from None

    def trash_order(self, order_id: int) -> None:
        """The admin moves an order to the trash: it leaves the vendors' lists, the single GET
        still answers (with ``_wp_trash_meta_*`` meta)."""
        from vendor_desk.sandbox import admin_orders

        self._admin(lambda: admin_orders.trash_order(self.state, order_id))

    def restore_order(self, order_id: int, status: str | None = None) -> None:
        """The admin takes an order out of the trash (to ``status``, by default the one it
        had); the vendors get a "status updated" notification."""
        from vendor_desk.sandbox import admin_orders

        self._admin(lambda: admin_orders.restore_order(self.state, order_id, status))

    def delete_order(self, order_id: int) -> None:
        """The admin deletes an order for good (vendors then get a 404 for it)."""
        from vendor_desk.sandbox import admin_orders

        self._admin(lambda: admin_orders.delete_order(self.state, order_id))

    def refund_order(self, order_id: int, amount: str, reason: str = "") -> int:
        """The admin refunds an amount of an order in WooCommerce (not through a vendor's
        request); returns the refund's id. All that is left: the order becomes refunded."""
        from vendor_desk.sandbox import admin_orders

        admin = operations.admin_user(self.state)
        refund = self._admin(
            lambda: admin_orders.refund_order(
                self.state, order_id, amount, reason, admin.id if admin else 0
            )
        )
        return int(refund.id)

    def set_addresses(
        self,
        order_id: int,
        *,
        shipping: dict[str, str] | None = None,
        billing: dict[str, str] | None = None,
    ) -> None:
        """The admin edits an order's addresses (``date_modified`` does not move)."""
        from vendor_desk.sandbox import admin_orders

        self._admin(
            lambda: admin_orders.update_addresses(
                self.state, order_id, billing=billing, shipping=shipping
            )
        )

    def add_admin_note(self, order_id: int, text: str, *, customer: bool = False) -> int:
        """A note the admin writes (a JWT vendor never sees it); returns its id."""
        from vendor_desk.sandbox import admin_orders

        note = self._admin(
            lambda: admin_orders.add_admin_note(self.state, order_id, text, customer=customer)
        )
        return int(note.id)

    def create_admin_order(
        self,
        customer_id: int,
        lines: list[tuple[int, int]],
        *,
        status: str = "processing",
        shipping_total: str | None = "5.00",
        payment_method: str = "cod",
    ) -> int:
        """The admin creates an order (``(product id, quantity)`` lines, paid); WCFM processes
        it like a checkout. Returns its id."""
        from decimal import Decimal

        from vendor_desk.sandbox import admin_orders

        order = self._admin(
            lambda: admin_orders.create_order(
                self.state,
                customer_id=customer_id,
                lines=[admin_orders.NewLine(product, quantity) for product, quantity in lines],
                status=status,
                set_paid=True,
                payment_method=payment_method,
                shipping_total=None if shipping_total is None else Decimal(shipping_total),
            )
        )
        return int(order.id)

    def set_payout(
        self, order_id: int, withdraw_status: str, *, vendor_id: int | None = None
    ) -> int:
        """Set ``withdraw_status`` on an order's commission rows (of one vendor or all)."""
        with self.state.lock:
            if order_id not in self.state.orders:
                raise KeyError(order_id)
            try:
                return operations.set_payout(self.state, order_id, withdraw_status, vendor_id)
            except operations.OperationError as error:
                raise ValueError(str(error)) from None

    def approve_refund_request(self, request_id: int) -> None:
        from vendor_desk.sandbox import refunds

        with self.state.lock:
            refunds.approve_refund_request(self.state, request_id)

    def reject_refund_request(self, request_id: int) -> None:
        from vendor_desk.sandbox import refunds

        with self.state.lock:
            refunds.reject_refund_request(self.state, request_id)

    def refund_requests(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return [
                {
                    "id": req.ID,
                    "order_id": req.order_id,
                    "item_id": req.item_id,
                    "vendor_id": req.vendor_id,
                    "amount": render.money2(req.refunded_amount),
                    "qty": req.refunded_qty,
                    "reason": req.refund_reason,
                    "partial": req.is_partially_refunded,
                    "status": req.refund_status,
                    "created": render.mysql_date(req.created),
                }
                for req in sorted(self.state.refund_requests.values(), key=lambda r: r.ID)
            ]

    def refund_forms(self) -> list[str]:
        """Every refund form string the marketplace received (``wcfm_refund_requests_form``,
        as URL-encoded by the client), oldest first."""
        with self.state.lock:
            return list(self.state.refund_forms)

    def mails(self) -> list[dict[str, Any]]:
        """The mail outbox, oldest first."""
        with self.state.lock:
            return [
                {
                    "to": mail.to,
                    "subject": mail.subject,
                    "body": mail.body,
                    "sent": render.mysql_date(mail.sent),
                    "attachments": list(mail.attachments),
                }
                for mail in self.state.mails
            ]

    def clear_mails(self) -> None:
        with self.state.lock:
            self.state.mails.clear()

    def expire_sessions(self) -> dict[str, int]:
        """Every JWT issued so far fails with "Expired token"; every cookie session and nonce
        becomes invalid (the dashboard's SessionStore)."""
        revoked = self.auth.revoke_all() if self.auth is not None else 0
        if self.sessions is not None:
            with contextlib.suppress(NotImplementedError):
                self.sessions.expire_all()
        return {"tokens_revoked": revoked}

    def set_edition(self, edition: Edition) -> None:
        if edition not in ("ultimate", "free"):
            raise ValueError(f"unknown edition {edition!r}")
        with self.state.lock:
            self.edition = edition
            self.state.settings.edition = edition

    def order_snapshot(self, order_id: int) -> dict[str, Any]:
        """An order as the admin sees it: main status and every commission row."""
        with self.state.lock:
            order = self.state.orders.get(order_id)
            if order is None:
                raise KeyError(order_id)
            return {
                "id": order.id,
                "status": order.status,
                "trashed": order.is_trashed,
                "date_modified": render.wc_date(order.date_modified),
                "vendor_ids": order.vendor_ids(),
                "commissions": [
                    {
                        "ID": row.ID,
                        "vendor_id": row.vendor_id,
                        "item_id": row.item_id,
                        "order_status": row.order_status,
                        "commission_status": row.commission_status,
                        "shipping_status": row.shipping_status,
                        "withdraw_status": row.withdraw_status,
                        "refund_status": row.refund_status,
                    }
                    for row in sorted(self.state.commissions_of_order(order_id), key=lambda r: r.ID)
                ],
                "items": [
                    {
                        "id": item.id,
                        "name": item.name,
                        "vendor_id": item.vendor_id,
                        "meta": {entry.key: entry.value for entry in item.meta},
                    }
                    for item in order.items
                ],
            }

    # faults
    def inject_fault(
        self,
        kind: str,
        path: str = ".*",
        *,
        method: str | None = None,
        times: int | None = 1,
        status: int = 500,
        delay: float = 0.0,
        retry_after: int | str = 30,
        code: str | None = None,
        message: str | None = None,
        body: str | None = None,
    ) -> int:
        """Make matching requests fail (see :mod:`vendor_desk.sandbox.faults`); returns its id.
        ``body``: a regular expression the (once URL-decoded) request body must contain."""
        fault = self.fault_injector.add(
            kind,
            path,
            method=method,
            times=times,
            status=status,
            delay=delay,
            retry_after=retry_after,
            code=code,
            message=message,
            body=body,
        )
        return fault.id

    def remove_fault(self, fault_id: int) -> bool:
        return self.fault_injector.remove(fault_id)

    def clear_faults(self) -> None:
        self.fault_injector.clear()

    def faults(self) -> list[dict[str, Any]]:
        return self.fault_injector.list()

    # new orders while running
    def set_new_order_every(self, seconds: float | None) -> None:
        """Start (or stop, with None) placing a random new order every ``seconds``."""
        self._stop_ticker()
        self._new_order_every = seconds
        if seconds is None or self._server is None:
            return
        self._ticker_stop = threading.Event()
        stop = self._ticker_stop

        def tick() -> None:
            while not stop.wait(seconds):
                try:
                    self.add_orders(1)
                except NotImplementedError:
                    return
                except Exception as error:
                    self.log(f"new order failed: {error!r}")

        self._ticker = threading.Thread(target=tick, name="sandbox-new-orders", daemon=True)
        self._ticker.start()

    def _stop_ticker(self) -> None:
        self._ticker_stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5)
            self._ticker = None
