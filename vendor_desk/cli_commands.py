"""Headless commands: ``sync``, ``orders`` and ``account add`` (no window, no Qt).

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
    add_account,
    fetch_rows,
    list_accounts,
)
from vendor_desk.marketplace import AuthenticationRefused, MarketplaceError, Unreachable
from vendor_desk.secrets import SecretStore

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


def run(args: argparse.Namespace, *, stdin: TextIO | None = None) -> int:
    """Run a headless command; returns the exit code (messages already printed)."""
    handlers: dict[str, Callable[[argparse.Namespace, Any], int]] = {
        "sync": lambda a, c: cmd_sync(a, c),
        "orders": lambda a, c: cmd_orders(a, c),
        "account": lambda a, c: cmd_account_add(a, c, stdin or sys.stdin),
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
    from vendor_desk.sync import Syncer
    from vendor_desk.ui.probe import AccountInput, open_marketplace

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
    from vendor_desk.ui.probe import AccountInput, probe_marketplace

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
