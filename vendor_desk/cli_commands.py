"""Headless commands (no window, no Qt): ``sync``, ``orders``, ``account add``, the outbox
actions ``complete``, ``note``, ``ship``, ``import-tracking``, ``message-admin``, ``refund`` and
``outbox``, ``refunds`` (the refund requests, as the last sync saw them) and ``print``
(packing slips, invoices, pick lists of cached orders to a PDF, offline).

The actions go through the same outbox as the window (exactly-once, offline-safe) and the same
checks (:mod:`vendor_desk.sync.shipping`): the change is checked and queued first, then one send
pass runs. Unreachable marketplace → the change stays queued, exit 3; refused by the
marketplace → the entry is failed, exit 1 with the marketplace's words; unknown order or a
mistake in what was typed (bad code, not your item …) → exit 2; refused by the order's state
(not paid, not shipped yet, earnings already paid out …) → exit 1. A change the marketplace
cannot record at all (shipping without tracking where notes cannot be added) is kept on this
computer only: exit 0, said on stderr.

Exit codes (design.md §7): 0 ok, 2 usage, 3 marketplace unreachable, 4 authentication refused,
1 anything else — with a one-line plain-language message on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from vendor_desk.cache import CacheError, default_data_dir, open_cache
from vendor_desk.cache.queries import (
    STATUS_GROUPS,
    AccountInfo,
    OrderQuery,
    fetch_rows,
    list_accounts,
)
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import NoteKind, Order, RefundMode
from vendor_desk.domain.carriers import ShipMethod
from vendor_desk.marketplace import AuthenticationRefused, MarketplaceError, Unreachable
from vendor_desk.secrets import SecretStore
from vendor_desk.sync.outbox import (
    APPLIED_STATES,
    BLOCKING_STATES,
    Outbox,
    OutboxError,
    OutboxKind,
    OutboxState,
    SendReport,
    refund_lines_of,
)
from vendor_desk.sync.refunds import (
    RefundRefused,
    lines_from_text,
    plan_refund,
    queue_refund,
)
from vendor_desk.sync.shipping import (
    ShipmentRefused,
    ShipProblemCode,
    fallback_for,
    queue_completion,
    queue_shipment,
    tracked_parcel,
    untracked_parcel,
    use_fallback,
)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_AUTH = 4


class CommandError(Exception):
    """A failure with its exit code and one-line message."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def _common(parser: argparse.ArgumentParser, *, account: bool = True) -> None:
    # SUPPRESS: the option may come before or after the command name.
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, help="keep the cache and settings in this folder"
    )
    if account:
        parser.add_argument(
            "--account",
            default=argparse.SUPPRESS,
            help="the account's id or user name (default: the only / first account)",
        )


def configure(commands: Any) -> None:
    """Add the headless sub-commands to the main parser's sub-parsers."""
    sync = commands.add_parser("sync", help="fetch new and changed orders into the local cache")
    _common(sync)
    orders = commands.add_parser("orders", help="list the cached orders")
    _common(orders)
    orders.add_argument("--status", choices=STATUS_GROUPS, default="all", help="status group")
    orders.add_argument("--json", action="store_true", help="print JSON instead of a table")
    account = commands.add_parser("account", help="manage marketplace accounts")
    account_commands = account.add_subparsers(dest="account_command", metavar="ACTION")
    account_commands.required = True
    add = account_commands.add_parser("add", help="add an account (password from stdin or prompt)")
    _common(add, account=False)
    add.add_argument("url", help="the marketplace's address, e.g. https://shop.example")
    add.add_argument("user", help="your vendor user name")
    add.add_argument(
        "--app-password",
        action="store_true",
        help="the password is a WordPress application password (read-only use)",
    )
    configure_actions(commands)


def run(args: argparse.Namespace, *, stdin: TextIO | None = None) -> int:
    """Run a headless command; returns the exit code (messages already printed)."""
    handlers: dict[str, Callable[[argparse.Namespace, Any], int]] = {
        "sync": lambda a, c: cmd_sync(a, c),
        "orders": lambda a, c: cmd_orders(a, c),
        "account": lambda a, c: cmd_account_add(a, c, stdin or sys.stdin),
        "complete": cmd_complete,
        "note": cmd_note,
        "ship": cmd_ship,
        "import-tracking": cmd_import_tracking,
        "message-admin": cmd_message_admin,
        "outbox": cmd_outbox,
        "refund": cmd_refund,
        "refunds": cmd_refunds,
        "print": cmd_print,
    }
    data_dir = Path(getattr(args, "data_dir", None) or default_data_dir())
    try:
        cache = open_cache(data_dir)
    except CacheError as error:
        print(f"vendor-desk: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return handlers[args.command](args, cache)
    except CommandError as error:
        print(f"vendor-desk: {error}", file=sys.stderr)
        return error.code
    except Unreachable as error:
        print(f"vendor-desk: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except AuthenticationRefused as error:
        print(f"vendor-desk: {error}", file=sys.stderr)
        return EXIT_AUTH
    except MarketplaceError as error:
        print(f"vendor-desk: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("vendor-desk: interrupted", file=sys.stderr)
        return EXIT_ERROR
    finally:
        cache.close()


def _pick_account(cache: Any, wanted: str | None) -> AccountInfo:
    with cache.session() as session:
        accounts = list_accounts(session)
    if not accounts:
        raise CommandError(
            "No account yet: add one with 'vendor-desk account add URL USER'.", EXIT_USAGE
        )
    if wanted is None:
        return accounts[0]
    for account in accounts:
        if str(account.id) == wanted or account.login == wanted:
            return account
    raise CommandError(
        f"No account {wanted!r} (known: " + ", ".join(f"{a.id}={a.login}" for a in accounts) + ").",
        EXIT_USAGE,
    )


def cmd_sync(args: argparse.Namespace, cache: Any) -> int:
    from vendor_desk.marketplace.probe import AccountInput, open_marketplace
    from vendor_desk.sync import Syncer

    account = _pick_account(cache, getattr(args, "account", None))
    password = SecretStore().get(account.base_url, account.login)
    if password is None:
        raise CommandError(
            f"No password stored for {account.login} at {account.base_url}: add the account "
            "again with 'vendor-desk account add'.",
            EXIT_AUTH,
        )

    def progress(step: Any) -> None:
        print(
            f"{step.phase}: {step.orders_so_far} orders, {step.pages_done} pages",
            file=sys.stderr,
            flush=True,
        )

    credentials = AccountInput(
        account.base_url, account.login, password, account.auth_method == "app-password"
    )
    with open_marketplace(credentials) as market:
        result = Syncer(cache, account.id, market).sync(progress, threading.Event())
        if account.auth_method != "app-password":  # the request list needs the dashboard
            _sync_refunds(cache, account, market)
    summary = {"account": account.id, **asdict(result)}
    print(json.dumps(summary, default=_json_default, indent=2))
    return EXIT_OK


def _sync_refunds(cache: Any, account: AccountInfo, market: Any) -> None:
    """The refund-request list after a sync; the admin's decisions said on stderr."""
    from vendor_desk.sync.refunds import sync_refund_requests

    report = sync_refund_requests(cache, account.id, market)
    for decided in report.decided:
        verdict = "approved" if decided.approved else "rejected"
        print(
            f"vendor-desk: refund request #{decided.request_id} of order #{decided.order_id} "
            f"was {verdict}.",
            file=sys.stderr,
        )
    if report.error is not None:
        print(f"vendor-desk: refund requests not read: {report.error}", file=sys.stderr)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


def cmd_orders(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    query = OrderQuery(account_id=account.id, group=args.status)
    rows = []
    with cache.session() as session:
        offset = 0
        while True:
            chunk = fetch_rows(session, query, offset, 500)
            rows.extend(chunk)
            if len(chunk) < 500:
                break
            offset += len(chunk)
    if args.json:
        print(json.dumps([asdict(row) for row in rows], default=_json_default, indent=2))
        return EXIT_OK
    for row in rows:
        print(
            f"#{row.number:<8} {row.created:%Y-%m-%d %H:%M}  {row.display_status:<17} "
            f"{row.total:>10} {row.currency}  {row.customer[:28]:<28} {row.items_summary[:50]}"
        )
    print(f"{len(rows)} orders", file=sys.stderr)
    return EXIT_OK


def cmd_account_add(args: argparse.Namespace, cache: Any, stdin: TextIO) -> int:
    from vendor_desk.marketplace.probe import AccountInput, probe_marketplace
    from vendor_desk.sync.accounts import add_probed_account

    if stdin.isatty():
        password = getpass.getpass(f"Password for {args.user} at {args.url}: ")
    else:
        password = stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("No password given.", EXIT_USAGE)
    account = AccountInput(args.url, args.user, password, args.app_password)
    probe = probe_marketplace(account)
    store = SecretStore()
    account_id = add_probed_account(cache, account, probe)
    store.set(probe.base_url, args.user, password)
    if store.warning:
        print(f"vendor-desk: {store.warning}", file=sys.stderr)
    print(
        json.dumps(
            {
                "account": account_id,
                "store": probe.store_name,
                "auth_method": probe.auth_method,
                "ultimate": probe.ultimate,
                "password_saved": store.persistent,
            }
        )
    )
    return EXIT_OK


# ====================================================================== outbox actions
#: Sub-commands that queue a change in the outbox and then try to send it.
ACTION_COMMANDS = (
    "complete",
    "note",
    "ship",
    "import-tracking",
    "message-admin",
    "outbox",
    "refund",
    "refunds",
    "print",
)


def configure_actions(commands: Any) -> None:
    """Add the outbox sub-commands (complete, note, ship, message-admin, outbox)."""
    complete = commands.add_parser("complete", help="mark your part of orders complete")
    _common(complete)
    complete.add_argument("order", type=int, nargs="+", help="the orders' numbers")

    note = commands.add_parser("note", help="add a note to an order (private by default)")
    _common(note)
    note.add_argument("order", type=int, help="the order's number")
    note.add_argument(
        "--customer", action="store_true", help="a note to the customer (sent by e-mail)"
    )
    note.add_argument("text", help="the note's text")

    ship = commands.add_parser(
        "ship", help="mark items shipped: with tracking, without tracking, or collected"
    )
    _common(ship)
    ship.add_argument("order", type=int, help="the order's number")
    ship.add_argument(
        "--item",
        type=int,
        action="append",
        dest="items",
        metavar="ID",
        help="an item to ship (repeatable; default: all your shippable items of the order)",
    )
    ship.add_argument(
        "--carrier",
        default="",
        help="the carrier (colissimo, dhl, royal-mail …); its preset builds the URL",
    )
    ship.add_argument("--code", default="", help="the tracking code")
    ship.add_argument(
        "--url", default="", help="the tracking page (http or https; default: the carrier's)"
    )
    untracked = ship.add_mutually_exclusive_group()
    untracked.add_argument(
        "--no-tracking",
        action="store_true",
        help="posted without a tracking number (the risk of a lost parcel is yours)",
    )
    untracked.add_argument(
        "--pickup", action="store_true", help="collected by the customer (local pickup)"
    )

    imports = commands.add_parser(
        "import-tracking", help="mark orders shipped from a carrier's CSV export"
    )
    _common(imports)
    imports.add_argument("file", type=Path, help="the CSV file (UTF-8; , ; or tab separated)")
    imports.add_argument("--dry-run", action="store_true", help="check every line, queue nothing")
    imports.add_argument("--json", action="store_true", help="print the report as JSON")

    message = commands.add_parser("message-admin", help="send a message to the store admin")
    _common(message)
    message.add_argument("text", help="the message")

    configure_refunds(commands)
    configure_print(commands)

    outbox = commands.add_parser("outbox", help="list the changes waiting for the marketplace")
    _common(outbox)
    outbox.add_argument("--json", action="store_true", help="print a JSON array")
    what = outbox.add_mutually_exclusive_group()
    what.add_argument("--retry", type=int, metavar="ID", help="send entry ID again now")
    what.add_argument("--discard", type=int, metavar="ID", help="drop entry ID (not sent)")
    what.add_argument(
        "--fallback",
        type=int,
        metavar="ID",
        help="for tracking the marketplace cannot store: keep it locally and ask the store "
        "admin to add it",
    )


def _refused(refused: ShipmentRefused) -> CommandError:
    return CommandError(str(refused), EXIT_USAGE if refused.is_input else EXIT_ERROR)


def cmd_complete(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    order_ids = list(dict.fromkeys(args.order))
    orders = [_cached_order(cache, account, order_id) for order_id in order_ids]
    outbox = Outbox(cache, account.id)
    if len(orders) == 1:
        try:
            entry_id = queue_completion(outbox, orders[0])
        except ShipmentRefused as refused:
            raise _refused(refused) from refused
        return _send_and_report(account, outbox, entry_id)
    # Several orders: each checked and queued on its own, one send pass, one line each.
    codes: list[int] = []
    queued: list[int] = []
    for order in orders:
        try:
            queued.append(queue_completion(outbox, order))
        except ShipmentRefused as refused:
            print(f"vendor-desk: #{order.number}: {refused}", file=sys.stderr)
            codes.append(_refused(refused).code)
    if queued:
        report = _send(account, outbox)
        for entry_id in queued:
            try:
                codes.append(_outcome(outbox, report, entry_id))
            except CommandError as error:
                print(f"vendor-desk: {error}", file=sys.stderr)
                codes.append(error.code)
    return _worst(codes)


def _worst(codes: list[int]) -> int:
    """One exit code for several outcomes: signed out, then offline, usage, other failures."""
    for code in (EXIT_AUTH, EXIT_UNREACHABLE, EXIT_USAGE, EXIT_ERROR):
        if code in codes:
            return code
    return EXIT_OK


def cmd_note(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    _cached_order(cache, account, args.order)
    if not args.text.strip():
        raise CommandError("The note is empty.", EXIT_USAGE)
    kind = NoteKind.CUSTOMER if args.customer else NoteKind.PRIVATE
    if args.customer:
        print("vendor-desk: warning: the customer receives this note by e-mail.", file=sys.stderr)
    return _queue_and_send(
        cache, account, OutboxKind.NOTE, args.order, {"text": args.text, "kind": kind.value}
    )


def cmd_ship(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    order = _cached_order(cache, account, args.order)
    items = list(dict.fromkeys(args.items)) if args.items else None
    if args.no_tracking or args.pickup:
        if args.code.strip() or args.url.strip():
            raise CommandError("--no-tracking and --pickup take no --code or --url.", EXIT_USAGE)
        method = ShipMethod.PICKUP if args.pickup else ShipMethod.NO_TRACKING
        parcel = untracked_parcel(order, method, args.carrier, items)
        if method is ShipMethod.NO_TRACKING:
            print(
                "vendor-desk: warning: without a tracking number the risk of a lost parcel "
                "is yours.",
                file=sys.stderr,
            )
    else:
        if not args.code.strip():
            raise CommandError(
                "The tracking code is empty: give --code (or --no-tracking / --pickup).",
                EXIT_USAGE,
            )
        parcel = tracked_parcel(order, args.carrier, args.code, args.url, items)
    outbox = Outbox(cache, account.id)
    try:
        result = queue_shipment(outbox, order, [parcel])
    except ShipmentRefused as refused:
        if {p.code for p in refused.problems} == {ShipProblemCode.NOTHING_TO_DO}:
            print(f"vendor-desk: {refused}", file=sys.stderr)
            return EXIT_OK
        raise _refused(refused) from refused
    [entry_id] = result.entry_ids
    return _send_and_report(account, outbox, entry_id)


def cmd_import_tracking(args: argparse.Namespace, cache: Any) -> int:
    from vendor_desk.sync.tracking_import import (
        LineOutcome,
        TrackingImportError,
        import_tracking,
    )

    account = _pick_account(cache, getattr(args, "account", None))
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {args.file}: {error.strerror}.", EXIT_USAGE) from error
    outbox = Outbox(cache, account.id)
    try:
        report = import_tracking(outbox, data, dry_run=args.dry_run)
    except TrackingImportError as error:
        raise CommandError(f"{args.file}: {error}", EXIT_USAGE) from error
    codes = [EXIT_ERROR] if report.count(LineOutcome.REFUSED) else []
    states: dict[int, str] = {}
    if report.entry_ids:
        send_report = _send(account, outbox)
        for entry_id in report.entry_ids:
            try:
                codes.append(_outcome(outbox, send_report, entry_id, quiet=True))
            except CommandError as error:
                print(f"vendor-desk: {error}", file=sys.stderr)
                codes.append(error.code)
            states[entry_id] = outbox.get(entry_id).state.value
    if args.json:
        print(
            json.dumps(
                {
                    "dry_run": report.dry_run,
                    "summary": report.summary(),
                    "lines": [
                        {
                            "line": line.line,
                            "order": line.order,
                            "outcome": line.outcome.value,
                            "reason": line.reason.value if line.reason else None,
                            "message": line.message,
                            "code": line.code,
                            "url": line.url,
                            "item_ids": list(line.item_ids),
                            "entries": [
                                {"id": i, "state": states.get(i, "")} for i in line.entry_ids
                            ],
                        }
                        for line in report.lines
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for line in report.lines:
            print(f"line {line.line:>4}  {line.outcome.value:<8} {line.message}")
    print(f"vendor-desk: {report.summary()}", file=sys.stderr)
    return _worst(codes)


def cmd_message_admin(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    if not args.text.strip():
        raise CommandError("The message is empty.", EXIT_USAGE)
    return _queue_and_send(cache, account, OutboxKind.MESSAGE_ADMIN, None, {"message": args.text})


def cmd_outbox(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    outbox = Outbox(cache, account.id)
    if args.fallback is not None:
        return _fallback(account, outbox, args.fallback)
    if args.retry is not None or args.discard is not None:
        entry_id = args.retry if args.retry is not None else args.discard
        try:
            outbox.get(entry_id)
        except OutboxError as error:
            raise CommandError(
                f"No outbox entry {entry_id} for this account.", EXIT_USAGE
            ) from error
        try:
            if args.discard is not None:
                outbox.discard(entry_id)
            else:
                outbox.retry(entry_id)
        except OutboxError as error:
            raise CommandError(f"Entry {entry_id}: {error}.") from error
        if args.discard is not None:
            print(json.dumps(outbox.get(entry_id).as_json()))
            return EXIT_OK
        return _send_and_report(account, outbox, entry_id)
    entries = outbox.entries()
    if args.json:
        print(json.dumps([entry.as_json() for entry in entries], indent=2))
        return EXIT_OK
    for entry in entries:
        order = f"#{entry.order_id}" if entry.order_id is not None else "-"
        line = f"{entry.id:>5}  {order:<8} {entry.kind.value:<14} {entry.state.value:<10}"
        print(f"{line} {entry.last_error}".rstrip())
    waiting = sum(entry.state in APPLIED_STATES for entry in entries)
    print(f"{len(entries)} entries, {waiting} not yet on the marketplace", file=sys.stderr)
    return EXIT_OK


def _fallback(account: AccountInfo, outbox: Outbox, entry_id: int) -> int:
    """Tracking the marketplace cannot store: kept locally, the store admin asked to add it."""
    try:
        fallback = fallback_for(outbox, entry_id)
    except OutboxError as error:
        raise CommandError(f"No outbox entry {entry_id} for this account.", EXIT_USAGE) from error
    if fallback is None:
        raise CommandError(
            f"Entry {entry_id} is not tracking refused for lack of WCFM Ultimate; nothing to "
            "fall back to.",
            EXIT_USAGE,
        )
    done = use_fallback(outbox, fallback)
    print(
        f"vendor-desk: tracking {fallback.code} of order #{fallback.order_number} is kept on this "
        "computer (not on the marketplace); the store admin is asked to add it.",
        file=sys.stderr,
    )
    assert done.message_entry_id is not None
    return _send_and_report(account, outbox, done.message_entry_id)


def _cached_order(cache: Any, account: AccountInfo, order_id: int) -> Order:
    """The cached order, or a usage error (the CLI acts only on orders it knows)."""
    with cache.session() as session:
        order = load_orders(session, account.id, [order_id]).get(order_id)
    if order is None:
        raise CommandError(
            f"Order #{order_id} is not among your cached orders: check the number or run "
            "'vendor-desk sync' first.",
            EXIT_USAGE,
        )
    return order


def _queue_and_send(
    cache: Any,
    account: AccountInfo,
    kind: OutboxKind,
    order_id: int | None,
    payload: dict[str, Any],
) -> int:
    """Queue one change (kept even if the marketplace cannot be reached), then try to send."""
    outbox = Outbox(cache, account.id)
    try:
        entry_id = outbox.enqueue(kind, order_id, payload)
    except ValueError as error:
        raise CommandError(str(error), EXIT_USAGE) from error
    return _send_and_report(account, outbox, entry_id)


def _send_and_report(account: AccountInfo, outbox: Outbox, entry_id: int) -> int:
    """One send pass, then the outcome of ``entry_id`` as exit code and message."""
    report = _send(account, outbox, entry_id)
    return _outcome(outbox, report, entry_id)


def _send(account: AccountInfo, outbox: Outbox, entry_id: int | None = None) -> SendReport:
    """One send pass. Running a command is the vendor asking for now: entries backed off
    after an earlier failure are made due first (uncertain ones are still checked before being
    resent)."""
    from vendor_desk.marketplace.probe import AccountInput, open_marketplace

    for entry in outbox.pending():
        if entry.next_attempt_at is not None and entry.state is not OutboxState.SENDING:
            outbox.retry(entry.id)
    password = SecretStore().get(account.base_url, account.login)
    if password is None:
        queued = f"outbox entry {entry_id}" if entry_id is not None else "the outbox"
        raise CommandError(
            f"Queued as {queued}, but no password is stored for "
            f"{account.login} at {account.base_url}: add the account again.",
            EXIT_AUTH,
        )
    credentials = AccountInput(
        account.base_url, account.login, password, account.auth_method == "app-password"
    )
    with open_marketplace(credentials) as market:
        return outbox.send_due(market)


def _outcome(outbox: Outbox, report: SendReport, entry_id: int, *, quiet: bool = False) -> int:
    """The outcome of ``entry_id`` after a send pass: its JSON on stdout (unless ``quiet``)
    and exit 0, or a :class:`CommandError` with the exit code."""
    entry = outbox.get(entry_id)
    others = [i for i in report.sent + report.confirmed if i != entry_id]
    if others and not quiet:
        print(
            f"vendor-desk: also sent earlier entries {', '.join(map(str, others))}.",
            file=sys.stderr,
        )
    if entry.state in (OutboxState.SENT, OutboxState.LOCAL):
        if entry.state is OutboxState.LOCAL:
            print(
                f"vendor-desk: {entry.summary}: recorded on this computer only — this "
                "marketplace takes no notes from outside its dashboard.",
                file=sys.stderr,
            )
        if not quiet:
            print(json.dumps(entry.as_json()))
        return EXIT_OK
    where = f"outbox entry {entry_id} ({entry.summary})"
    if entry.state is OutboxState.FAILED:
        if entry_id in report.failed:
            hint = ""
            if fallback_for(outbox, entry) is not None:
                hint = (
                    f" To keep the tracking locally and ask the store admin to add it: "
                    f"'vendor-desk outbox --fallback {entry_id}'."
                )
            raise CommandError(f"Refused by the marketplace: {entry.last_error} [{where}]{hint}")
        raise CommandError(
            f"{where} waits: an earlier change of the same order was refused; retry or "
            "discard it ('vendor-desk outbox').",
        )
    if report.signed_out:
        raise CommandError(
            f"The marketplace refused the password of this account; {where} is queued and "
            "goes out once you sign in again ('vendor-desk account add URL USER').",
            EXIT_AUTH,
        )
    if report.offline:
        raise CommandError(
            f"The marketplace could not be reached; {where} is queued and goes out with the "
            f"next command or 'vendor-desk outbox --retry {entry_id}'.",
            EXIT_UNREACHABLE,
        )
    if entry.state is OutboxState.UNCERTAIN:
        raise CommandError(
            f"The marketplace did not confirm {where}; it is checked (never sent twice) on the "
            f"next command or 'vendor-desk outbox --retry {entry_id}'.",
            EXIT_UNREACHABLE,
        )
    blocker = next(
        (
            other
            for other in outbox.entries(BLOCKING_STATES, order_id=entry.order_id)
            if other.id < entry_id
        ),
        None,
    )
    if blocker is not None and blocker.state is OutboxState.FAILED:
        raise CommandError(
            f"{where} waits behind refused entry {blocker.id} of the same order: retry or "
            "discard it ('vendor-desk outbox').",
        )
    detail = f": {entry.last_error}" if entry.last_error else ""
    raise CommandError(
        f"The marketplace could not take {where} now{detail}; it stays queued.",
        EXIT_UNREACHABLE,
    )


# =========================================================================== refunds
def configure_refunds(commands: Any) -> None:
    """Add ``refund`` (ask the store admin to refund an order) and ``refunds`` (list them)."""
    refund = commands.add_parser(
        "refund", help="ask the store admin to refund an order (fully or some items)"
    )
    _common(refund)
    refund.add_argument("order", type=int, help="the order's number")
    mode = refund.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--full",
        action="store_true",
        help="refund every remaining item (the original shipping is refunded too)",
    )
    mode.add_argument("--partial", action="store_true", help="refund the --item lines given")
    refund.add_argument(
        "--item",
        action="append",
        dest="items",
        default=[],
        metavar="ID:QTY:AMOUNT",
        help="partial: an item, the units to put back in stock (0 if it did not come back) and "
        "the amount to refund (12,50 or 12.50); repeatable",
    )
    refund.add_argument(
        "--reason",
        required=True,
        help="why (required; the customer sees it once the store admin approves)",
    )
    refunds = commands.add_parser("refunds", help="list your refund requests")
    _common(refunds)
    refunds.add_argument("--json", action="store_true", help="print a JSON array")


def _refund_refused(refused: RefundRefused, order: Order) -> CommandError:
    message = str(refused)
    if refused.needs_admin:
        message += (
            " Send the store admin a message instead, e.g. 'vendor-desk message-admin \"…\"'"
            f" (order #{order.number})."
        )
    return CommandError(message, EXIT_USAGE if refused.is_input else EXIT_ERROR)


def _item_fields(texts: list[str]) -> list[tuple[int, str, str]]:
    """``ID:QTY:AMOUNT`` → (item id, qty text, amount text); a usage error otherwise."""
    fields: list[tuple[int, str, str]] = []
    for text in texts:
        parts = text.split(":")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            raise CommandError(
                f"--item {text!r}: expected ID:QTY:AMOUNT, e.g. --item 3:1:12,50.", EXIT_USAGE
            )
        fields.append((int(parts[0]), parts[1], parts[2]))
    return fields


def cmd_refund(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    order = _cached_order(cache, account, args.order)
    if args.full and args.items:
        raise CommandError("--full refunds every remaining item: give no --item.", EXIT_USAGE)
    if args.partial and not args.items:
        raise CommandError(
            "--partial needs at least one --item ID:QTY:AMOUNT (e.g. --item 3:0:12,50).",
            EXIT_USAGE,
        )
    mode = RefundMode.FULL if args.full else RefundMode.PARTIAL
    outbox = Outbox(cache, account.id)
    try:
        lines = lines_from_text(order, _item_fields(args.items)) if args.partial else []
        plan = plan_refund(order, mode, lines, args.reason)
        entry_id = queue_refund(outbox, order, mode, lines, args.reason, confirm_unpaid=True)
    except RefundRefused as refused:
        raise _refund_refused(refused, order) from refused
    for note in plan.notes:
        print(f"vendor-desk: {note}", file=sys.stderr)
    return _send_and_report(account, outbox, entry_id)


def cmd_refunds(args: argparse.Namespace, cache: Any) -> int:
    from vendor_desk.cache.refunds import list_refund_requests

    account = _pick_account(cache, getattr(args, "account", None))
    with cache.session() as session:
        requests = list_refund_requests(session, account.id)
    waiting = [
        entry
        for entry in Outbox(cache, account.id).entries(BLOCKING_STATES)
        if entry.kind is OutboxKind.REFUND
    ]
    if args.json:
        rows: list[dict[str, Any]] = [
            {
                "id": request.id,
                "order": request.order_id,
                "item": request.item_id,
                "status": request.status.value,
                "mode": request.mode.value,
                "amount": str(request.amount.amount),
                "currency": request.amount.currency,
                "reason": request.reason,
                "date": request.date.isoformat() if request.date else None,
            }
            for request in requests
        ]
        rows += [
            {
                "id": None,
                "order": entry.order_id,
                "item": None,
                "status": "queued" if entry.state is not OutboxState.FAILED else "refused",
                "mode": entry.payload.get("mode"),
                "amount": str(
                    sum((line.amount.amount for line in refund_lines_of(entry.payload)), Decimal(0))
                ),
                "currency": entry.payload.get("currency"),
                "reason": entry.payload.get("reason"),
                "date": entry.created_at.isoformat(),
                "outbox_entry": entry.id,
            }
            for entry in waiting
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    for entry in waiting:
        print(
            f"{'outbox ' + str(entry.id):>9}  #{entry.order_id:<7} {entry.state.value:<10} "
            f"{entry.payload.get('mode', ''):<8} {entry.payload.get('reason', '')}"
        )
    for request in requests:
        when = request.date.date().isoformat() if request.date else "-"
        print(
            f"{'#' + str(request.id):>9}  #{request.order_id:<7} {request.status.value:<10} "
            f"{request.mode.value:<8} {request.amount.format():>10}  {when}  {request.reason}"
        )
    print(
        f"{len(requests)} refund requests, {len(waiting)} waiting in the outbox "
        "(run 'vendor-desk sync' to refresh)",
        file=sys.stderr,
    )
    return EXIT_OK


# ============================================================================= documents
PRINT_KINDS = ("slip", "invoice", "commission", "picklist")


def configure_print(commands: Any) -> None:
    """Add ``print``: packing slips, store invoices, commission invoices or a pick list of
    cached orders into one PDF file (offline)."""
    from vendor_desk.documents import Paper

    printing = commands.add_parser(
        "print", help="write packing slips, invoices or a pick list of cached orders to a PDF"
    )
    _common(printing)
    printing.add_argument("kind", choices=PRINT_KINDS, help="which document")
    printing.add_argument("orders", type=int, nargs="+", metavar="ORDER", help="order numbers")
    printing.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    printing.add_argument(
        "--paper",
        choices=[paper.value for paper in Paper],
        default=Paper.A4.value,
        help="a4 (default), letter, or label4x6 (4×6 in / 100×150 mm; slips and pick lists)",
    )
    printing.add_argument(
        "--sort",
        choices=("given", "number", "date", "shipping", "sku"),
        default="given",
        help="print order of the documents (default: as given)",
    )
    printing.add_argument(
        "--prices", action="store_true", help="slips: show unit prices and line totals"
    )


def _system_locale() -> str:
    """The user's locale for amounts and dates on documents ("en_US" when unknown)."""
    import locale

    try:
        name = locale.getlocale(locale.LC_TIME)[0] or locale.getlocale()[0]
    except ValueError:  # a locale Python cannot parse
        name = None
    return name or "en_US"


def cmd_print(args: argparse.Namespace, cache: Any) -> int:
    import dataclasses

    from vendor_desk import documents

    account = _pick_account(cache, getattr(args, "account", None))
    paper = documents.Paper(args.paper)
    kind = documents.DocumentKind(args.kind)
    if paper.is_label and kind in (
        documents.DocumentKind.INVOICE,
        documents.DocumentKind.COMMISSION,
    ):
        raise CommandError("Invoices are printed on a4 or letter paper.", EXIT_USAGE)
    with cache.session() as session:
        settings = documents.load_settings(session, account.id).with_locale(_system_locale())
    if args.prices:
        settings = dataclasses.replace(settings, slip_prices=True)
    try:
        loaded = documents.load_document_orders(
            cache,
            account.id,
            list(dict.fromkeys(args.orders)),
            invoice_settings=settings if kind is documents.DocumentKind.INVOICE else None,
            issue_invoices=True,  # writing the file issues the invoices (numbers, dates)
        )
    except documents.UnknownOrders as unknown:
        raise CommandError(
            f"Not among your cached orders: {unknown}. Check the numbers or run "
            "'vendor-desk sync' first.",
            EXIT_USAGE,
        ) from None
    pdf = documents.render(kind, documents.sort_orders(loaded, args.sort), settings, paper)
    try:
        args.out.write_bytes(pdf)
    except OSError as error:
        raise CommandError(f"Cannot write {args.out}: {error.strerror}") from None
    print(f"vendor-desk: wrote {args.out} ({len(loaded)} orders)", file=sys.stderr)
    return EXIT_OK
