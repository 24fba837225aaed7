"""Headless commands (no window, no Qt): ``sync``, ``orders``, ``account add``, and the outbox
actions ``complete``, ``note``, ``ship``, ``message-admin`` and ``outbox``.

The actions go through the same outbox as the window (exactly-once, offline-safe): the change is
queued first, then one send pass runs. Unreachable marketplace → the change stays queued, exit 3;
refused → the entry is failed, exit 1 with the marketplace's words; unknown order → exit 2.

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
from urllib.parse import urlsplit

from vendor_desk.cache import CacheError, default_data_dir, open_cache
from vendor_desk.cache.queries import (
    STATUS_GROUPS,
    AccountInfo,
    OrderQuery,
    add_account,
    fetch_rows,
    list_accounts,
)
from vendor_desk.cache.store import load_orders
from vendor_desk.domain import NoteKind, Order
from vendor_desk.marketplace import AuthenticationRefused, MarketplaceError, Unreachable
from vendor_desk.secrets import SecretStore
from vendor_desk.sync.outbox import (
    APPLIED_STATES,
    BLOCKING_STATES,
    Outbox,
    OutboxEntry,
    OutboxError,
    OutboxKind,
    OutboxState,
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
        "message-admin": cmd_message_admin,
        "outbox": cmd_outbox,
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
    summary = {"account": account.id, **asdict(result)}
    print(json.dumps(summary, default=_json_default, indent=2))
    return EXIT_OK


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

    if stdin.isatty():
        password = getpass.getpass(f"Password for {args.user} at {args.url}: ")
    else:
        password = stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("No password given.", EXIT_USAGE)
    account = AccountInput(args.url, args.user, password, args.app_password)
    probe = probe_marketplace(account)
    store = SecretStore()
    with cache.session(write=True) as session:
        account_id = add_account(
            session,
            probe.base_url,
            args.user,
            probe.store_name,
            probe.vendor_id,
            probe.auth_method,
        )
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
ACTION_COMMANDS = ("complete", "note", "ship", "message-admin", "outbox")


def configure_actions(commands: Any) -> None:
    """Add the outbox sub-commands (complete, note, ship, message-admin, outbox)."""
    complete = commands.add_parser("complete", help="mark your part of an order complete")
    _common(complete)
    complete.add_argument("order", type=int, help="the order's number")

    note = commands.add_parser("note", help="add a note to an order (private by default)")
    _common(note)
    note.add_argument("order", type=int, help="the order's number")
    note.add_argument(
        "--customer", action="store_true", help="a note to the customer (sent by e-mail)"
    )
    note.add_argument("text", help="the note's text")

    ship = commands.add_parser("ship", help="mark items shipped with a tracking code and URL")
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
    ship.add_argument("--code", required=True, help="the tracking code")
    ship.add_argument("--url", required=True, help="the tracking page (http or https)")

    message = commands.add_parser("message-admin", help="send a message to the store admin")
    _common(message)
    message.add_argument("text", help="the message")

    outbox = commands.add_parser("outbox", help="list the changes waiting for the marketplace")
    _common(outbox)
    outbox.add_argument("--json", action="store_true", help="print a JSON array")
    what = outbox.add_mutually_exclusive_group()
    what.add_argument("--retry", type=int, metavar="ID", help="send entry ID again now")
    what.add_argument("--discard", type=int, metavar="ID", help="drop entry ID (not sent)")


def cmd_complete(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    _cached_order(cache, account, args.order)
    return _queue_and_send(cache, account, OutboxKind.COMPLETE, args.order, {})


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
    code = args.code.strip()
    if not code:
        raise CommandError("The tracking code is empty.", EXIT_USAGE)
    url = args.url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise CommandError(
            f"The tracking URL must start with http:// or https:// (got {url!r}).", EXIT_USAGE
        )
    if args.items:
        known = {item.item_id for item in order.items}
        unknown = [item_id for item_id in args.items if item_id not in known]
        if unknown:
            raise CommandError(
                f"Order #{order.number} has no item {', '.join(map(str, unknown))} of yours "
                f"(items: {', '.join(str(i.item_id) for i in order.items)}).",
                EXIT_USAGE,
            )
        item_ids = list(dict.fromkeys(args.items))
    else:
        # Known-shippable items; when the marketplace did not say, every item not known
        # to be virtual.
        item_ids = [item.item_id for item in order.items if item.shippable] or [
            item.item_id for item in order.items if item.shippable is None
        ]
        if not item_ids:
            raise CommandError(f"Order #{order.number} has nothing of yours to ship.", EXIT_USAGE)
    payload = {"item_ids": item_ids, "code": code, "url": url}
    return _queue_and_send(cache, account, OutboxKind.TRACKING, order.id, payload)


def cmd_message_admin(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    if not args.text.strip():
        raise CommandError("The message is empty.", EXIT_USAGE)
    return _queue_and_send(cache, account, OutboxKind.MESSAGE_ADMIN, None, {"message": args.text})


def cmd_outbox(args: argparse.Namespace, cache: Any) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    outbox = Outbox(cache, account.id)
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
            print(json.dumps(_entry_json(outbox.get(entry_id))))
            return EXIT_OK
        return _send_and_report(account, outbox, entry_id)
    entries = outbox.entries()
    if args.json:
        print(json.dumps([_entry_json(entry) for entry in entries], indent=2))
        return EXIT_OK
    for entry in entries:
        order = f"#{entry.order_id}" if entry.order_id is not None else "-"
        line = f"{entry.id:>5}  {order:<8} {entry.kind.value:<14} {entry.state.value:<10}"
        print(f"{line} {entry.last_error}".rstrip())
    waiting = sum(entry.state in APPLIED_STATES for entry in entries)
    print(f"{len(entries)} entries, {waiting} not yet on the marketplace", file=sys.stderr)
    return EXIT_OK


def _entry_json(entry: OutboxEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "order": entry.order_id,
        "kind": entry.kind.value,
        "state": entry.state.value,
        "summary": entry.summary,
        "payload": dict(entry.payload),
        "attempts": entry.attempts,
        "last_error": entry.last_error,
        "created_at": entry.created_at.isoformat(),
        "sent_at": entry.sent_at.isoformat() if entry.sent_at else None,
    }


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
    """One send pass, then the outcome of ``entry_id`` as exit code and message.

    Running a command is the vendor asking for now: entries backed off after an earlier
    failure are made due first (uncertain ones are still checked before being resent).
    """
    from vendor_desk.marketplace.probe import AccountInput, open_marketplace

    for entry in outbox.pending():
        if entry.next_attempt_at is not None and entry.state is not OutboxState.SENDING:
            outbox.retry(entry.id)
    password = SecretStore().get(account.base_url, account.login)
    if password is None:
        raise CommandError(
            f"Queued as outbox entry {entry_id}, but no password is stored for "
            f"{account.login} at {account.base_url}: add the account again.",
            EXIT_AUTH,
        )
    credentials = AccountInput(
        account.base_url, account.login, password, account.auth_method == "app-password"
    )
    with open_marketplace(credentials) as market:
        report = outbox.send_due(market)
    entry = outbox.get(entry_id)
    others = [i for i in report.sent + report.confirmed if i != entry_id]
    if others:
        print(
            f"vendor-desk: also sent earlier entries {', '.join(map(str, others))}.",
            file=sys.stderr,
        )
    if entry.state is OutboxState.SENT:
        print(json.dumps(_entry_json(entry)))
        return EXIT_OK
    where = f"outbox entry {entry_id} ({entry.summary})"
    if entry.state is OutboxState.FAILED:
        if entry_id in report.failed:
            raise CommandError(f"Refused by the marketplace: {entry.last_error} [{where}]")
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
