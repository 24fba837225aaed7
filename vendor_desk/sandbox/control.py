"""The simulator-only control surface under ``/_sandbox/…`` (JSON in, JSON out).

It lets tests and demos do what only the marketplace's admin (or time) could do: place orders,
change main order statuses, trash, restore, delete, refund, edit and create orders behind the
vendor's back (as the admin's ``/wp-json/wc/v3`` calls do), decide refund requests, read the
mail outbox, expire every login, pay out commissions, switch edition, inject faults, and read
what the server did (requests, orders returned, modelled server time). Each route mirrors a
method of :class:`vendor_desk.sandbox.server.Simulator`. It is deliberately separate from the
WCFM routes: nothing here exists on a real marketplace, faults never apply to it, and it is
neither costed nor counted by the cost model.

=======  ======================================  ==============================================
method   path                                    body / answer
=======  ======================================  ==============================================
GET      /_sandbox                               site info, users, this table
GET      /_sandbox/users                         ``{"users": [...]}``
POST     /_sandbox/orders                        ``{"count": 1}`` → ``{"order_ids": [...]}``
GET      /_sandbox/orders/{id}                   main status, commission rows (admin's view)
POST     /_sandbox/orders/{id}/status            ``{"status": "completed"}`` (main status;
                                                 "cancelled" cancels)
POST     /_sandbox/orders/{id}/trash             the admin moves it to the trash
POST     /_sandbox/orders/{id}/restore           ``{"status": "processing"}`` (optional)
DELETE   /_sandbox/orders/{id}                   the admin deletes it for good
POST     /_sandbox/orders/{id}/refund            ``{"amount": "5.00", "reason": "…"}``
POST     /_sandbox/orders/{id}/address           ``{"shipping": {…}, "billing": {…}}``
POST     /_sandbox/orders/{id}/notes             ``{"note": "…", "customer_note": true}``
POST     /_sandbox/admin-orders                  ``{"customer_id": 4, "lines": [{"product_id":
                                                 13, "quantity": 1}], "status",
                                                 "shipping_total": "5.00"}`` → ``{"order_id"}``
POST     /_sandbox/orders/{id}/payout            ``{"withdraw_status": "completed",
                                                 "vendor_id": 2}`` (vendor_id optional)
GET      /_sandbox/refund-requests               ``{"refund_requests": [...]}``
POST     /_sandbox/refund-requests/{id}/approve
POST     /_sandbox/refund-requests/{id}/reject
GET      /_sandbox/mails                         ``{"mails": [...]}``; DELETE clears
POST     /_sandbox/expire                        every JWT, session and nonce becomes invalid
GET      /_sandbox/faults                        ``{"faults": [...]}``; DELETE clears all
POST     /_sandbox/faults                        ``{"kind", "path", "method", "times", …}``
DELETE   /_sandbox/faults/{id}
POST     /_sandbox/edition                       ``{"edition": "free"|"ultimate"}``
POST     /_sandbox/new-orders                    ``{"every": 5}`` (seconds; null stops)
GET      /_sandbox/stats                         what the server did: requests and orders per
                                                 kind of route, modelled server seconds (see
                                                 :mod:`vendor_desk.sandbox.cost`)
POST     /_sandbox/stats/reset                   count afresh; answers the counts until now
=======  ======================================  ==============================================

Errors: ``{"error": "…"}`` with 400 (bad input) or 404 (unknown thing).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from vendor_desk.sandbox.http import Request, Response, json_response

if TYPE_CHECKING:
    from vendor_desk.sandbox.server import Simulator

PREFIX = "/_sandbox"

ROUTES_HELP = [
    {"method": "GET", "path": "/_sandbox", "does": "site info, users, this list"},
    {"method": "GET", "path": "/_sandbox/users", "does": "users with passwords"},
    {"method": "POST", "path": "/_sandbox/orders", "does": 'place new orders {"count": n}'},
    {"method": "GET", "path": "/_sandbox/orders/{id}", "does": "an order as the admin sees it"},
    {"method": "POST", "path": "/_sandbox/orders/{id}/status", "does": 'main status {"status"}'},
    {"method": "POST", "path": "/_sandbox/orders/{id}/trash", "does": "admin: to the trash"},
    {
        "method": "POST",
        "path": "/_sandbox/orders/{id}/restore",
        "does": 'admin: out of the trash {"status"?}',
    },
    {"method": "DELETE", "path": "/_sandbox/orders/{id}", "does": "admin: delete for good"},
    {
        "method": "POST",
        "path": "/_sandbox/orders/{id}/refund",
        "does": 'admin: WooCommerce refund {"amount", "reason"?}',
    },
    {
        "method": "POST",
        "path": "/_sandbox/orders/{id}/address",
        "does": 'admin: edit {"shipping"?, "billing"?}',
    },
    {
        "method": "POST",
        "path": "/_sandbox/orders/{id}/notes",
        "does": 'admin: note {"note", "customer_note"?}',
    },
    {
        "method": "POST",
        "path": "/_sandbox/admin-orders",
        "does": 'admin: new order {"customer_id", "lines", "status"?, "shipping_total"?}',
    },
    {
        "method": "POST",
        "path": "/_sandbox/orders/{id}/payout",
        "does": 'commission payout {"withdraw_status", "vendor_id"?}',
    },
    {"method": "GET", "path": "/_sandbox/refund-requests", "does": "refund requests"},
    {"method": "POST", "path": "/_sandbox/refund-requests/{id}/approve", "does": "approve"},
    {"method": "POST", "path": "/_sandbox/refund-requests/{id}/reject", "does": "reject"},
    {"method": "GET", "path": "/_sandbox/mails", "does": "mail outbox (DELETE clears)"},
    {"method": "POST", "path": "/_sandbox/expire", "does": "expire tokens, sessions, nonces"},
    {"method": "GET", "path": "/_sandbox/faults", "does": "active faults (DELETE clears)"},
    {"method": "POST", "path": "/_sandbox/faults", "does": "inject a fault"},
    {"method": "DELETE", "path": "/_sandbox/faults/{id}", "does": "remove a fault"},
    {"method": "POST", "path": "/_sandbox/edition", "does": 'switch {"edition"}'},
    {"method": "POST", "path": "/_sandbox/new-orders", "does": 'new orders {"every": s|null}'},
    {"method": "GET", "path": "/_sandbox/stats", "does": "requests, orders, server seconds"},
    {"method": "POST", "path": "/_sandbox/stats/reset", "does": "count afresh (answers the old)"},
]


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _body(request: Request) -> dict[str, Any]:
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body)
    except ValueError:
        raise ControlError("the body is not JSON") from None
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ControlError(f"{name} must be an integer")
    try:
        return int(value)
    except ValueError:
        raise ControlError(f"{name} must be an integer") from None


Route = tuple[str, "re.Pattern[str]", Callable[["Simulator", Request, dict[str, str]], Any]]


def _routes() -> list[Route]:
    def info(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return {**sim.info(), "control": ROUTES_HELP}

    def users(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return {"users": sim.users}

    def add_orders(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        count = _int(_body(request).get("count", 1), "count")
        if not 1 <= count <= 1000:
            raise ControlError("count must be between 1 and 1000")
        return {"order_ids": sim.add_orders(count)}

    def order(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return sim.order_snapshot(int(args["id"]))

    def main_status(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        status = _body(request).get("status")
        if not isinstance(status, str) or not status:
            raise ControlError("status is required")
        sim.set_main_status(int(args["id"]), status)
        return sim.order_snapshot(int(args["id"]))

    def trash(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        sim.trash_order(int(args["id"]))
        return sim.order_snapshot(int(args["id"]))

    def restore(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        status = _body(request).get("status")
        if status is not None and not isinstance(status, str):
            raise ControlError("status must be a string")
        sim.restore_order(int(args["id"]), status or None)
        return sim.order_snapshot(int(args["id"]))

    def delete_order(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        sim.delete_order(int(args["id"]))
        return {"deleted": int(args["id"])}

    def refund(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        body = _body(request)
        amount = body.get("amount")
        if not isinstance(amount, (str, int, float)) or isinstance(amount, bool):
            raise ControlError("amount is required (a decimal string)")
        reason = body.get("reason", "")
        if not isinstance(reason, str):
            raise ControlError("reason must be a string")
        refund_id = sim.refund_order(int(args["id"]), str(amount), reason)
        return {"refund_id": refund_id, **sim.order_snapshot(int(args["id"]))}

    def address(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        body = _body(request)
        parts: dict[str, dict[str, str] | None] = {}
        for name in ("shipping", "billing"):
            value = body.get(name)
            if value is not None and not (
                isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
            ):
                raise ControlError(f"{name} must be an object of strings")
            parts[name] = value
        sim.set_addresses(int(args["id"]), shipping=parts["shipping"], billing=parts["billing"])
        return sim.order_snapshot(int(args["id"]))

    def admin_note(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        body = _body(request)
        text = body.get("note")
        if not isinstance(text, str) or not text.strip():
            raise ControlError("note is required")
        customer = bool(body.get("customer_note", False))
        return {"note_id": sim.add_admin_note(int(args["id"]), text, customer=customer)}

    def admin_order(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        body = _body(request)
        lines = []
        for line in body.get("lines") or []:
            if not isinstance(line, dict):
                raise ControlError('lines are {"product_id", "quantity"} objects')
            lines.append(
                (
                    _int(line.get("product_id"), "product_id"),
                    _int(line.get("quantity", 1), "quantity"),
                )
            )
        if not lines:
            raise ControlError("lines are required")
        status = body.get("status", "processing")
        shipping = body.get("shipping_total", "5.00")
        if not isinstance(status, str) or not (shipping is None or isinstance(shipping, str)):
            raise ControlError("status and shipping_total must be strings")
        order_id = sim.create_admin_order(
            _int(body.get("customer_id"), "customer_id"),
            lines,
            status=status,
            shipping_total=shipping,
        )
        return {"order_id": order_id, **sim.order_snapshot(order_id)}

    def payout(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        body = _body(request)
        status = body.get("withdraw_status", "completed")
        if not isinstance(status, str):
            raise ControlError("withdraw_status must be a string")
        vendor = body.get("vendor_id")
        vendor_id = None if vendor is None else _int(vendor, "vendor_id")
        changed = sim.set_payout(int(args["id"]), status, vendor_id=vendor_id)
        return {"rows_changed": changed, **sim.order_snapshot(int(args["id"]))}

    def refund_requests(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return {"refund_requests": sim.refund_requests()}

    def approve(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        sim.approve_refund_request(int(args["id"]))
        return {"refund_requests": sim.refund_requests()}

    def reject(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        sim.reject_refund_request(int(args["id"]))
        return {"refund_requests": sim.refund_requests()}

    def mails(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return {"mails": sim.mails()}

    def clear_mails(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        sim.clear_mails()
        return {"mails": []}

    def expire(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return sim.expire_sessions()

    def faults(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return {"faults": sim.faults()}

    def add_fault(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        body = _body(request)
        kind = body.get("kind")
        if not isinstance(kind, str):
            raise ControlError("kind is required")
        options: dict[str, Any] = {}
        if "status" in body:
            options["status"] = _int(body["status"], "status")
        if "retry_after" in body:  # seconds, or an HTTP date as text
            value = body["retry_after"]
            is_date = isinstance(value, str) and not value.strip().isdigit()
            options["retry_after"] = value if is_date else _int(value, "retry_after")
        if "delay" in body:
            if not isinstance(body["delay"], (int, float)) or isinstance(body["delay"], bool):
                raise ControlError("delay must be a number of seconds")
            options["delay"] = float(body["delay"])
        for name in ("code", "message", "method"):
            if body.get(name) is not None:
                options[name] = str(body[name])
        times = body.get("times", 1)
        options["times"] = None if times is None else _int(times, "times")
        try:
            fault_id = sim.inject_fault(kind, str(body.get("path", ".*")), **options)
        except (ValueError, re.error) as error:
            raise ControlError(str(error)) from None
        return {"id": fault_id, "faults": sim.faults()}

    def clear_faults(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        sim.clear_faults()
        return {"faults": []}

    def remove_fault(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        if not sim.remove_fault(int(args["id"])):
            raise ControlError(f"no fault {args['id']}", 404)
        return {"faults": sim.faults()}

    def edition(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        value = _body(request).get("edition")
        if value not in ("ultimate", "free"):
            raise ControlError('edition must be "ultimate" or "free"')
        sim.set_edition(value)
        return sim.info()

    def new_orders(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        every = _body(request).get("every")
        if every is not None and (
            isinstance(every, bool) or not isinstance(every, (int, float)) or every <= 0
        ):
            raise ControlError("every must be a positive number of seconds, or null")
        sim.set_new_order_every(None if every is None else float(every))
        return sim.info()

    def stats(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return sim.server_stats()

    def reset_stats(sim: Simulator, request: Request, args: dict[str, str]) -> Any:
        return sim.reset_server_stats()

    table: list[tuple[str, str, Callable[[Simulator, Request, dict[str, str]], Any]]] = [
        ("GET", "", info),
        ("GET", "/users", users),
        ("POST", "/orders", add_orders),
        ("GET", r"/orders/(?P<id>\d+)", order),
        ("POST", r"/orders/(?P<id>\d+)/status", main_status),
        ("POST", r"/orders/(?P<id>\d+)/trash", trash),
        ("POST", r"/orders/(?P<id>\d+)/restore", restore),
        ("DELETE", r"/orders/(?P<id>\d+)", delete_order),
        ("POST", r"/orders/(?P<id>\d+)/refund", refund),
        ("POST", r"/orders/(?P<id>\d+)/address", address),
        ("POST", r"/orders/(?P<id>\d+)/notes", admin_note),
        ("POST", "/admin-orders", admin_order),
        ("POST", r"/orders/(?P<id>\d+)/payout", payout),
        ("GET", "/refund-requests", refund_requests),
        ("POST", r"/refund-requests/(?P<id>\d+)/approve", approve),
        ("POST", r"/refund-requests/(?P<id>\d+)/reject", reject),
        ("GET", "/mails", mails),
        ("DELETE", "/mails", clear_mails),
        ("POST", "/expire", expire),
        ("GET", "/faults", faults),
        ("POST", "/faults", add_fault),
        ("DELETE", "/faults", clear_faults),
        ("DELETE", r"/faults/(?P<id>\d+)", remove_fault),
        ("POST", "/edition", edition),
        ("POST", "/new-orders", new_orders),
        ("GET", "/stats", stats),
        ("POST", "/stats/reset", reset_stats),
    ]
    return [(method, re.compile(f"^{PREFIX}{path}/?$"), fn) for method, path, fn in table]


_ROUTES = _routes()


def is_control_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def handle(sim: Simulator, request: Request) -> Response:
    """Answer a ``/_sandbox`` request."""
    path_known = False
    for method, regex, fn in _ROUTES:
        match = regex.match(request.path)
        if not match:
            continue
        path_known = True
        if method != request.method:
            continue
        try:
            return json_response(fn(sim, request, match.groupdict()))
        except ControlError as error:
            return json_response({"error": str(error)}, error.status)
        except KeyError as error:
            return json_response({"error": f"not found: {error.args[0]}"}, 404)
        except ValueError as error:
            return json_response({"error": str(error)}, 400)
        except LookupError as error:
            return json_response({"error": str(error)}, 404)
    if path_known:
        return json_response({"error": "method not allowed"}, 405)
    return json_response({"error": "no such control route", "control": ROUTES_HELP}, 404)
