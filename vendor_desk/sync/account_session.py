"""One account's conversation with its marketplace, as the window's worker runs it. No Qt.

The window has one worker thread per account (design.md §3); every job of that account goes
through one :class:`AccountSession`, which keeps one signed-in client between jobs::

    session = AccountSession(cache, account_id, open_marketplace)
    result = session.sync(progress, cancel)   # queued changes out, orders and notifications in
    report = session.send(progress, cancel)   # only the queued changes (right after an action)

A job that fails drops the client, so the next one signs in afresh on a new connection pool.
Used from the worker thread only, so it needs no lock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from vendor_desk.cache.db import Cache
from vendor_desk.domain import Capabilities, Order, SalesStats, StoreSettings
from vendor_desk.marketplace import MarketplaceError, Unreachable
from vendor_desk.sync.notifications import (
    READ_PER_PAGE,
    NotificationSyncReport,
    sync_notifications,
)
from vendor_desk.sync.outbox import Outbox, OutboxKind, SendReport
from vendor_desk.sync.refunds import RefundSyncReport, refund_list_due, sync_refund_requests
from vendor_desk.sync.sender_lock import WINDOW
from vendor_desk.sync.syncer import Syncer, SyncResult

if TYPE_CHECKING:  # the HTTP client (and requests) load only when first used
    from vendor_desk.marketplace import Marketplace

log = logging.getLogger("vendor_desk.sync.account_session")

#: The board's read list (the vendor's own messages, notifications read elsewhere) is read this
#: often (seconds); the unread list, every sync.
READ_LIST_EVERY = 30 * 60.0
#: While a refund request waits for the store admin, its list is read this often (seconds).
REFUND_LIST_EVERY = 10 * 60.0

T = TypeVar("T")


@dataclass
class AccountSyncResult:
    """What one :meth:`AccountSession.sync` did."""

    sync: SyncResult
    sent: SendReport
    capabilities: Capabilities | None = None
    #: The notification board's pass (None until it ran).
    notifications: NotificationSyncReport | None = None
    #: The marketplace's store profile (first sync of a session only).
    store: StoreSettings | None = None
    #: The refund-request list's pass: decisions the admin made since the last one.
    refunds: RefundSyncReport | None = None

    # The window reads these two like a SyncResult's.
    @property
    def new_order_ids(self) -> list[int]:
        return list(self.sync.new_order_ids)

    @property
    def kind(self) -> str:
        return str(self.sync.kind)


class AccountSession:
    """The marketplace client, outbox and syncer of one account, reused between jobs."""

    def __init__(
        self,
        cache: Cache,
        account_id: int,
        open_marketplace: Callable[[], Marketplace],
        *,
        dashboard: bool = True,
        sender: str = WINDOW,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.cache = cache
        #: "Now" for the syncer (benchmarks move it; None: the real clock).
        self._clock = clock
        #: How other processes name this one when it is sending ("Vendor Desk's window").
        self.sender = sender
        #: The refund-request list is on the dashboard surface, which application passwords
        #: cannot open.
        self._reads_dashboard = dashboard
        self.account_id = account_id
        self._open = open_marketplace
        self._market: Marketplace | None = None
        self._outbox: Outbox | None = None
        self._store_checked = False
        #: The last job found the marketplace unreachable (changes were deferred meanwhile).
        self._unreachable = False
        #: When the board's read list was last read (monotonic seconds; None: not yet).
        self._read_list_at: float | None = None
        #: When the refund-request list was last read (monotonic seconds; None: not yet).
        self._refunds_read_at: float | None = None

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            # Sends under the account's sender lock (one process at a time: a command typed
            # while the window is open waits its turn); entries a crashed process left
            # "sending" are recovered (checked before any resend) when none is sending.
            self._outbox = Outbox(self.cache, self.account_id, sender=self.sender)
        return self._outbox

    def _run(self, work: Callable[[Marketplace], T]) -> T:
        try:
            if self._market is None:
                self._market = self._open()
            result = work(self._market)
        except Exception as error:
            if isinstance(error, Unreachable):
                self._unreachable = True
            market, self._market = self._market, None
            if market is not None:
                market.close()
            raise
        if isinstance(result, SendReport | AccountSyncResult):
            report = result if isinstance(result, SendReport) else result.sent
            self._unreachable = report.offline
        return result

    def _send_due(self, market: Marketplace) -> SendReport:
        """The outbox's due entries; after a spell offline, those it deferred meanwhile too."""
        if self._unreachable:
            self.outbox.wake_deferred()
        return self.outbox.send_due(market)

    def sync(
        self,
        progress: Callable[[Any], None],
        cancel: threading.Event,
        *,
        everything: bool = False,
    ) -> AccountSyncResult:
        """Send the vendor's queued changes (also those queued from the command line), then
        sync the orders, which brings the marketplace's truth into the cache, then the
        notification board (and the refund-request list while a request waits).
        ``everything``: read every order now ("Check everything now") instead of a routine
        sync with its sweep slice.

        What the site pays for a routine sync is kept small: the client signs in once per
        session; the board's read list (the vendor's own messages) is read once per
        :data:`READ_LIST_EVERY`; the refund-request list once per session, then only while a
        request waits for the admin's decision, once per :data:`REFUND_LIST_EVERY`."""

        def work(market: Marketplace) -> AccountSyncResult:
            sent = self._send_due(market)
            syncer = (
                Syncer(self.cache, self.account_id, market, clock=self._clock)
                if self._clock is not None
                else Syncer(self.cache, self.account_id, market)
            )
            if everything:
                result = syncer.reconcile(progress, cancel)
            else:
                result = syncer.sync(progress, cancel)
            outcome = AccountSyncResult(result, sent)
            try:
                outcome.capabilities = market.capabilities()
            except MarketplaceError as error:  # the orders synced; say it and go on
                log.info("capabilities unknown: %s", error)
            outcome.store = self._store_profile(market)
            # Neither raises: both are secondary to the orders (their reports say what failed).
            now = time.monotonic()
            read_list = self._read_list_at is None or now - self._read_list_at >= READ_LIST_EVERY
            outcome.notifications = sync_notifications(
                self.cache,
                self.account_id,
                market,
                read_per_page=READ_PER_PAGE if read_list else 0,
            )
            if read_list and not outcome.notifications.error:
                self._read_list_at = now
            if self._reads_dashboard and self._refund_list_due(now):
                outcome.refunds = sync_refund_requests(
                    self.cache, self.account_id, market, complete=self._refunds_read_at is None
                )
                if outcome.refunds.error is None:
                    self._refunds_read_at = now
            return outcome

        return self._run(work)

    def _refund_list_due(self, now: float) -> bool:
        """The refund-request list: once per session (all of it), then while a request waits
        for the store admin's decision, every :data:`REFUND_LIST_EVERY` — the order list shows
        a decision too (the items' refund states), this says which request it was."""
        if self._refunds_read_at is None:
            return True
        return now - self._refunds_read_at >= REFUND_LIST_EVERY and refund_list_due(
            self.cache, self.account_id
        )

    def _store_profile(self, market: Marketplace) -> StoreSettings | None:
        """The marketplace's store profile, read once per session (what documents print when
        the vendor set nothing else); None after the first time or when it cannot be read."""
        if self._store_checked:
            return None
        try:
            store = market.store_settings()
        except MarketplaceError as error:  # try again next sync
            log.info("store settings not read: %s", error)
            return None
        self._store_checked = True
        return store

    def send(self, progress: Callable[[Any], None], cancel: threading.Event) -> SendReport:
        """Send the due outbox entries now (after the vendor acted in the window)."""

        def work(market: Marketplace) -> SendReport:
            report = self._send_due(market)
            done = report.sent + report.confirmed
            if self._reads_dashboard and any(
                self.outbox.get(entry_id).kind is OutboxKind.REFUND for entry_id in done
            ):
                # Read the request list now, so the admin's decision on this request is
                # noticed (and notified) by a later sync as a change, not as old news.
                sync_refund_requests(self.cache, self.account_id, market)
            return report

        return self._run(work)

    def fetch_order(self, order_id: int) -> Order | None:
        """Read one order the cache does not hold yet (a new order's packing slip was
        scanned) and store it; None when the marketplace has no such order for this vendor
        (another vendor's, or a mistyped number)."""

        def work(market: Marketplace) -> Order | None:
            syncer = (
                Syncer(self.cache, self.account_id, market, clock=self._clock)
                if self._clock is not None
                else Syncer(self.cache, self.account_id, market)
            )
            return syncer.refresh_order(order_id)

        return self._run(work)

    def sales_stats(self) -> SalesStats:
        """The marketplace's own sales figures (``sales-stats``: the last 7 days, this month
        and last month; completed items only), for the Earnings view."""
        from vendor_desk.sync.earnings import marketplace_figures

        return self._run(marketplace_figures)

    def store_invoice(self, order_id: int) -> tuple[str, bytes | None]:
        """The marketplace-issued store invoice of a cached order (its number, and the PDF or
        None when the marketplace issued none for this vendor)."""
        from vendor_desk.cache.queries import order_detail

        with self.cache.session() as session:
            detail = order_detail(session, self.account_id, order_id)
        if detail is None:
            return str(order_id), None
        order = detail.order
        return order.number, self._run(lambda market: market.download_store_invoice(order))

    def close(self) -> None:
        if self._market is not None:
            self._market.close()
            self._market = None
