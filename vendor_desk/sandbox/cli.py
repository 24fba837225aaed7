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

from vendor_desk.sandbox.server import LOOPBACK_HOSTS, Simulator

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
    parser.add_argument("--dataset", choices=("recorded", "generated"), default="recorded")
    parser.add_argument("--seed", type=int, default=1, help="random seed (generated data)")
    parser.add_argument(
        "--orders", type=int, default=300, help="number of orders of the generated dataset"
    )
    parser.add_argument(
        "--new-order-every",
        type=float,
        default=None,
        metavar="SECONDS",
        help="place a random new order every SECONDS while running",
    )


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
    if args.orders < 0 or (args.new_order_every is not None and args.new_order_every <= 0):
        print(
            "vendor-desk sandbox: --orders and --new-order-every must be positive.", file=sys.stderr
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
            "control_url": f"{sim.base_url}/_sandbox",
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
