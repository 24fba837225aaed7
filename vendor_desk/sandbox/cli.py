"""``vendor-desk sandbox``: run the marketplace simulator alone.

The first line on stdout is one JSON object (base URL, demo vendor, every user's login, role,
login password and application password), so scripts can start the simulator and read where
it is; human-readable help follows. Runs until Ctrl+C or SIGTERM, then exits 0.
"""

from __future__ import annotations

import argparse
import gc
import json
import signal
import sys
import threading
from types import FrameType

from vendor_desk.sandbox.cost import REAL_MARKETPLACE, CostModel
from vendor_desk.sandbox.server import DATASETS, LOCALES, LOOPBACK_HOSTS, Simulator

EXIT_OK = 0
EXIT_USAGE = 2


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that is not loopback (the simulator has no real security)",
    )
    parser.add_argument("--edition", choices=("ultimate", "free"), default="ultimate")
    parser.add_argument(
        "--dataset",
        choices=DATASETS,
        default="recorded",
        help="recorded: the recordings' site; generated: a rich demo marketplace; shop: one "
        "vendor's real-sized shop (for benchmarks)",
    )
    parser.add_argument(
        "--locale",
        choices=LOCALES,
        default="en",
        help="the generated or shop dataset's shop: en (an international marketplace in US "
        "dollars) or fr (a French upcycling workshop selling in euros, Colissimo, Mondial Relay "
        "and Chronopost)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (generated data)")
    parser.add_argument(
        "--orders",
        type=int,
        default=None,
        help="number of orders of the generated (default 300) or shop (default 5000) dataset",
    )
    real = REAL_MARKETPLACE
    cost = parser.add_argument_group(
        "server time",
        "make each answer take a real marketplace's time: a fixed cost per request plus a cost "
        "per order returned, with a few PHP workers answering at once (GET /_sandbox/stats "
        "reads what the server did)",
    )
    cost.add_argument(
        "--cost",
        choices=("off", "real"),
        default="off",
        help=f"real: the measured figures ({real.per_request:.2f} s a request, "
        f"{real.per_order * 1000:.1f} ms per order, {real.single_order:.2f} s for one order, "
        f"{real.workers} workers); off (default): answer at once",
    )
    cost.add_argument(
        "--cost-per-request", type=float, metavar="S", help="seconds per request (turns --cost on)"
    )
    cost.add_argument(
        "--cost-per-order",
        type=float,
        metavar="S",
        help="seconds per order in a list answer (turns --cost on)",
    )
    cost.add_argument(
        "--cost-single-order",
        type=float,
        metavar="S",
        help="seconds to answer one order (turns --cost on)",
    )
    cost.add_argument(
        "--workers", type=int, metavar="N", help="requests answered at once (turns --cost on)"
    )
    parser.add_argument(
        "--new-order-every",
        type=float,
        default=None,
        metavar="SECONDS",
        help="place a random new order every SECONDS while running",
    )


def cost_model(args: argparse.Namespace) -> CostModel | None:
    """The cost model the options ask for: None when off; the real figures with any of them
    replaced by its option. ValueError for a negative cost or fewer than one worker."""
    figures = {
        "per_request": args.cost_per_request,
        "per_order": args.cost_per_order,
        "single_order": args.cost_single_order,
        "workers": args.workers,
    }
    given = {name: value for name, value in figures.items() if value is not None}
    if args.cost == "off" and not given:
        return None
    try:
        return CostModel(**{**REAL_MARKETPLACE.as_dict(), **given})
    except ValueError as error:
        raise ValueError(f"--cost: {error}") from None


def _help_text(sim: Simulator) -> str:
    vendor = next(u for u in sim.users if u["login"] == sim.demo_vendor) if sim.demo_vendor else {}
    lines = [
        f"WCFM marketplace simulator ({sim.state.settings.edition} edition) at {sim.base_url}",
        "",
        "REST (as a vendor):",
        f"  curl -u '{vendor.get('login', '')}:{vendor.get('app_password', '')}' "
        f"{sim.base_url}/wp-json/wcfmmp/v1/orders",
        f"  JWT:   POST {sim.base_url}/wp-json/jwt-auth/v1/token "
        '{"username": ..., "password": <login password>}',
        f"  Dashboard: {sim.base_url}/wp-login.php then /store-manager/",
        "",
        f"Control surface (simulator only): {sim.base_url}/_sandbox",
        '  POST /_sandbox/orders {"count": 1}          place new orders',
        '  POST /_sandbox/orders/ID/status {"status"}   change the main order status',
        "  POST /_sandbox/refund-requests/ID/approve    approve (or /reject) a refund request",
        "  GET  /_sandbox/mails                         the mail outbox",
        "  POST /_sandbox/expire                        expire tokens, sessions and nonces",
        '  POST /_sandbox/faults {"kind", "path"}       inject a fault',
        "  GET  /_sandbox/stats                         requests, orders, server seconds",
        "",
        "Users: " + ", ".join(f"{u['login']} ({u['role']})" for u in sim.users),
        "Press Ctrl+C to stop.",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.host not in LOOPBACK_HOSTS and not args.allow_remote:
        print(
            f"vendor-desk sandbox: refusing to listen on {args.host}: the simulator is for "
            "loopback only (add --allow-remote if you really mean it).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if (args.orders is not None and args.orders < 0) or (
        args.new_order_every is not None and args.new_order_every <= 0
    ):
        print(
            "vendor-desk sandbox: --orders and --new-order-every must be positive.", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        cost = cost_model(args)
    except ValueError as error:
        print(f"vendor-desk sandbox: {error}.", file=sys.stderr)
        return EXIT_USAGE
    if args.locale != "en" and args.dataset == "recorded":
        print(
            "vendor-desk sandbox: --locale applies to the generated and shop datasets "
            "(the recorded site is in English).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sim = Simulator(
        edition=args.edition,
        dataset=args.dataset,
        seed=args.seed,
        orders=args.orders,
        new_order_every=args.new_order_every,
        host=args.host,
        port=args.port,
        locale=args.locale,
        cost=cost,
    )
    try:
        sim.start()
    except OSError as error:
        print(
            f"vendor-desk sandbox: cannot listen on {args.host}:{args.port}: {error}",
            file=sys.stderr,
        )
        return 1
    # This process keeps its dataset for life: take it out of the garbage collector's reach so
    # full collections don't rescan 100,000 orders in the middle of a request.
    gc.collect()
    gc.freeze()
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        summary = {
            "base_url": sim.base_url,
            "demo_vendor": sim.demo_vendor,
            "edition": sim.state.settings.edition,
            "dataset": args.dataset,
            "locale": args.locale,
            "control_url": f"{sim.base_url}/_sandbox",
            "cost": cost.as_dict() if cost is not None else None,
            "users": sim.users,
        }
        print(json.dumps(summary), flush=True)
        print(_help_text(sim), flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sim.stop()
    return EXIT_OK
