"""Headless commands (no window, no Qt): ``sync``, ``orders``, ``order N`` (one order in full,
with the item ids ``ship --item`` and ``refund --item`` take), ``account add``, the outbox
actions ``complete``, ``note``, ``ship``, ``import-tracking``, ``message-admin``, ``refund`` and
``outbox``, ``refunds`` (the refund requests, as the last sync saw them), ``print``
(packing slips, invoices, pick lists of cached orders to a PDF, offline) and ``scan CODE``
(what a barcode scan resolves to, offline: ``sync.scan``).

Passwords (:class:`PasswordSource`): a command that signs in takes the account's password from
the keyring; ``--password-stdin`` reads it from the first line of standard input instead. Where
this computer has no keyring, the password is never stored: it is typed at a prompt when standard
input is a terminal, else ``--password-stdin`` is needed — without either the command stops before
queueing anything, exit 2 (it was run in a way that cannot work; nothing was refused).

The actions go through the same outbox as the window (exactly-once, offline-safe) and the same
checks (:mod:`vendor_desk.sync.shipping`): the change is checked and queued first, then one send
pass runs. Unreachable marketplace → the change stays queued, exit 3; refused by the
marketplace → the entry is failed, exit 1 with the marketplace's words; unknown order or a
mistake in what was typed (bad code, not your item …) → exit 2; refused by the order's state
(not paid, not shipped yet, earnings already paid out …) → exit 1. A change the marketplace
cannot record at all (shipping without tracking where notes cannot be added) is kept on this
computer only: exit 0, said on stderr.

Exit codes (design.md §7): 0 ok, 2 usage, 3 marketplace unreachable — or limiting requests,
or down for maintenance: try again later, queued changes wait —, 4 the marketplace refused the
user name or password (only that: a rate limit, a CAPTCHA or a missing plugin is not 4), 1
anything else (refused: a rule, a missing add-on, …) — with a one-line plain-language message on
stderr. docs/errors.md lists every message of the marketplace client with its exit code.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import shutil
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
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
from vendor_desk.domain import NoteKind, Order, RefundMode, rules
from vendor_desk.domain.carriers import ShipMethod
from vendor_desk.i18n import N_, _, ngettext, translated
from vendor_desk.marketplace import (
    AuthenticationRefused,
    MarketplaceError,
    RateLimited,
    Unavailable,
    Unreachable,
)
from vendor_desk.secrets import SecretStore
from vendor_desk.sync.conflicts import Decision, describe
from vendor_desk.sync.outbox import (
    APPLIED_STATES,
    BLOCKING_STATES,
    Outbox,
    OutboxEntry,
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
#: How long a command waits for its turn when another process (the window, another command) is
#: sending for the same account, before leaving its change queued.
SENDER_WAIT = 60.0


class CommandError(Exception):
    """A failure with its exit code and one-line message."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def _common(
    parser: argparse.ArgumentParser, *, account: bool = True, signs_in: bool = False
) -> None:
    # SUPPRESS: the option may come before or after the command name.
    parser.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help=_("keep the cache and settings in this folder"),
    )
    if account:
        parser.add_argument(
            "--account",
            default=argparse.SUPPRESS,
            help=_("the account's id or user name (default: the only / first account)"),
        )
    if signs_in:
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help=_(
                "read the account's password from the first line of standard input instead of "
                "the keyring (needed on a computer without a keyring when not typing in a terminal)"
            ),
        )


def order_number(text: str) -> int:
    """An order number as typed: "123" or "#123"."""
    digits = text.strip().removeprefix("#").strip()
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(
            _("{text!r} is not an order number (e.g. 123 or #123)").format(text=text)
        )
    return int(digits)


# ============================================================================ passwords
NO_KEYRING = N_("no keyring on this computer, so the password is not saved")


@dataclass(frozen=True)
class SignIn:
    """The account a command signs in to, and its password (None: the keyring has none)."""

    account: AccountInfo
    password: str | None


class PasswordSource:
    """Where a command that signs in gets the account's password — asked once per command,
    before anything is queued.

    1. ``--password-stdin``: the first line of standard input (keyring or not);
    2. the keyring, when this computer has one (None when it holds no password for the account:
       the command then says to add the account again, exit 4);
    3. no keyring: typed at a prompt when standard input is a terminal; otherwise a
       :class:`CommandError` naming ``--password-stdin`` (exit 2).
    """

    def __init__(self, stdin: TextIO, from_stdin: bool, store: SecretStore | None = None) -> None:
        self._stdin = stdin
        self._from_stdin = from_stdin
        self._store = store

    @property
    def stdin(self) -> TextIO:
        return self._stdin

    @property
    def store(self) -> SecretStore:
        if self._store is None:
            self._store = SecretStore()
        return self._store

    def read_stdin(self) -> str:
        """The first line of standard input, or a usage error when it is empty."""
        password = self._stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError(
                _("No password on standard input (its first line is read)."), EXIT_USAGE
            )
        return password

    def prompt(self, base_url: str, login: str) -> str:
        """The password typed at the terminal (not echoed)."""
        try:
            password = getpass.getpass(
                _("Password for {login} at {url}: ").format(login=login, url=base_url)
            )
        except EOFError:
            password = ""
        if not password:
            raise CommandError(_("No password given."), EXIT_USAGE)
        return password

    def sign_in(self, account: AccountInfo) -> SignIn:
        if self._from_stdin:
            return SignIn(account, self.read_stdin())
        if self.store.persistent:
            password = self.store.get(account.base_url, account.login)
            if self.store.persistent:  # not when the keyring failed just now
                return SignIn(account, password)
        # No keyring (or it failed just now): ask, never store.
        if self._stdin.isatty():
            print(
                "vendor-desk: "
                + _(
                    "{no_keyring}: type it for this command (or pipe it in with --password-stdin)."
                ).format(no_keyring=_(NO_KEYRING)),
                file=sys.stderr,
                flush=True,
            )
            return SignIn(account, self.prompt(account.base_url, account.login))
        no_keyring = _(NO_KEYRING)
        raise CommandError(
            _(
                "{no_keyring} and standard input is not a terminal to type it: give the "
                "password of {login} at {url} on standard input with --password-stdin."
            ).format(
                no_keyring=no_keyring[:1].upper() + no_keyring[1:],
                login=account.login,
                url=account.base_url,
            ),
            EXIT_USAGE,
        )


def _credentials(signin: SignIn) -> Any:
    from vendor_desk.marketplace.probe import AccountInput

    account = signin.account
    assert signin.password is not None
    return AccountInput(
        account.base_url, account.login, signin.password, account.auth_method == "app-password"
    )


def configure(commands: Any) -> None:
    """Add the headless sub-commands to the main parser's sub-parsers."""
    sync = commands.add_parser(
        "sync",
        help=_("fetch new and changed orders into the local cache"),
        description=_(
            "Fetch new and changed orders: the newest ones, the open ones changed "
            "lately, and a few pages of the whole list, so that every order is read again within "
            "the hour. --everything reads every order now."
        ),
    )
    _common(sync, signs_in=True)
    sync.add_argument(
        "--everything", action="store_true", help=_("read every order on the marketplace now")
    )
    orders = commands.add_parser(
        "orders",
        help=_("list the cached orders"),
        description=_(
            "List the cached orders, newest first: a table as wide as the terminal "
            "(amounts in your locale), or JSON."
        ),
    )
    _common(orders)
    orders.add_argument("--status", choices=STATUS_GROUPS, default="all", help=_("status group"))
    orders.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    order = commands.add_parser(
        "order",
        help=_("show one cached order in full, with the item ids ship and refund take"),
        description=_(
            "Show one cached order in full: dates, statuses, payment, customer and "
            "ship-to address, your items with their ids, SKU, quantities, amounts, refund state "
            "and tracking, totals, notes, and what waits in the outbox. Offline (run "
            "'vendor-desk sync' first for the latest)."
        ),
    )
    _common(order)
    order.add_argument(
        "order", type=order_number, metavar="ORDER", help=_("the order's number (123 or #123)")
    )
    order.add_argument(
        "--json",
        action="store_true",
        help=_("print JSON (amounts as decimal text, dates ISO 8601 with time zone)"),
    )
    scan = commands.add_parser(
        "scan",
        help=_("say what a scanned code is: an order, a confirm code, an item, a tracking code"),
        description=_(
            "Say what a barcode scan resolves to, as the window and the Pack view "
            "resolve it (docs/packing.md): an order (cached or not yet), the confirm code of an "
            "order, an item (and which cached orders carry it), a tracking code (the carrier "
            "guessed, the alternatives, the URL built), a mis-scan or nothing. Offline. Exit code "
            "0 when the code is known, 1 for a mis-scan or an unknown code."
        ),
    )
    _common(scan)
    scan.add_argument("code", metavar="CODE", help=_("the code as the scanner types it"))
    scan.add_argument("--json", action="store_true", help=_("print a JSON object"))
    account = commands.add_parser("account", help=_("manage marketplace accounts"))
    account_commands = account.add_subparsers(dest="account_command", metavar="ACTION")
    account_commands.required = True
    add = account_commands.add_parser(
        "add",
        help=_("add an account (password typed at a prompt, or the first line of stdin)"),
        description=_(
            "Add a marketplace account: the password is checked by signing in, then "
            "kept in the system keyring. Without a keyring it is not saved: each command that "
            "signs in asks for it in a terminal, or reads it with --password-stdin."
        ),
    )
    _common(add, account=False)
    add.add_argument("url", help=_("the marketplace's address, e.g. https://shop.example"))
    add.add_argument("user", help=_("your vendor user name"))
    add.add_argument(
        "--app-password",
        action="store_true",
        help=_("the password is a WordPress application password (read-only use)"),
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from the first line of standard input even in a terminal"),
    )
    configure_actions(commands)


def run(args: argparse.Namespace, *, stdin: TextIO | None = None) -> int:
    """Run a headless command; returns the exit code (messages already printed)."""
    passwords = PasswordSource(stdin or sys.stdin, getattr(args, "password_stdin", False))
    signing: dict[str, Callable[[argparse.Namespace, Any, PasswordSource], int]] = {
        "sync": cmd_sync,
        "account": cmd_account_add,
        "complete": cmd_complete,
        "note": cmd_note,
        "ship": cmd_ship,
        "import-tracking": cmd_import_tracking,
        "message-admin": cmd_message_admin,
        "outbox": cmd_outbox,
        "refund": cmd_refund,
    }
    handlers: dict[str, Callable[[argparse.Namespace, Any], int]] = {
        "orders": cmd_orders,
        "order": cmd_order,
        "refunds": cmd_refunds,
        "print": cmd_print,
        "scan": cmd_scan,
    }
    if args.command == "printers":  # the print system only: no cache, no account
        try:
            return cmd_printers(args)
        except CommandError as error:
            print(f"vendor-desk: {error}", file=sys.stderr)
            return error.code
    if args.command in signing:
        command = signing[args.command]
        return run_with_cache(args, lambda args, cache: command(args, cache, passwords))
    return run_with_cache(args, handlers[args.command])


def run_with_cache(
    args: argparse.Namespace, command: Callable[[argparse.Namespace, Any], int]
) -> int:
    """Open the cache (``--data-dir``), run ``command(args, cache)`` and close it; an error
    is printed as one sentence in the vendor's language, with its exit code."""
    data_dir = Path(getattr(args, "data_dir", None) or default_data_dir())
    try:
        cache = open_cache(data_dir)
    except CacheError as error:
        print(f"vendor-desk: {_said(error)}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return command(args, cache)
    except CommandError as error:
        print(f"vendor-desk: {error}", file=sys.stderr)
        return error.code
    except (Unreachable, RateLimited, Unavailable) as error:  # try again later
        print(f"vendor-desk: {_said(error)}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except AuthenticationRefused as error:
        print(f"vendor-desk: {_said(error)}", file=sys.stderr)
        return EXIT_AUTH
    except MarketplaceError as error:
        print(f"vendor-desk: {_said(error)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("vendor-desk: " + _("interrupted"), file=sys.stderr)
        return EXIT_ERROR
    finally:
        cache.close()


def _entry_json(entry: Any) -> dict[str, Any]:
    """An outbox entry as JSON data, its sentences in the vendor's language."""
    from vendor_desk import cli_output

    return cli_output.entry_json(entry)


def _said(error: BaseException) -> str:
    """An error's message in the vendor's language (a marketplace error's marked sentence
    translated; other texts as they are when the catalogue has none)."""
    return translated(getattr(error, "message", None) or str(error))


def _pick_account(cache: Any, wanted: str | None) -> AccountInfo:
    with cache.session() as session:
        accounts = list_accounts(session)
    if not accounts:
        raise CommandError(
            _("No account yet: add one with 'vendor-desk account add URL USER'."), EXIT_USAGE
        )
    if wanted is None:
        return accounts[0]
    for account in accounts:
        if str(account.id) == wanted or account.login == wanted:
            return account
    raise CommandError(
        _("No account {wanted!r} (known: {known}).").format(
            wanted=wanted, known=", ".join(f"{a.id}={a.login}" for a in accounts)
        ),
        EXIT_USAGE,
    )


def cmd_sync(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    from vendor_desk.marketplace.probe import open_marketplace
    from vendor_desk.sync import Syncer

    account = _pick_account(cache, getattr(args, "account", None))
    signin = passwords.sign_in(account)
    if signin.password is None:
        raise CommandError(
            _(
                "No password stored for {login} at {url}: add the account again with "
                "'vendor-desk account add' (or give it with --password-stdin)."
            ).format(login=account.login, url=account.base_url),
            EXIT_AUTH,
        )

    def progress(step: Any) -> None:
        orders = ngettext("{count} order", "{count} orders", step.orders_so_far).format(
            count=step.orders_so_far
        )
        pages = ngettext("{count} page", "{count} pages", step.pages_done).format(
            count=step.pages_done
        )
        print(f"{step.phase}: {orders}, {pages}", file=sys.stderr, flush=True)

    from vendor_desk.cache.queries import checked_since
    from vendor_desk.sync.refunds import refund_list_due

    with open_marketplace(_credentials(signin)) as market:
        syncer = Syncer(cache, account.id, market)
        cancel = threading.Event()
        result = (
            syncer.reconcile(progress, cancel)
            if getattr(args, "everything", False)
            else syncer.sync(progress, cancel)
        )
        # the request list needs the dashboard (3 requests): only while a request waits
        if account.auth_method != "app-password" and refund_list_due(cache, account.id):
            _sync_refunds(cache, account, market)
    with cache.session() as session:
        since = checked_since(session, account.id)
    summary = {"account": account.id, **asdict(result), "everything_checked_since": since}
    print(json.dumps(summary, default=_json_default, indent=2))
    return EXIT_OK


def _sync_refunds(cache: Any, account: AccountInfo, market: Any) -> None:
    """The refund-request list after a sync; the admin's decisions said on stderr."""
    from vendor_desk.sync.refunds import sync_refund_requests

    report = sync_refund_requests(cache, account.id, market)
    for decided in report.decided:
        said = (
            _("refund request #{request} of order #{order} was approved.")
            if decided.approved
            else _("refund request #{request} of order #{order} was rejected.")
        )
        print(
            "vendor-desk: " + said.format(request=decided.request_id, order=decided.order_id),
            file=sys.stderr,
        )
    if report.error is not None:
        print(
            "vendor-desk: "
            + _("refund requests not read: {error}").format(error=translated(str(report.error))),
            file=sys.stderr,
        )


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
    from vendor_desk import cli_output

    for line in cli_output.order_table(rows, _system_locale(), _output_width()):
        print(line)
    print(
        ngettext("{count} order", "{count} orders", len(rows)).format(count=len(rows)),
        file=sys.stderr,
    )
    return EXIT_OK


def _output_width() -> int:
    """How wide tables may be: the terminal's width (or ``COLUMNS``); unlimited when the output
    goes to a file or another program, which should get every text whole."""
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return 100_000


def cmd_order(args: argparse.Namespace, cache: Any) -> int:
    """One cached order in full (offline)."""
    from vendor_desk import cli_output
    from vendor_desk.cache.queries import fetch_rows_by_ids, order_detail

    account = _pick_account(cache, getattr(args, "account", None))
    with cache.session() as session:
        detail = order_detail(session, account.id, args.order)
        rows = fetch_rows_by_ids(session, account.id, [args.order])
    if detail is None:
        raise _unknown_order(args.order)
    waiting = Outbox(cache, account.id).entries(BLOCKING_STATES, order_id=args.order)
    row = rows[0] if rows else None
    if args.json:
        data = cli_output.order_json(detail, row, waiting)
        print(json.dumps(data, default=_json_default, indent=2, ensure_ascii=False))
        return EXIT_OK
    for line in cli_output.order_text(detail, row, waiting, _system_locale(), _output_width()):
        print(line)
    return EXIT_OK


def cmd_scan(args: argparse.Namespace, cache: Any) -> int:
    """What a scanned code is (sync.scan.resolve); exit 1 for a mis-scan or an unknown code."""
    from vendor_desk import cli_output
    from vendor_desk.cache.queries import fetch_rows_by_ids, order_detail
    from vendor_desk.sync.scan import ScanKind, resolve

    account = _pick_account(cache, getattr(args, "account", None))
    result = resolve(cache, account.id, args.code)
    wanted = list(result.order_ids)
    if result.order_id is not None and result.in_cache:
        wanted.insert(0, result.order_id)
    item_name = ""
    with cache.session() as session:
        rows = fetch_rows_by_ids(session, account.id, wanted) if wanted else []
        if result.kind is ScanKind.ITEM and result.order_ids:
            detail = order_detail(session, account.id, result.order_ids[0])
            wanted_sku = result.code.casefold()
            item_name = next(
                (
                    item.name
                    for item in (detail.order.items if detail else ())
                    if item.sku.casefold() == wanted_sku
                ),
                "",
            )
    data = cli_output.scan_json(result, rows, item_name)
    if args.json:
        print(json.dumps(data, default=_json_default, indent=2, ensure_ascii=False))
    else:
        for line in cli_output.scan_text(data):
            print(line)
    return EXIT_ERROR if result.kind in (ScanKind.MISSCAN, ScanKind.UNKNOWN) else EXIT_OK


def cmd_account_add(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    from vendor_desk.marketplace.probe import AccountInput, probe_marketplace
    from vendor_desk.sync.accounts import add_probed_account

    if args.password_stdin or not passwords.stdin.isatty():
        password = passwords.read_stdin()
    else:
        password = passwords.prompt(args.url, args.user)
    account = AccountInput(args.url, args.user, password, args.app_password)
    probe = probe_marketplace(account)
    store = passwords.store
    account_id = add_probed_account(cache, account, probe)
    store.set(probe.base_url, args.user, password)
    if not store.persistent:
        print(
            "vendor-desk: "
            + _(
                "{no_keyring}: each command that signs in asks for it in a terminal, or reads "
                "it from standard input with --password-stdin."
            ).format(no_keyring=_(NO_KEYRING)),
            file=sys.stderr,
        )
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
    complete = commands.add_parser("complete", help=_("mark your part of orders complete"))
    _common(complete, signs_in=True)
    complete.add_argument("order", type=order_number, nargs="+", help=_("the orders' numbers"))

    note = commands.add_parser("note", help=_("add a note to an order (private by default)"))
    _common(note, signs_in=True)
    note.add_argument("order", type=order_number, help=_("the order's number"))
    note.add_argument(
        "--customer", action="store_true", help=_("a note to the customer (sent by e-mail)")
    )
    note.add_argument("text", help=_("the note's text"))

    ship = commands.add_parser(
        "ship", help=_("mark items shipped: with tracking, without tracking, or collected")
    )
    _common(ship, signs_in=True)
    ship.add_argument("order", type=order_number, help=_("the order's number"))
    ship.add_argument(
        "--item",
        type=int,
        action="append",
        dest="items",
        metavar="ID",
        help=_(
            "an item to ship, by its id ('vendor-desk order N' lists them; repeatable; "
            "default: all your shippable items of the order)"
        ),
    )
    ship.add_argument(
        "--carrier",
        default="",
        help=_("the carrier (colissimo, dhl, royal-mail …); its preset builds the URL"),
    )
    ship.add_argument("--code", default="", help=_("the tracking code"))
    ship.add_argument(
        "--url", default="", help=_("the tracking page (http or https; default: the carrier's)")
    )
    untracked = ship.add_mutually_exclusive_group()
    untracked.add_argument(
        "--no-tracking",
        action="store_true",
        help=_("posted without a tracking number (the risk of a lost parcel is yours)"),
    )
    untracked.add_argument(
        "--pickup", action="store_true", help=_("collected by the customer (local pickup)")
    )

    imports = commands.add_parser(
        "import-tracking", help=_("mark orders shipped from a carrier's CSV export")
    )
    _common(imports, signs_in=True)
    imports.add_argument("file", type=Path, help=_("the CSV file (UTF-8; , ; or tab separated)"))
    imports.add_argument(
        "--dry-run", action="store_true", help=_("check every line, queue nothing")
    )
    imports.add_argument("--json", action="store_true", help=_("print the report as JSON"))

    message = commands.add_parser("message-admin", help=_("send a message to the store admin"))
    _common(message, signs_in=True)
    message.add_argument("text", help=_("the message"))

    configure_refunds(commands)
    configure_print(commands)
    configure_printers(commands)

    outbox = commands.add_parser("outbox", help=_("list the changes waiting for the marketplace"))
    _common(outbox, signs_in=True)
    outbox.add_argument("--json", action="store_true", help=_("print a JSON array"))
    what = outbox.add_mutually_exclusive_group()
    what.add_argument("--retry", type=int, metavar="ID", help=_("send entry ID again now"))
    what.add_argument("--discard", type=int, metavar="ID", help=_("drop entry ID (not sent)"))
    what.add_argument(
        "--decide",
        nargs=2,
        metavar=("ID", "CHOICE"),
        help=_(
            "go on with entry ID, which waits for your decision: keep-theirs (the "
            "marketplace's version stays), replace (send yours over it), add-parcel (tracking: "
            "yours as another parcel), send-again / arrived (when the marketplace cannot tell "
            "whether it arrived), drop"
        ),
    )
    what.add_argument(
        "--fallback",
        type=int,
        metavar="ID",
        help=_(
            "for tracking the marketplace cannot store: keep it locally and ask the store "
            "admin to add it"
        ),
    )


def _refusal(problems: Any) -> str:
    """The reasons of a refusal (shipment or refund), in the vendor's language."""
    reasons = [translated(problem.reason) for problem in problems]
    # Sentences end with their own full stop: a space between them, not "; ".
    return " ".join(dict.fromkeys(reasons))


def _refused(refused: ShipmentRefused) -> CommandError:
    return CommandError(_refusal(refused.problems), EXIT_USAGE if refused.is_input else EXIT_ERROR)


def cmd_complete(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    order_ids = list(dict.fromkeys(args.order))
    orders = [_cached_order(cache, account, order_id) for order_id in order_ids]
    signin = passwords.sign_in(account)
    outbox = Outbox(cache, account.id)
    if len(orders) == 1:
        try:
            entry_id = queue_completion(outbox, orders[0])
        except ShipmentRefused as refused:
            raise _refused(refused) from refused
        return _send_and_report(signin, outbox, entry_id)
    # Several orders: each checked and queued on its own, one send pass, one line each.
    codes: list[int] = []
    queued: list[int] = []
    for order in orders:
        try:
            queued.append(queue_completion(outbox, order))
        except ShipmentRefused as refused:
            print(f"vendor-desk: #{order.number}: {_refusal(refused.problems)}", file=sys.stderr)
            codes.append(_refused(refused).code)
    if queued:
        report = _send(signin, outbox)
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


def cmd_note(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    order = _cached_order(cache, account, args.order)
    allowed = rules.may_add_note(order)  # not on an order deleted or in the trash
    if not allowed:
        raise CommandError(" ".join(translated(r) for r in allowed.reasons), EXIT_ERROR)
    if not args.text.strip():
        raise CommandError(_("The note is empty."), EXIT_USAGE)
    kind = NoteKind.CUSTOMER if args.customer else NoteKind.PRIVATE
    signin = passwords.sign_in(account)
    if args.customer:
        print(
            "vendor-desk: " + _("warning: the customer receives this note by e-mail."),
            file=sys.stderr,
        )
    return _queue_and_send(
        cache, signin, OutboxKind.NOTE, args.order, {"text": args.text, "kind": kind.value}
    )


def cmd_ship(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    order = _cached_order(cache, account, args.order)
    items = list(dict.fromkeys(args.items)) if args.items else None
    if args.no_tracking or args.pickup:
        if args.code.strip() or args.url.strip():
            raise CommandError(_("--no-tracking and --pickup take no --code or --url."), EXIT_USAGE)
        method = ShipMethod.PICKUP if args.pickup else ShipMethod.NO_TRACKING
        parcel = untracked_parcel(order, method, args.carrier, items)
        if method is ShipMethod.NO_TRACKING:
            print(
                "vendor-desk: "
                + _("warning: without a tracking number the risk of a lost parcel is yours."),
                file=sys.stderr,
            )
    else:
        if not args.code.strip():
            raise CommandError(
                _("The tracking code is empty: give --code (or --no-tracking / --pickup)."),
                EXIT_USAGE,
            )
        parcel = tracked_parcel(order, args.carrier, args.code, args.url, items)
    signin = passwords.sign_in(account)
    outbox = Outbox(cache, account.id)
    try:
        result = queue_shipment(outbox, order, [parcel])
    except ShipmentRefused as refused:
        if {p.code for p in refused.problems} == {ShipProblemCode.NOTHING_TO_DO}:
            print(f"vendor-desk: {_refusal(refused.problems)}", file=sys.stderr)
            return EXIT_OK
        raise _refused(refused) from refused
    [entry_id] = result.entry_ids
    return _send_and_report(signin, outbox, entry_id)


def cmd_import_tracking(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    from vendor_desk.sync.tracking_import import (
        LineOutcome,
        TrackingImportError,
        import_tracking,
    )

    account = _pick_account(cache, getattr(args, "account", None))
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read {file}: {error}.").format(file=args.file, error=error.strerror),
            EXIT_USAGE,
        ) from error
    signin = None if args.dry_run else passwords.sign_in(account)
    outbox = Outbox(cache, account.id)
    try:
        report = import_tracking(outbox, data, dry_run=args.dry_run)
    except TrackingImportError as error:
        raise CommandError(f"{args.file}: {_said(error)}", EXIT_USAGE) from error
    codes = [EXIT_ERROR] if report.count(LineOutcome.REFUSED) else []
    states: dict[int, str] = {}
    if report.entry_ids:
        assert signin is not None  # a dry run queues nothing
        send_report = _send(signin, outbox)
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
            line_word = _("line {number}").format(number=f"{line.line:>4}")
            print(f"{line_word}  {line.outcome.value:<8} {translated(line.message)}")
    print(f"vendor-desk: {translated(report.summary())}", file=sys.stderr)
    return _worst(codes)


def cmd_message_admin(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    if not args.text.strip():
        raise CommandError(_("The message is empty."), EXIT_USAGE)
    signin = passwords.sign_in(account)
    return _queue_and_send(cache, signin, OutboxKind.MESSAGE_ADMIN, None, {"message": args.text})


def cmd_outbox(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    outbox = Outbox(cache, account.id)
    if args.fallback is not None:
        return _fallback(passwords, account, outbox, args.fallback)
    if args.decide is not None:
        return _decide(passwords, account, outbox, args.decide)
    if args.retry is not None or args.discard is not None:
        entry_id = args.retry if args.retry is not None else args.discard
        try:
            outbox.get(entry_id)
        except OutboxError as error:
            raise CommandError(
                _("No outbox entry {entry} for this account.").format(entry=entry_id), EXIT_USAGE
            ) from error
        signin = passwords.sign_in(account) if args.retry is not None else None
        try:
            if args.discard is not None:
                outbox.discard(entry_id)
            else:
                outbox.retry(entry_id)
        except OutboxError as error:
            raise CommandError(
                _("Entry {entry}: {error}.").format(entry=entry_id, error=_said(error))
            ) from error
        if args.discard is not None:
            print(json.dumps(_entry_json(outbox.get(entry_id))))
            return EXIT_OK
        assert signin is not None
        return _send_and_report(signin, outbox, entry_id)
    entries = outbox.entries()
    if args.json:
        print(json.dumps([_entry_json(entry) for entry in entries], indent=2))
        return EXIT_OK
    for entry in entries:
        order = f"#{entry.order_id}" if entry.order_id is not None else "-"
        line = f"{entry.id:>5}  {order:<8} {entry.kind.value:<14} {entry.state.value:<14}"
        why = (
            translated(describe(entry.conflict))
            if entry.conflict is not None
            else translated(entry.last_error or "")
        )
        print(f"{line} {why}".rstrip())
    waiting = sum(entry.state in APPLIED_STATES for entry in entries)
    print(
        ngettext(
            "{count} entry, {waiting} not yet on the marketplace",
            "{count} entries, {waiting} not yet on the marketplace",
            len(entries),
        ).format(count=len(entries), waiting=waiting),
        file=sys.stderr,
    )
    return EXIT_OK


def _decide(
    passwords: PasswordSource, account: AccountInfo, outbox: Outbox, words: list[str]
) -> int:
    """``outbox --decide ID CHOICE``: go on with an entry that waits for the vendor."""
    try:
        entry_id = int(words[0].lstrip("#"))
        decision = Decision(words[1])
    except ValueError as error:
        choices = ", ".join(choice.value for choice in Decision)
        raise CommandError(
            _("--decide takes an entry id and one of: {choices}.").format(choices=choices),
            EXIT_USAGE,
        ) from error
    try:
        instead = outbox.decide(entry_id, decision)
    except OutboxError as error:
        raise CommandError(f"{_said(error)}.", EXIT_USAGE) from error
    entry = outbox.get(entry_id)
    if entry.state in (OutboxState.DISCARDED, OutboxState.SENT) and instead is None:
        print(json.dumps(_entry_json(entry)))
        return EXIT_OK
    return _send_and_report(passwords.sign_in(account), outbox, instead or entry_id)


def _decision_hint(entry: OutboxEntry) -> str:
    """How to go on with an entry that waits for the vendor (its choices as commands)."""
    assert entry.conflict is not None
    commands = [
        f"'vendor-desk outbox --decide {entry.id} {choice.value}'"
        for choice in entry.conflict.choices
    ]
    return _("Decide: {commands}.").format(commands=", ".join(commands))


def _fallback(
    passwords: PasswordSource, account: AccountInfo, outbox: Outbox, entry_id: int
) -> int:
    """Tracking the marketplace cannot store: kept locally, the store admin asked to add it."""
    try:
        fallback = fallback_for(outbox, entry_id)
    except OutboxError as error:
        raise CommandError(
            _("No outbox entry {entry} for this account.").format(entry=entry_id), EXIT_USAGE
        ) from error
    if fallback is None:
        raise CommandError(
            _(
                "Entry {entry} is not tracking refused for lack of WCFM Ultimate; nothing to "
                "fall back to."
            ).format(entry=entry_id),
            EXIT_USAGE,
        )
    signin = passwords.sign_in(account)
    done = use_fallback(outbox, fallback)
    print(
        "vendor-desk: "
        + _(
            "tracking {code} of order #{number} is kept on this computer (not on the "
            "marketplace); the store admin is asked to add it."
        ).format(code=fallback.code, number=fallback.order_number),
        file=sys.stderr,
    )
    assert done.message_entry_id is not None
    return _send_and_report(signin, outbox, done.message_entry_id)


def _unknown_order(order_id: int) -> CommandError:
    return CommandError(
        _(
            "Order #{number} is not among your cached orders: check the number or run "
            "'vendor-desk sync' first."
        ).format(number=order_id),
        EXIT_USAGE,
    )


def _cached_order(cache: Any, account: AccountInfo, order_id: int) -> Order:
    """The cached order, or a usage error (the CLI acts only on orders it knows)."""
    with cache.session() as session:
        order = load_orders(session, account.id, [order_id]).get(order_id)
    if order is None:
        raise _unknown_order(order_id)
    return order


def _queue_and_send(
    cache: Any,
    signin: SignIn,
    kind: OutboxKind,
    order_id: int | None,
    payload: dict[str, Any],
) -> int:
    """Queue one change (kept even if the marketplace cannot be reached), then try to send."""
    outbox = Outbox(cache, signin.account.id)
    try:
        entry_id = outbox.enqueue(kind, order_id, payload)
    except ValueError as error:
        raise CommandError(_said(error), EXIT_USAGE) from error
    return _send_and_report(signin, outbox, entry_id)


def _send_and_report(signin: SignIn, outbox: Outbox, entry_id: int) -> int:
    """One send pass, then the outcome of ``entry_id`` as exit code and message."""
    report = _send(signin, outbox, entry_id)
    return _outcome(outbox, report, entry_id)


def _send(signin: SignIn, outbox: Outbox, entry_id: int | None = None) -> SendReport:
    """One send pass. Running a command is the vendor asking for now: entries backed off
    after an earlier failure are made due first (uncertain ones are still checked before being
    resent)."""
    from vendor_desk.marketplace.probe import open_marketplace

    for entry in outbox.pending():
        if entry.next_attempt_at is not None and entry.state is not OutboxState.SENDING:
            outbox.retry(entry.id)
    if signin.password is None:
        account = signin.account
        queued = (
            _("outbox entry {entry}").format(entry=entry_id)
            if entry_id is not None
            else _("the outbox")
        )
        raise CommandError(
            _(
                "Queued as {queued}, but no password is stored for {login} at {url}: add the "
                "account again (or give it with --password-stdin)."
            ).format(queued=queued, login=account.login, url=account.base_url),
            EXIT_AUTH,
        )
    with open_marketplace(_credentials(signin)) as market:
        return outbox.send_due(market, wait=SENDER_WAIT)


def _outcome(outbox: Outbox, report: SendReport, entry_id: int, *, quiet: bool = False) -> int:
    """The outcome of ``entry_id`` after a send pass: its JSON on stdout (unless ``quiet``)
    and exit 0, or a :class:`CommandError` with the exit code."""
    entry = outbox.get(entry_id)
    others = [i for i in report.sent + report.confirmed if i != entry_id]
    if others and not quiet:
        print(
            "vendor-desk: "
            + _("also sent earlier entries {entries}.").format(entries=", ".join(map(str, others))),
            file=sys.stderr,
        )
    if entry.state in (OutboxState.SENT, OutboxState.LOCAL):
        if entry.state is OutboxState.LOCAL:
            print(
                "vendor-desk: "
                + _(
                    "{summary}: recorded on this computer only — this marketplace takes no "
                    "notes from outside its dashboard."
                ).format(summary=translated(entry.summary)),
                file=sys.stderr,
            )
        if not quiet:
            print(json.dumps(_entry_json(entry)))
        return EXIT_OK
    where = _("outbox entry {entry} ({summary})").format(
        entry=entry_id, summary=translated(entry.summary)
    )
    if entry.state is OutboxState.NEEDS_DECISION and entry.conflict is not None:
        raise CommandError(
            _("Not sent — {where}: {conflict} {decide}").format(
                where=where,
                conflict=translated(describe(entry.conflict)),
                decide=_decision_hint(entry),
            )
        )
    if report.busy is not None and entry_id in report.waiting:
        raise CommandError(
            _(
                "Queued as {where}: {sender} is sending for this account right now. The window "
                "sends it with its next sync; or run 'vendor-desk outbox --retry {entry}' in a "
                "moment."
            ).format(where=where, sender=translated(report.busy.describe()), entry=entry_id),
            EXIT_UNREACHABLE,
        )
    if (
        entry.state is OutboxState.UNCERTAIN
        and entry.check_after is not None
        and entry_id in report.waiting
    ):
        went = entry.attempt_at.astimezone().strftime("%H:%M:%S") if entry.attempt_at else "?"
        due = entry.check_after.astimezone().strftime("%H:%M:%S")
        raise CommandError(
            _(
                "The first attempt of {where} went out at {went} and may still be under way on "
                "the marketplace (it may already have reached {reached}). It is checked — and "
                "sent again only if it did not arrive — from {due}: run "
                "'vendor-desk outbox --retry {entry}' then (the window does it by itself)."
            ).format(
                where=where,
                went=went,
                reached=translated(entry.may_have_reached),
                due=due,
                entry=entry_id,
            ),
            EXIT_UNREACHABLE,
        )
    if entry.state is OutboxState.FAILED:
        if entry_id in report.failed:
            hint = ""
            if fallback_for(outbox, entry) is not None:
                hint = " " + _(
                    "To keep the tracking locally and ask the store admin to add it: "
                    "'vendor-desk outbox --fallback {entry}'."
                ).format(entry=entry_id)
            refused = _("Refused by the marketplace: {error} [{where}]").format(
                error=translated(entry.last_error or ""), where=where
            )
            raise CommandError(refused + hint)
        raise CommandError(
            _(
                "{where} waits: an earlier change of the same order was refused; retry or "
                "discard it ('vendor-desk outbox')."
            ).format(where=where),
        )
    if report.signed_out:
        raise CommandError(
            _(
                "The marketplace refused the password of this account; {where} is queued and "
                "goes out once you sign in again ('vendor-desk account add URL USER', or "
                "--password-stdin)."
            ).format(where=where),
            EXIT_AUTH,
        )
    if report.offline:
        raise CommandError(
            _(
                "The marketplace could not be reached; {where} is queued and goes out with the "
                "next command or 'vendor-desk outbox --retry {entry}'."
            ).format(where=where, entry=entry_id),
            EXIT_UNREACHABLE,
        )
    if entry.state is OutboxState.UNCERTAIN:
        if entry.check_after is not None:
            text = _(
                "The marketplace did not confirm {where}; it may still be under way there. It "
                "is checked from {due} — never sent twice — by the next command, the window, "
                "or 'vendor-desk outbox --retry {entry}'."
            )
        else:
            text = _(
                "The marketplace did not confirm {where}; it may still be under way there. It "
                "is checked — never sent twice — by the next command, the window, or "
                "'vendor-desk outbox --retry {entry}'."
            )
        due = entry.check_after.astimezone().strftime("%H:%M:%S") if entry.check_after else ""
        raise CommandError(
            text.format(where=where, due=due, entry=entry_id),
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
            _(
                "{where} waits behind refused entry {blocker} of the same order: retry or "
                "discard it ('vendor-desk outbox')."
            ).format(where=where, blocker=blocker.id),
        )
    if entry.last_error:
        text = _("The marketplace could not take {where} now: {error}; it stays queued.")
    else:
        text = _("The marketplace could not take {where} now; it stays queued.")
    raise CommandError(
        text.format(where=where, error=translated(entry.last_error or "").rstrip(".")),
        EXIT_UNREACHABLE,
    )


# =========================================================================== refunds
def configure_refunds(commands: Any) -> None:
    """Add ``refund`` (ask the store admin to refund an order) and ``refunds`` (list them)."""
    refund = commands.add_parser(
        "refund", help=_("ask the store admin to refund an order (fully or some items)")
    )
    _common(refund, signs_in=True)
    refund.add_argument("order", type=order_number, help=_("the order's number"))
    mode = refund.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--full",
        action="store_true",
        help=_("refund every remaining item (the original shipping is refunded too)"),
    )
    mode.add_argument("--partial", action="store_true", help=_("refund the --item lines given"))
    refund.add_argument(
        "--item",
        action="append",
        dest="items",
        default=[],
        metavar="ID:QTY:AMOUNT",
        help=_(
            "partial: an item's id ('vendor-desk order N' lists them), the units to put back "
            "in stock (0 if it did not come back) and the amount to refund (12,50 or 12.50); "
            "repeatable"
        ),
    )
    refund.add_argument(
        "--reason",
        required=True,
        help=_("why (required; the customer sees it once the store admin approves)"),
    )
    refund.add_argument(
        "--unpaid-ok",
        action="store_true",
        help=_(
            "send the request even though nothing was paid for the order yet (unpaid cash on "
            "delivery): an approved refund then gives no money back, it only lowers the order's "
            "total and your earning. Without it such a request is refused (exit 1)"
        ),
    )
    refunds = commands.add_parser("refunds", help=_("list your refund requests"))
    _common(refunds)
    refunds.add_argument("--json", action="store_true", help=_("print a JSON array"))


def _refund_refused(refused: RefundRefused, order: Order) -> CommandError:
    message = _refusal(refused.problems)
    if refused.needs_admin:
        message += " " + _(
            "Send the store admin a message instead, e.g. 'vendor-desk message-admin \"…\"' "
            "(order #{number})."
        ).format(number=order.number)
    return CommandError(message, EXIT_USAGE if refused.is_input else EXIT_ERROR)


def _item_fields(texts: list[str]) -> list[tuple[int, str, str]]:
    """``ID:QTY:AMOUNT`` → (item id, qty text, amount text); a usage error otherwise."""
    fields: list[tuple[int, str, str]] = []
    for text in texts:
        parts = text.split(":")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            raise CommandError(
                _("--item {text!r}: expected ID:QTY:AMOUNT, e.g. --item 3:1:12,50.").format(
                    text=text
                ),
                EXIT_USAGE,
            )
        fields.append((int(parts[0]), parts[1], parts[2]))
    return fields


def cmd_refund(args: argparse.Namespace, cache: Any, passwords: PasswordSource) -> int:
    account = _pick_account(cache, getattr(args, "account", None))
    order = _cached_order(cache, account, args.order)
    if args.full and args.items:
        raise CommandError(_("--full refunds every remaining item: give no --item."), EXIT_USAGE)
    if args.partial and not args.items:
        raise CommandError(
            _("--partial needs at least one --item ID:QTY:AMOUNT (e.g. --item 3:0:12,50)."),
            EXIT_USAGE,
        )
    mode = RefundMode.FULL if args.full else RefundMode.PARTIAL
    outbox = Outbox(cache, account.id)
    try:
        lines = lines_from_text(order, _item_fields(args.items)) if args.partial else []
        plan = plan_refund(order, mode, lines, args.reason)
    except RefundRefused as refused:
        raise _refund_refused(refused, order) from refused
    if plan.unpaid_warning and not args.unpaid_ok:
        raise CommandError(
            _("{warning} To send the request anyway, add --unpaid-ok.").format(
                warning=translated(plan.unpaid_warning)
            ),
            EXIT_ERROR,
        )
    signin = passwords.sign_in(account)
    if plan.unpaid_warning:
        print(
            "vendor-desk: "
            + _("warning: {warning}").format(warning=translated(plan.unpaid_warning)),
            file=sys.stderr,
        )
    try:
        entry_id = queue_refund(
            outbox, order, mode, lines, args.reason, confirm_unpaid=args.unpaid_ok
        )
    except RefundRefused as refused:
        raise _refund_refused(refused, order) from refused
    for note in plan.notes:
        print(f"vendor-desk: {translated(note)}", file=sys.stderr)
    return _send_and_report(signin, outbox, entry_id)


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
        ngettext(
            "{count} refund request, {waiting} waiting in the outbox "
            "(run 'vendor-desk sync' to refresh)",
            "{count} refund requests, {waiting} waiting in the outbox "
            "(run 'vendor-desk sync' to refresh)",
            len(requests),
        ).format(count=len(requests), waiting=len(waiting)),
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
        "print",
        help=_(
            "print packing slips, invoices or a pick list of cached orders to a print queue, "
            "or write them to a PDF"
        ),
    )
    _common(printing)
    printing.add_argument("kind", choices=PRINT_KINDS, help=_("which document"))
    printing.add_argument(
        "orders", type=order_number, nargs="+", metavar="ORDER", help=_("order numbers")
    )
    where = printing.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help=_("the PDF file to write"))
    where.add_argument(
        "--printer",
        metavar="NAME",
        help=_("the print queue to send them to ('vendor-desk printers' lists them)"),
    )
    printing.add_argument(
        "--copies",
        type=copies_count,
        default=1,
        metavar="N",
        help=_("with --printer: how many copies (default 1)"),
    )
    printing.add_argument(
        "--paper",
        choices=[paper.cli_name for paper in Paper],
        default=None,
        help=_(
            "a4, letter, or a label for slips and pick lists: label4x6 (4×6 in, "
            "101.6×152.4 mm) or label100x150 (100×150 mm); default: the print queue's paper "
            "with --printer, else a4"
        ),
    )
    printing.add_argument(
        "--sort",
        choices=("given", "number", "date", "shipping", "sku"),
        default="given",
        help=_("print order of the documents (default: as given)"),
    )
    printing.add_argument(
        "--prices", action="store_true", help=_("slips: show unit prices and line totals")
    )


def copies_count(text: str) -> int:
    """A number of copies as typed: 1 to 999."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 999:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a number of copies (1 to 999)").format(text=text)
        )
    return int(text)


def configure_printers(commands: Any) -> None:
    """Add ``printers``: the print queues of this computer's print system (CUPS)."""
    printers = commands.add_parser(
        "printers",
        help=_("list the print queues, their default paper and the default queue"),
    )
    printers.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))


def _print_system_error(error: Exception) -> CommandError:
    """The command line's answer to a print system failure: exit code 3 when the print
    system is missing or not answering (try again once it runs), 1 otherwise."""
    from vendor_desk import print_system

    code = EXIT_ERROR if print_system.available() else EXIT_UNREACHABLE
    return CommandError(str(error), code)


def _print_queues() -> list[Any]:
    """The system's print queues; CommandError when there is no print system (exit code 3)
    or it fails."""
    from vendor_desk import print_system

    if not print_system.available():
        raise CommandError(_no_print_system(), EXIT_UNREACHABLE)
    try:
        return print_system.queues()
    except print_system.PrintError as error:
        raise _print_system_error(error) from None


def cmd_printers(args: argparse.Namespace) -> int:
    """List the queues: a table (the default one marked with *) or JSON."""
    queues = _print_queues()
    if args.json:
        rows = [
            {
                "name": queue.name,
                "default": queue.default,
                "default_media": queue.default_media,
                "paper": _paper_cli_name(queue.default_media),
                "description": queue.description,
            }
            for queue in queues
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not queues:
        print(
            "vendor-desk: "
            + _("No print queue on this computer: add a printer in the system's settings.")
        )
        return EXIT_OK
    table = [(_("QUEUE"), _("DEFAULT PAPER"), _("DESCRIPTION"))]
    for queue in queues:
        paper = _paper_cli_name(queue.default_media)
        media = queue.default_media + (f" ({paper})" if paper else "")
        table.append((queue.name, media or "-", queue.description))
    widths = [max(len(row[column]) for row in table) for column in range(2)]
    for index, (name, media, description) in enumerate(table):
        mark = "*" if index and queues[index - 1].default else " "
        line = f"{mark} {name:<{widths[0]}}  {media:<{widths[1]}}  {description}"
        print(line.rstrip())
    if any(queue.default for queue in queues):
        print(_("* the default queue"), file=sys.stderr)
    return EXIT_OK


def _paper_cli_name(media: str) -> str | None:
    from vendor_desk import print_system

    paper = print_system.paper_for_media(media)
    return paper.cli_name if paper else None


def _no_print_system() -> str:
    from vendor_desk import print_system

    try:
        print_system.queues()
    except print_system.PrintError as error:
        return str(error)
    return _("The print system (CUPS) is not running on this computer.")


def _system_locale() -> str:
    """The user's locale for amounts and dates (documents, the order table): the one the
    window's Qt takes from the environment (``LC_ALL``, else ``LANG``; "C"/"POSIX" mean en_US
    as in the window), else Python's, else "en_US". Read from the variables, not from the C
    library, so a locale this computer has no C data for still formats like the window."""
    import locale

    value = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    wanted = value.split(".")[0].split("@")[0]
    if wanted:
        return "en_US" if wanted in ("C", "POSIX") else wanted
    try:
        name = locale.getlocale(locale.LC_TIME)[0] or locale.getlocale()[0]
    except ValueError:  # a locale Python cannot parse
        name = None
    return name or "en_US"


def _print_queue(name: str) -> Any:
    """The print queue ``--printer`` names; CommandError when the print system is not there
    (exit code 3) or has no such queue (exit code 2, the known queues named)."""
    queues = _print_queues()
    for queue in queues:
        if queue.name == name:
            return queue
    known = ", ".join(queue.name for queue in queues)
    if not known:
        raise CommandError(
            _("No print queue named '{name}': this computer has none.").format(name=name),
            EXIT_USAGE,
        )
    raise CommandError(
        _("No print queue named '{name}' (known: {known}).").format(name=name, known=known),
        EXIT_USAGE,
    )


def _job_title(kind: str, orders: Sequence[int]) -> str:
    """The job's name in the queue: "vendor-desk slip 18 19 20 ..." (the first five orders;
    ASCII, as some queues make a file name of it)."""
    shown = " ".join(str(number) for number in orders[:5])
    return f"vendor-desk {kind} {shown}" + (" ..." if len(orders) > 5 else "")


def cmd_print(args: argparse.Namespace, cache: Any) -> int:
    import dataclasses

    from vendor_desk import documents, print_system

    account = _pick_account(cache, getattr(args, "account", None))
    kind = documents.DocumentKind(args.kind)
    queue = _print_queue(args.printer) if args.printer else None
    if args.paper:
        paper = documents.Paper.from_cli(args.paper)
    else:  # the queue's own paper when it is one of ours, else A4
        paper = (print_system.paper_for_media(queue.default_media) if queue else None) or (
            documents.Paper.A4
        )
        if paper.is_label and kind in (
            documents.DocumentKind.INVOICE,
            documents.DocumentKind.COMMISSION,
        ):
            paper = documents.Paper.A4
    if paper.is_label and kind in (
        documents.DocumentKind.INVOICE,
        documents.DocumentKind.COMMISSION,
    ):
        raise CommandError(_("Invoices are printed on a4 or letter paper."), EXIT_USAGE)
    with cache.session() as session:
        settings = documents.load_settings(session, account.id).with_locale(_system_locale())
    if args.prices:
        settings = dataclasses.replace(settings, slip_prices=True)
    orders = list(dict.fromkeys(args.orders))
    try:
        loaded = documents.load_document_orders(
            cache,
            account.id,
            orders,
            invoice_settings=settings if kind is documents.DocumentKind.INVOICE else None,
            issue_invoices=True,  # writing the file issues the invoices (numbers, dates)
        )
    except documents.UnknownOrders as unknown:
        raise CommandError(
            _(
                "Not among your cached orders: {orders}. Check the numbers or run "
                "'vendor-desk sync' first."
            ).format(orders=unknown),
            EXIT_USAGE,
        ) from None
    pdf = documents.render(kind, documents.sort_orders(loaded, args.sort), settings, paper)
    if queue is not None:
        options = print_system.PrintOptions(copies=args.copies, media=print_system.media_for(paper))
        try:
            job = print_system.submit(
                queue.name, pdf, title=_job_title(kind.value, orders), options=options
            )
        except print_system.PrintError as error:
            raise _print_system_error(error) from None
        print(job)
        print(
            "vendor-desk: "
            + ngettext(
                "sent {count} order to {printer} as job {job} ({size} KB, {paper})",
                "sent {count} orders to {printer} as job {job} ({size} KB, {paper})",
                len(loaded),
            ).format(
                count=len(loaded),
                printer=queue.name,
                job=job,
                size=max(1, round(len(pdf) / 1024)),
                paper=paper.cli_name,
            ),
            file=sys.stderr,
        )
        return EXIT_OK
    if args.copies != 1:
        raise CommandError(_("--copies goes with --printer."), EXIT_USAGE)
    try:
        args.out.write_bytes(pdf)
    except OSError as error:
        raise CommandError(
            _("Cannot write {file}: {error}").format(file=args.out, error=error.strerror)
        ) from None
    print(
        "vendor-desk: "
        + ngettext(
            "wrote {file} ({count} order)", "wrote {file} ({count} orders)", len(loaded)
        ).format(file=args.out, count=len(loaded)),
        file=sys.stderr,
    )
    return EXIT_OK
