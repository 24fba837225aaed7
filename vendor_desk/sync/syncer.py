"""Pulling the vendor's orders from the marketplace into the cache. No Qt.

The marketplace's order list has no modified-since filter, no totals and no status filter
(see ``docs/sync.md``), so three kinds of sync share the work:

* **first** — page through every order (newest first), one transaction per page together with
  a cursor, so a killed process resumes where it stopped; then read the head again to catch
  orders that arrived meanwhile;
* **routine** — read the newest pages until one is entirely known and unchanged, then refresh
  the orders still open locally, batched by creation-date range where that takes fewer requests
  than one GET per order;
* **reconcile** — walk everything and mark orders the marketplace no longer lists as vanished
  (never deleted), un-marking those that come back.

Every marketplace failure propagates as the client's typed ``MarketplaceError``; the page being
stored when it happened is rolled back, so the cache stays exactly as it was before that page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from vendor_desk.cache import Cache
from vendor_desk.cache import notifications as board_store
from vendor_desk.cache import store as cache_store
from vendor_desk.cache.db import drop_list_indexes, restore_list_indexes
from vendor_desk.cache.models import OrderRecord, SyncStateRow
from vendor_desk.domain import Note, Order, OrderStatus
from vendor_desk.marketplace import NotFound
from vendor_desk.marketplace.parsing import has_trash_meta
from vendor_desk.sync import fastpath
from vendor_desk.sync.outbox import Outbox

if TYPE_CHECKING:  # the HTTP client (and requests) load only when first used
    from vendor_desk.marketplace import Marketplace

log = logging.getLogger("vendor_desk.sync")

PER_PAGE = 100
#: The head check of a routine sync reads this many of the newest orders (more pages only while
#: it finds new or changed ones): a page of 20 costs a site about a third of a page of 100.
HEAD_PER_PAGE = 20
#: Open orders created within this — and among the newest 100 orders — are read again by every
#: routine sync; older open orders (an on-hold order from last spring) are left to the sweep,
#: which reads every order within :data:`SWEEP_PERIOD`.
FRESH_FOR = timedelta(days=7)
#: The head check reads this many orders more than the newest fresh open order's position (the
#: orders placed since the last sync push it down).
HEAD_MARGIN = 5
#: Fresh open orders are among this many newest orders (None: any, within FRESH_FOR): so that
#: the head check reads them all in one page of at most 100.
FRESH_MAX: int | None = PER_PAGE - HEAD_MARGIN
#: The sweep reads every order on the list again within this (the bound the window shows).
SWEEP_PERIOD = timedelta(hours=1)
#: A sweep pass is scheduled over this share of SWEEP_PERIOD.
SWEEP_SCHEDULE = 0.9
#: Most of a site's time the sweep may take in one routine sync (modelled, see ServerCost); a
#: shop too big to be swept within SWEEP_PERIOD at that pace takes longer, and says so.
SWEEP_BUDGET_SECONDS = 4.0
#: A full walk is still run when asked (Check everything now); kept for callers that ask when
#: it is due (None: never on its own — the sweep replaced the daily walk).
RECONCILE_EVERY: timedelta | None = None
#: At most this many changed orders get their notes re-read per sync (the rest lazily).
NOTES_PER_SYNC = 20
#: Up to this many vanish candidates are confirmed one by one before being marked.
CONFIRM_VANISHED_MAX = 20
#: Page requests a full walk (first sync, check of everything, a sweep's pages) has in flight
#: at first; while the answers keep their speed it goes up to WALK_MAX_PARALLEL (a modest WordPress
#: answers a few requests at once: PHP-FPM's workers), down again when they slow down or the
#: site says it is busy.
WALK_PARALLEL = 2
WALK_MAX_PARALLEL = 4
#: An answer this many times slower than the fastest one: the site's workers are all busy.
SLOWER_THAN_FASTEST = 1.6
#: Answers within this factor of the fastest one count towards one more request in flight.
AS_FAST_AS_FASTEST = 1.3
#: A page the site turned away as busy (past the client's own retries) is asked for again this
#: many times, alone, after the wait it asked for (at most BUSY_WAIT_MAX seconds).
BUSY_PAGE_TRIES = 2
BUSY_WAIT_MAX = 15.0
#: WAL pages (4 KiB each) a full walk lets accumulate before SQLite copies them into the
#: database file (SQLite's default is 1,000). Each such checkpoint writes and syncs the pages
#: changed since the previous one — the indexes of ``orders`` again and again when they come
#: every 4 MB — so a first sync of 5,000 orders (30 MB written) spent ≈ 0.6 s in them; with
#: this threshold it checkpoints at most every 32 MB and once at the end of the walk.
WALK_CHECKPOINT_PAGES = 8192

#: One page of a full walk: domain orders, or (fast path) their rows ready to store.
PageOrders = list[Order] | list[cache_store.PreparedOrder]


@dataclass(frozen=True)
class _EntryPage:
    """One order-list page as the client decoded it (JSON entries with their text, see
    ``WcfmMarketplace.list_order_entries``) and the site's timezone as known after reading it."""

    entries: list[tuple[Any, str | None]]
    site_tz: tzinfo

    def __len__(self) -> int:
        return len(self.entries)


#: What the page reader hands over: domain orders, or a page of entries for the fast path.
FetchedPage = list[Order] | _EntryPage


def _order_id(order: Order | cache_store.PreparedOrder) -> int:
    return order.order_id if isinstance(order, cache_store.PreparedOrder) else order.id


@dataclass(frozen=True)
class ServerCost:
    """What a request costs a modest WordPress + WCFM site (measured on a real one, issue 14):
    a fixed part per list request, a part per order it returns, and one order read alone. The
    routine sync plans by these, not by the number of requests."""

    per_request: float = 0.13
    per_order: float = 0.0049
    single_order: float = 0.09

    def page(self, orders: int) -> float:
        return self.per_request + self.per_order * orders


#: The default cost model.
SERVER_COST = ServerCost()


class CancelToken(Protocol):
    """What ``cancel`` must offer (``threading.Event`` does)."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class SyncProgress:
    """Reported after every page: orders read so far, pages done, and the phase
    ("first", "catch-up", "head", "open", "reconcile", "confirm", "notes")."""

    orders_so_far: int
    pages_done: int
    phase: str


@dataclass(frozen=True)
class SyncResult:
    """What a sync did. ``kind`` is "first", "routine" or "reconcile". On a first sync every
    order is new: ``new_order_ids`` then lists them all (do not notify for those)."""

    kind: str
    new_order_ids: tuple[int, ...]
    changed_order_ids: tuple[int, ...]
    vanished_order_ids: tuple[int, ...]
    requests_made: int
    duration: float
    cancelled: bool = False
    #: Orders that had been marked vanished and are listed again.
    returned_order_ids: tuple[int, ...] = ()
    #: The sweep's share of a routine sync: its list requests and the orders they returned.
    sweep_requests: int = 0
    sweep_orders: int = 0


@runtime_checkable
class _RawOrderPages(Protocol):
    """A client that hands out order-list pages undecoded into domain objects
    (``WcfmMarketplace.list_order_entries``), for the fast path."""

    @property
    def site_timezone(self) -> tzinfo: ...

    def list_order_entries(self, page: int, per_page: int) -> list[tuple[Any, str | None]]: ...


class SyncCancelled(Exception):
    """Raised internally when ``cancel`` is set between pages."""


class _WalkWriter:
    """The write transactions of a full walk (one per page, ``BEGIN IMMEDIATE`` like
    ``Cache.session(write=True)``) on one connection whose automatic WAL checkpoints come every
    :data:`WALK_CHECKPOINT_PAGES` instead of every 1,000 pages.

    :meth:`finish` checkpoints what the walk left in the WAL (passively: it never waits for a
    reader) so the cost is paid by the walk, not by whoever writes next; :meth:`close` gives
    the connection back to the pool with SQLite's setting restored. Durability is unchanged:
    a committed page is in the WAL either way, and the WAL is part of the database.
    """

    def __init__(self, cache: Cache) -> None:
        self._connection = cache.engine.connect()
        try:
            self._connection.execution_options(sqlite_begin="IMMEDIATE")
            self._restore = int(self._pragma("PRAGMA wal_autocheckpoint") or 0)
            self._pragma(f"PRAGMA wal_autocheckpoint = {WALK_CHECKPOINT_PAGES}")
        except BaseException:
            self._connection.close()
            raise

    def _pragma(self, sql: str) -> Any:
        """Run ``sql`` outside any transaction (a checkpoint cannot run inside one); returns
        the first column of its first row, if any."""
        cursor = self._connection.connection.driver_connection.execute(sql)  # type: ignore[union-attr]
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else row[0]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One page's transaction: committed when the block ends, rolled back if it raises."""
        with Session(bind=self._connection, expire_on_commit=False) as session, session.begin():
            yield session

    def finish(self) -> None:
        """Copy the walk's WAL pages into the database now (after the last page)."""
        self._pragma("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        try:
            if self._connection.in_transaction():
                self._connection.rollback()
            self._pragma(f"PRAGMA wal_autocheckpoint = {self._restore}")
        finally:
            self._connection.close()


class _PageReader:
    """Reads consecutive order-list pages on background threads, several at a time, so the
    marketplace's workers render pages in parallel while the consumer stores them in order.

    ``parallel`` requests are in flight at first (:data:`WALK_PARALLEL`); while answers keep
    their speed one more is added, up to ``max_parallel``; when an answer takes much longer than
    the fastest so far — the site's workers are all busy — or the site says it is busy (429,
    503), one fewer. Pages are handed out in page order; a failure is raised by :meth:`pages`
    when the consumer reaches that page, so every earlier page is stored first. Reading stops
    at the first short page (requests already made for pages after it are wasted, at most
    ``max_parallel``) or at ``last_page``, when the caller knows how many pages there are.
    The client's calls must be thread-safe (``WcfmMarketplace`` signs in once, under a lock);
    the caller must not use it until :meth:`close` returned.
    """

    def __init__(
        self,
        fetch: Callable[[int], FetchedPage],
        first_page: int,
        *,
        per_page: int,
        parallel: int = WALK_PARALLEL,
        max_parallel: int = WALK_MAX_PARALLEL,
        last_page: int | None = None,
    ) -> None:
        self._fetch = fetch
        self._next = first_page
        self._per_page = per_page
        self._last = last_page
        self.max_parallel = max(1, max_parallel)
        #: Requests allowed in flight now (adapted to the answers' speed).
        self.parallel = max(1, min(parallel, self.max_parallel))
        #: The most requests that were in flight at once.
        self.peak = 0
        self._pool = ThreadPoolExecutor(self.max_parallel, thread_name_prefix="sync-page")
        self._futures: dict[int, Future[tuple[FetchedPage | BaseException, float]]] = {}
        self._short: int | None = None  # the first page known to be short
        self._fastest: float | None = None
        #: Pages asked for again after the site said it was busy, and how often.
        self._busy: dict[int, int] = {}
        #: HTTP requests made (including a failed one and any read ahead but not consumed).
        self.requests = 0

    def _timed(self, page: int) -> tuple[FetchedPage | BaseException, float]:
        started = time.perf_counter()
        try:
            outcome: FetchedPage | BaseException = self._fetch(page)
        except BaseException as error:  # handed to the consumer, raised there
            outcome = error
        return outcome, time.perf_counter() - started

    def _fill(self) -> None:
        """Submit pages until ``parallel`` are in flight (never past a short or the last page;
        at most one more page than that waits, done, for the consumer)."""
        while True:
            running = sum(not future.done() for future in self._futures.values())
            if running >= self.parallel or len(self._futures) > self.parallel:
                return
            limit = (
                min(p for p in (self._short, self._last) if p is not None)
                if (self._short is not None or self._last is not None)
                else None
            )
            if limit is not None and self._next > limit:
                return
            self._futures[self._next] = self._pool.submit(self._timed, self._next)
            self.requests += 1
            self._next += 1
            self.peak = max(self.peak, running + 1)

    def _adapt(self, outcome: FetchedPage | BaseException, seconds: float) -> None:
        if isinstance(outcome, BaseException):
            if getattr(outcome, "transient", False):
                self.parallel = 1  # the site is busy: one at a time
            return
        fastest = self._fastest
        if fastest is None or seconds < fastest:
            self._fastest = fastest = seconds
        if seconds > SLOWER_THAN_FASTEST * fastest and self.parallel > 1:
            self.parallel -= 1
        elif seconds <= AS_FAST_AS_FASTEST * fastest and self.parallel < self.max_parallel:
            self.parallel += 1  # answered at full speed: the site has room for one more

    def pages(self) -> Iterator[tuple[int, FetchedPage]]:
        """(page number, orders) in page order, up to and including the first short page."""
        page = self._next
        while True:
            self._fill()
            future = self._futures.pop(page, None)
            if future is None:  # past the last page the caller announced
                return
            outcome, seconds = future.result()
            self._adapt(outcome, seconds)
            if isinstance(outcome, BaseException):
                tries = self._busy.get(page, 0)
                if not getattr(outcome, "transient", False) or tries >= BUSY_PAGE_TRIES:
                    raise outcome
                # The site is busy (429/503 past the client's own retries, a timeout …): wait
                # as long as it asked (within reason), then ask for this page again, alone.
                self._busy[page] = tries + 1
                wait = getattr(outcome, "retry_after", None)
                time.sleep(min(float(wait) if wait else 1.0, BUSY_WAIT_MAX))
                self._futures[page] = self._pool.submit(self._timed, page)
                self.requests += 1
                continue
            if len(outcome) < self._per_page:
                self._short = page
            yield page, outcome
            if len(outcome) < self._per_page:
                return
            page += 1

    def close(self) -> None:
        """Stop reading ahead and wait for the HTTP calls in progress to end."""
        for future in self._futures.values():
            future.cancel()
        self._pool.shutdown(wait=True)
        self.requests -= sum(future.cancelled() for future in self._futures.values())
        self._futures.clear()

    def __enter__(self) -> _PageReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass
class _Run:
    """Bookkeeping of one sync run."""

    kind: str
    progress: Callable[[SyncProgress], None] | None
    cancel: CancelToken | None
    started: float = field(default_factory=time.perf_counter)
    new: dict[int, None] = field(default_factory=dict)
    changed: dict[int, None] = field(default_factory=dict)
    vanished: dict[int, None] = field(default_factory=dict)
    returned: dict[int, None] = field(default_factory=dict)
    requests: int = 0
    orders_seen: int = 0
    pages: int = 0
    sweep_requests: int = 0
    sweep_orders: int = 0

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise SyncCancelled

    def report(self, phase: str) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(self.orders_seen, self.pages, phase))

    def absorb(self, outcome: cache_store.StoreResult) -> None:
        for order_id in outcome.new:
            if order_id not in self.changed:
                self.new[order_id] = None
        for order_id in outcome.changed:
            if order_id not in self.new:
                self.changed[order_id] = None
        for order_id in outcome.returned:
            self.returned[order_id] = None
            self.vanished.pop(order_id, None)

    def result(self, *, cancelled: bool = False) -> SyncResult:
        return SyncResult(
            kind=self.kind,
            new_order_ids=tuple(self.new),
            changed_order_ids=tuple(self.changed),
            vanished_order_ids=tuple(self.vanished),
            requests_made=self.requests,
            duration=time.perf_counter() - self.started,
            cancelled=cancelled,
            returned_order_ids=tuple(self.returned),
            sweep_requests=self.sweep_requests,
            sweep_orders=self.sweep_orders,
        )


def _now() -> datetime:
    return datetime.now(UTC)


#: Vendor statuses an order can have when the marketplace took it off the vendor's list
#: (cancelled by the store admin) — and while still listed (the vendor's own part).
_UNLISTING_STATUSES = frozenset({"cancelled", "refunded"})


def _as_unlisted(order: Order) -> Order:
    """``order`` (from the single-order route) as what it is when the order list no longer
    returns it: in the trash (its trash meta says so), else cancelled or refunded as a whole.
    Under application passwords that route gives no status; an order off the list and out of
    the trash that offers no shipment tracking (which the marketplace leaves out for cancelled
    orders) is taken as cancelled."""
    if has_trash_meta(order.raw):
        return dataclasses.replace(order, trashed=True)
    status = order.vendor_status
    if status.is_unknown and "shipment_tracking" not in order.raw:
        status = OrderStatus.CANCELLED
    if status.slug in _UNLISTING_STATUSES:
        return dataclasses.replace(order, vendor_status=status, main_status=status, trashed=False)
    return dataclasses.replace(order, trashed=False)


def _new_sweep(state: SyncStateRow, now: datetime, *, completed: bool = False) -> None:
    """Start a new sweep pass now (``completed``: the previous one just ended)."""
    state.sweep_next_page = 1
    state.sweep_started_at = now
    if completed:
        state.sweep_completed_at = now


def _expected_listed(syncer: Syncer) -> tuple[Any, ...]:
    """Conditions on ``orders``: the account's orders the marketplace is expected to list."""
    return (
        OrderRecord.account_id == syncer.account_id,
        OrderRecord.vanished_at.is_(None),
        OrderRecord.display_status != cache_store.TRASHED_DISPLAY,
        OrderRecord.main_status != OrderStatus.CANCELLED.slug,
    )


class Syncer:
    """Syncs one account's orders into the cache. Use one instance per worker thread.

    Args:
        cache: the open cache.
        account_id: the account (``accounts.id``) whose orders these are.
        marketplace: a signed-in (or ready to sign in) client for that account.
        per_page: page size of the order list (the marketplace's maximum is 100).
        clock: returns "now" (tests).
    """

    def __init__(
        self,
        cache: Cache,
        account_id: int,
        marketplace: Marketplace,
        *,
        per_page: int = PER_PAGE,
        reconcile_every: timedelta | None = RECONCILE_EVERY,
        clock: Callable[[], datetime] = _now,
        cost: ServerCost = SERVER_COST,
        sweep_period: timedelta = SWEEP_PERIOD,
        sweep_budget: float = SWEEP_BUDGET_SECONDS,
        head_per_page: int = HEAD_PER_PAGE,
        fresh_for: timedelta = FRESH_FOR,
        fresh_max: int | None = FRESH_MAX,
    ) -> None:
        self.cache = cache
        self.account_id = account_id
        self.market = marketplace
        self.per_page = per_page
        self.reconcile_every = reconcile_every
        self.clock = clock
        self.cost = cost
        self.sweep_period = sweep_period
        self.sweep_budget = sweep_budget
        self.head_per_page = min(head_per_page, per_page)
        self.fresh_for = fresh_for
        self.fresh_max = fresh_max

    # ------------------------------------------------------------------------- entry points
    def sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncResult:
        """The right sync now: first (or its resumption), else routine (with its sweep slice);
        a full reconcile only when ``reconcile_every`` asks for one."""
        with self.cache.session() as session:
            state = session.get(SyncStateRow, self.account_id)
            first_done = state is not None and state.first_sync_completed_at is not None
            last_reconcile = state.last_reconcile_at if state is not None else None
        if not first_done:
            return self.first_sync(progress, cancel)
        if self.reconcile_every is not None and (
            last_reconcile is None or self.clock() - last_reconcile >= self.reconcile_every
        ):
            return self.reconcile(progress, cancel)
        return self.routine_sync(progress, cancel)

    def first_sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncResult:
        """Read every order, resuming an interrupted first sync from its cursor."""
        run = _Run("first", progress, cancel)
        with self.cache.session(write=True) as session:
            state = cache_store.sync_state(session, self.account_id)
            if state.first_sync_next_page is None:
                state.first_sync_next_page = 1
                state.first_sync_started_at = self.clock()
            resume_page = state.first_sync_next_page
            run.orders_seen = self._order_count(session)
            # An empty cache fills faster without the order list's indexes: they are built
            # once the walk is over (or when the cache is next opened, if this is killed).
            if session.scalar(select(OrderRecord.order_id).limit(1)) is None:
                drop_list_indexes(session.connection())
        try:
            writer = _WalkWriter(self.cache)
            try:
                with contextlib.closing(self._walk(run, resume_page)) as pages:
                    for page, orders in pages:
                        with writer.session() as session:
                            run.absorb(self._store(session, orders))
                            state = cache_store.sync_state(session, self.account_id)
                            state.first_sync_next_page = page + 1
                        run.orders_seen += len(orders)
                        run.report("first")
                writer.finish()
            finally:
                writer.close()
                with self.cache.session(write=True) as session:
                    restore_list_indexes(session.connection())
            # Orders placed while we walked pushed the older ones down (we re-read some, miss
            # none) and sit above page 1 as we read it: catch up with the head.
            self._read_head(run, phase="catch-up")
        except SyncCancelled:
            return run.result(cancelled=True)
        now = self.clock()
        with self.cache.session(write=True) as session:
            state = cache_store.sync_state(session, self.account_id)
            state.first_sync_next_page = None
            state.first_sync_completed_at = now
            state.last_sync_at = now
            state.last_routine_at = now
            if state.last_reconcile_at is None:
                state.last_reconcile_at = now
            _new_sweep(state, now, completed=True)  # every order was just read
        return run.result()

    def routine_sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncResult:
        """New and changed orders at the head of the list (a small page first), the open orders
        created or changed lately, orders notifications named, then the sweep's slice: a few
        pages of the whole list, so that every order is read again within the sweep period."""
        run = _Run("routine", progress, cancel)
        try:
            covered, whole_list = self._read_head(run, phase="head", per_page=self._head_size())
            self._refresh_open(run, covered, whole_list=whole_list)
            self._recheck_named(run, covered)
            if not whole_list:
                self._sweep(run, covered)
            else:  # the head was the whole list: any other listed order is known gone
                self._end_sweep(run, covered, listed=False)
            self._refresh_notes(run)
        except SyncCancelled:
            return run.result(cancelled=True)
        self._stamp_finished(reconcile=False)
        return run.result()

    def reconcile(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncResult:
        """Walk every order now ("Check everything now"), several pages at a time; mark the ones
        the marketplace no longer lists as vanished. It completes a sweep pass."""
        run = _Run("reconcile", progress, cancel)
        started = self.clock()
        seen: set[int] = set()
        try:
            writer = _WalkWriter(self.cache)
            try:
                with contextlib.closing(self._walk(run, 1, last_page=None)) as pages:
                    for _page, orders in pages:
                        with writer.session() as session:
                            run.absorb(self._store(session, orders))
                        seen.update(_order_id(order) for order in orders)
                        run.orders_seen += len(orders)
                        run.report("reconcile")
                writer.finish()
            finally:
                writer.close()
            self._mark_missing(run, seen, started)
            self._refresh_notes(run)
        except SyncCancelled:
            return run.result(cancelled=True)
        self._stamp_finished(reconcile=True)
        with self.cache.session(write=True) as session:
            _new_sweep(
                cache_store.sync_state(session, self.account_id), self.clock(), completed=True
            )
        return run.result()

    def _stamp_finished(self, *, reconcile: bool) -> None:
        """Record when a routine sync (or a reconcile, which covers one) completed."""
        now = self.clock()
        with self.cache.session(write=True) as session:
            state = cache_store.sync_state(session, self.account_id)
            state.last_sync_at = now
            state.last_routine_at = now
            if reconcile:
                state.last_reconcile_at = now

    def refresh_order(self, order_id: int) -> Order | None:
        """Re-read one order and its notes (the outbox calls this after a send, so the cache
        holds the marketplace's copy).

        Returns the stored order after the refresh, or None when the marketplace no longer has
        it (it is then marked vanished).
        """
        try:
            order = self.market.get_order(order_id)
        except NotFound:
            with self.cache.session(write=True) as session:
                cache_store.mark_vanished(session, self.account_id, [order_id], at=self.clock())
            return None
        if not has_trash_meta(order.raw):
            order = dataclasses.replace(order, trashed=False)
        notes = self.market.list_notes(order_id)
        now = self.clock()
        with self.cache.session(write=True) as session:
            self._store(session, [order])
            self._store_notes(session, order_id, notes, now)
            stored = cache_store.load_orders(session, self.account_id, [order_id])
        return stored.get(order_id)

    def recheck_orders(
        self,
        order_ids: Sequence[int],
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncResult:
        """Re-read orders something named as changed (the marketplace's "#N order status
        updated to …" notifications: the store admin cancelled, refunded, restored … them),
        whatever their group — an old closed order is otherwise read again only by the next
        reconcile. Cached ones are read through the order list of their creation day (which
        says whether the order is still listed, and its main status); the others, and those
        the list no longer returns, alone. Their notification flags are cleared once read.
        The result's ``kind`` is "recheck"."""
        run = _Run("recheck", progress, cancel)
        try:
            self._recheck(run, set(order_ids), set())
            self._refresh_notes(run)
        except SyncCancelled:
            return run.result(cancelled=True)
        return run.result()

    # ---------------------------------------------------------------------------- helpers
    def _order_count(self, session: Session) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(OrderRecord)
                .where(OrderRecord.account_id == self.account_id)
            )
            or 0
        )

    def _walk(
        self, run: _Run, first_page: int, *, last_page: int | None = None
    ) -> Generator[tuple[int, PageOrders]]:
        """Every page of the order list from ``first_page`` to the last (short) one, read ahead
        on a background thread; cancellation is checked before each page is handed out.

        The marketplace client must not be used by the caller while it iterates; it is free
        again once the generator is exhausted or closed (use ``contextlib.closing`` so that an
        exception in the loop body closes it at once).
        """
        run.check_cancel()
        reader = _PageReader(
            self._page_fetcher(),
            first_page,
            per_page=self.per_page,
            last_page=last_page,
        )
        try:
            for page, fetched in reader.pages():
                run.check_cancel()
                run.pages += 1
                if isinstance(fetched, _EntryPage):
                    yield page, fastpath.prepare_page(fetched.entries, fetched.site_tz)
                else:
                    yield page, fetched
        finally:
            reader.close()
            run.requests += reader.requests

    def _page_fetcher(self) -> Callable[[int], FetchedPage]:
        """How a full walk reads one page on the reader thread: as decoded JSON entries when
        the client hands them out — the consumer turns them into cache rows (the fast path,
        see :mod:`vendor_desk.sync.fastpath`), so the marketplace renders the next page while
        this one is prepared and stored — else as domain orders."""
        market = self.market
        if not isinstance(market, _RawOrderPages):
            return lambda page: market.list_orders(page, self.per_page)

        def fetch(page: int) -> FetchedPage:
            entries = market.list_order_entries(page, self.per_page)
            return _EntryPage(entries, market.site_timezone)

        return fetch

    def _list(
        self,
        run: _Run,
        page: int,
        after: date | None = None,
        before: date | None = None,
        *,
        per_page: int | None = None,
    ) -> list[Order]:
        run.requests += 1
        orders = self.market.list_orders(
            page, per_page or self.per_page, after=after, before=before
        )
        run.pages += 1
        return orders

    def _store(
        self, session: Session, orders: Sequence[Order | cache_store.PreparedOrder]
    ) -> cache_store.StoreResult:
        result = cache_store.store_orders(session, self.account_id, orders, seen_at=self.clock())
        self._reapply_outbox(session, result.changed + result.returned)
        return result

    def _store_notes(
        self, session: Session, order_id: int, notes: Sequence[Note], synced_at: datetime
    ) -> None:
        cache_store.store_notes(session, self.account_id, order_id, notes, synced_at=synced_at)
        self._reapply_outbox(session, (order_id,))  # provisional notes of unsent ones

    def _reapply_outbox(self, session: Session, order_ids: Sequence[int]) -> None:
        """The marketplace's copy just replaced these orders (or their notes): put the vendor's
        unsent changes (the outbox) back on top, in the same transaction."""
        if order_ids:
            outbox = Outbox(self.cache, self.account_id, recover_sending=False)
            outbox.reapply_in(session, order_ids)

    def _fresh_since(self, session: Session) -> datetime:
        """Open orders created since then are fresh: within :attr:`fresh_for`, and among the
        newest :attr:`fresh_max` orders of the list — a busy shop's week of orders would cost
        every routine sync several pages; one page of the newest is what the head reads."""
        since = self.clock() - self.fresh_for
        if self.fresh_max is None:
            return since
        newest = session.scalar(
            select(OrderRecord.created)
            .where(*_expected_listed(self))
            .order_by(OrderRecord.created.desc())
            .offset(max(0, self.fresh_max - 1))
            .limit(1)
        )
        return max(since, newest) if newest is not None else since

    def _head_size(self) -> int:
        """The head check's page size: :attr:`head_per_page`, or — when the fresh open orders
        (:meth:`_open_orders`) all sit among the newest ``per_page`` orders — as many as reach
        the oldest of them (and a few more for orders placed since the last sync): one list
        request then reads them with the head, cheaper than a head page plus a range read."""
        with self.cache.session() as session:
            since = self._fresh_since(session)
            oldest = session.scalar(
                select(func.min(OrderRecord.created)).where(
                    OrderRecord.account_id == self.account_id,
                    OrderRecord.status_group.in_(cache_store.OPEN_GROUPS),
                    OrderRecord.vanished_at.is_(None),
                    OrderRecord.created >= since,
                )
            )
            if oldest is None:
                return self.head_per_page
            newer = int(
                session.scalar(
                    select(func.count())
                    .select_from(OrderRecord)
                    .where(*_expected_listed(self), OrderRecord.created >= oldest)
                )
                or 0
            )
        wanted = newer + HEAD_MARGIN
        return self.head_per_page if wanted > self.per_page else max(self.head_per_page, wanted)

    def _read_head(
        self, run: _Run, *, phase: str, per_page: int | None = None
    ) -> tuple[set[int], bool]:
        """Read pages (of ``per_page`` orders) from the newest until one is entirely known and
        unchanged (or short). Returns the ids read, and whether that was the whole list (a
        short page was reached): any other order is then known not to be listed."""
        size = per_page or self.per_page
        covered: set[int] = set()
        page = 1
        while True:
            run.check_cancel()
            orders = self._list(run, page, per_page=size)
            with self.cache.session(write=True) as session:
                outcome = self._store(session, orders)
            run.absorb(outcome)
            covered.update(order.id for order in orders)
            run.orders_seen += len(orders)
            run.report(phase)
            if len(orders) < size:
                return covered, True
            if not outcome.new and not outcome.changed:
                return covered, False
            page += 1

    # ------------------------------------------------------------------ open orders refresh
    def _open_orders(self, covered: set[int]) -> list[tuple[int, date]]:
        """Open orders not read yet that are fresh (:meth:`_fresh_since`) or carry a change
        waiting in the outbox, with their (UTC) creation day, newest first. Older open orders
        are read again by the sweep."""
        with self.cache.session() as session:
            since = self._fresh_since(session)
            rows = session.execute(
                select(OrderRecord.order_id, OrderRecord.created)
                .where(
                    OrderRecord.account_id == self.account_id,
                    OrderRecord.status_group.in_(cache_store.OPEN_GROUPS),
                    OrderRecord.vanished_at.is_(None),
                    or_(
                        OrderRecord.created >= since,
                        func.json_extract(OrderRecord.local, "$.outbox").is_not(None),
                    ),
                )
                .order_by(OrderRecord.created.desc())
            ).all()
        return [(row.order_id, row.created.date()) for row in rows if row.order_id not in covered]

    def _day_counts(self, first: date, last: date) -> dict[date, int]:
        """How many cached orders were created on each UTC day from ``first`` to ``last``."""
        start = datetime.combine(first, datetime.min.time(), UTC)
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC)
        with self.cache.session() as session:
            rows = session.execute(
                select(func.date(OrderRecord.created), func.count())
                .where(
                    OrderRecord.account_id == self.account_id,
                    OrderRecord.created >= start,
                    OrderRecord.created < end,
                )
                .group_by(func.date(OrderRecord.created))
            ).all()
        return {date.fromisoformat(str(day)): int(count) for day, count in rows}

    def plan_open_refresh(
        self, open_orders: Sequence[tuple[int, date]]
    ) -> list[tuple[date, date] | int]:
        """The cheapest mix of date-range reads and single GETs covering ``open_orders``.

        Each step is either ``(after, before)`` (whole days, inclusive; the range is widened by
        a day on each side because the marketplace filters on its own timezone's days) or an
        order id to GET alone. What a step costs the site (:class:`ServerCost`): a range of n
        cached orders ``n // per_page + 1`` list requests and the n orders they return; an
        order alone one single read. A dynamic programme over the open orders' days picks the
        split the site pays least for.
        """
        if not open_orders:
            return []
        by_day: dict[date, list[int]] = {}
        for order_id, day in open_orders:
            by_day.setdefault(day, []).append(order_id)
        days = sorted(by_day)
        counts = self._day_counts(days[0] - timedelta(days=1), days[-1] + timedelta(days=1))

        def range_cost(lo: date, hi: date) -> float:
            span = (hi - lo).days + 3
            total = sum(
                counts.get(lo - timedelta(days=1) + timedelta(days=i), 0) for i in range(span)
            )
            requests = total // self.per_page + 1
            return requests * self.cost.per_request + total * self.cost.per_order

        n = len(days)
        best: list[float] = [0.0] + [float("inf")] * n
        choice: list[tuple[int, bool]] = [(0, False)] * (n + 1)
        for end in range(1, n + 1):
            singles = 0.0
            for start in range(end, 0, -1):
                singles += len(by_day[days[start - 1]]) * self.cost.single_order
                as_range = best[start - 1] + range_cost(days[start - 1], days[end - 1])
                as_singles = best[start - 1] + singles
                if as_range < best[end]:
                    best[end], choice[end] = as_range, (start, True)
                if as_singles < best[end]:
                    best[end], choice[end] = as_singles, (start, False)
        steps: list[tuple[date, date] | int] = []
        end = n
        while end > 0:
            start, is_range = choice[end]
            if is_range:
                lo, hi = days[start - 1], days[end - 1]
                steps.append((lo - timedelta(days=1), hi + timedelta(days=1)))
            else:
                for day in days[start - 1 : end]:
                    steps.extend(by_day[day])
            end = start - 1
        return steps

    def _refresh_open(self, run: _Run, covered: set[int], *, whole_list: bool = False) -> None:
        """Read again every open order the head pages did not cover. ``whole_list``: the head
        pages were the whole order list, so those orders are no longer listed (read alone)."""
        open_orders = self._open_orders(covered)
        if not open_orders:
            return
        if whole_list:
            for order_id, _day in open_orders:
                self._read_single(run, order_id, listed=False)
                covered.add(order_id)
            return
        open_days = dict(open_orders)
        for step in self.plan_open_refresh(open_orders):
            if isinstance(step, int):
                self._read_single(run, step, listed=None)
                covered.add(step)
                continue
            after, before = step
            covered.update(self._read_range(run, after, before, phase="open"))
            # Safety net: an open order the range did not return is no longer listed (or sits
            # on a timezone edge): read it alone.
            for order_id, day in open_days.items():
                if after <= day <= before and order_id not in covered:
                    self._read_single(run, order_id, listed=False)
                    covered.add(order_id)

    def _read_range(self, run: _Run, after: date, before: date, *, phase: str) -> set[int]:
        """Every page of the order list created from ``after`` to ``before`` (whole days),
        stored; returns the ids read."""
        seen: set[int] = set()
        page = 1
        while True:
            run.check_cancel()
            orders = self._list(run, page, after, before)
            with self.cache.session(write=True) as session:
                run.absorb(self._store(session, orders))
            seen.update(order.id for order in orders)
            run.orders_seen += len(orders)
            run.report(phase)
            if len(orders) < self.per_page:
                return seen
            page += 1

    def _read_single(self, run: _Run, order_id: int, *, listed: bool | None) -> None:
        """Read one order alone and store it. ``listed``: whether the order list still returns
        it — False when a read that should have returned it did not, None when not known.

        * 404: the marketplace no longer has it for this vendor (deleted, or not the vendor's
          any more): marked vanished.
        * Not listed: in the trash when its JSON carries the trash meta; otherwise cancelled
          (the marketplace takes cancelled orders off the vendor's list, files 196–197) or
          refunded — its main status is then the one the vendor status says, which the single
          route does not carry (:func:`_as_unlisted`).
        * Not known and the answer could mean either (trash meta, which a restored order keeps;
          a cancelled or refunded status, which the vendor's own part can have while the order
          stays listed): the list of its creation day decides (one more request, rare).
        """
        run.check_cancel()
        run.requests += 1
        try:
            order = self.market.get_order(order_id)
        except NotFound:
            with self.cache.session(write=True) as session:
                cache_store.mark_vanished(session, self.account_id, [order_id], at=self.clock())
            run.vanished[order_id] = None
            return
        if listed is None and (
            has_trash_meta(order.raw) or order.vendor_status.slug in _UNLISTING_STATUSES
        ):
            day = order.date_created.astimezone(UTC).date()
            seen = self._read_range(
                run, day - timedelta(days=1), day + timedelta(days=1), phase="open"
            )
            if order_id in seen:
                return  # listed: the list's copy is stored
            listed = False
        if listed is False:
            order = _as_unlisted(order)
        elif not has_trash_meta(order.raw):
            order = dataclasses.replace(order, trashed=False)
        with self.cache.session(write=True) as session:
            run.absorb(self._store(session, [order]))
        run.orders_seen += 1

    # ---------------------------------------------------------------------------- the sweep
    def _listed_count(self, session: Session) -> int:
        """Cached orders the marketplace is expected to list (not vanished, not in the trash,
        not cancelled as a whole: those are off the vendor's list)."""
        return int(
            session.scalar(
                select(func.count()).select_from(OrderRecord).where(*_expected_listed(self))
            )
            or 0
        )

    def _sweep(self, run: _Run, covered: set[int]) -> None:
        """The sweep's slice of this routine sync: the next pages of the whole order list
        (100 each, read several at a time), as many as keep the pass on schedule — every
        page read within :attr:`sweep_period` of the pass's start — within
        :attr:`sweep_budget` seconds of the site's time. At the end of the list the pass ends
        (:meth:`_end_sweep`) and the next one starts."""
        now = self.clock()
        with self.cache.session(write=True) as session:
            state = cache_store.sync_state(session, self.account_id)
            if state.sweep_started_at is None or state.sweep_next_page is None:
                _new_sweep(state, now)
            started = state.sweep_started_at
            next_page = state.sweep_next_page
            total = max(1, -(-self._listed_count(session) // self.per_page))
        assert started is not None and next_page is not None
        # On schedule: by a fraction f of the pass's time (90 % of the period, so that a pass
        # ends within the period with a sync interval to spare), f of the pages are read. The
        # page count is an estimate (orders may have come, gone or been hidden): once the
        # schedule says "all", the sweep goes on until the list's short last page.
        elapsed = max(0.0, (now - started) / (SWEEP_SCHEDULE * self.sweep_period))
        due = int(total * min(1.0, elapsed)) - (next_page - 1)
        if elapsed >= 1.0:
            due = max(due, 1)
        most = max(1, int(self.sweep_budget // self.cost.page(self.per_page)))
        pages = min(max(due, 0), most)
        if pages <= 0:
            return
        last_page = next_page + pages - 1
        reached_end = False
        seen: set[int] = set()
        requests_before = run.requests
        writer = _WalkWriter(self.cache)
        try:
            with contextlib.closing(self._walk(run, next_page, last_page=last_page)) as walk:
                for page, orders in walk:
                    with writer.session() as session:
                        run.absorb(self._store(session, orders))
                        cache_store.sync_state(session, self.account_id).sweep_next_page = page + 1
                    seen.update(_order_id(order) for order in orders)
                    run.orders_seen += len(orders)
                    run.sweep_orders += len(orders)
                    run.report("sweep")
                    reached_end = len(orders) < self.per_page
            writer.finish()
        finally:
            writer.close()
            run.sweep_requests += run.requests - requests_before
        covered.update(seen)
        if reached_end:
            self._end_sweep(run, covered)

    def _end_sweep(self, run: _Run, covered: set[int], *, listed: bool | None = None) -> None:
        """A pass over the whole list ended (or a head read was the whole list): an order the
        marketplace should list that was not seen since the pass began is read alone (gone,
        in the trash, cancelled — or just pushed between two pages); then a new pass starts."""
        with self.cache.session() as session:
            state = session.get(SyncStateRow, self.account_id)
            started = state.sweep_started_at if state is not None else None
        if started is not None:
            with self.cache.session() as session:
                unseen = [
                    order_id
                    for (order_id,) in session.execute(
                        select(OrderRecord.order_id).where(
                            *_expected_listed(self),
                            OrderRecord.last_seen_at <= started,
                            OrderRecord.first_seen_at <= started,
                        )
                    )
                    if order_id not in covered
                ]
            self._confirm_missing(run, unseen, listed=listed)
        with self.cache.session(write=True) as session:
            _new_sweep(
                cache_store.sync_state(session, self.account_id), self.clock(), completed=True
            )

    # ------------------------------------------------------------------ named by notifications
    def _recheck_named(self, run: _Run, covered: set[int]) -> None:
        """Orders notifications named that are not read yet (see :meth:`recheck_orders`),
        e.g. when the notification pass that flagged them could not read them."""
        with self.cache.session() as session:
            named = board_store.orders_to_recheck(session, self.account_id)
        if named:
            self._recheck(run, set(named), covered)

    def _recheck(self, run: _Run, order_ids: set[int], covered: set[int]) -> None:
        wanted = order_ids - covered
        with self.cache.session() as session:
            days: dict[int, datetime] = {
                row.order_id: row.created
                for row in session.execute(
                    select(OrderRecord.order_id, OrderRecord.created).where(
                        OrderRecord.account_id == self.account_id,
                        OrderRecord.order_id.in_(sorted(wanted)),
                    )
                )
            }
        until: date | None = None
        for day in sorted({created.date() for created in days.values()}):
            if until is not None and day <= until:
                continue  # the previous range covered it
            after, until = day - timedelta(days=1), day + timedelta(days=1)
            covered.update(self._read_range(run, after, until, phase="recheck"))
        for order_id in sorted(wanted - covered, reverse=True):
            self._read_single(run, order_id, listed=False if order_id in days else None)
            covered.add(order_id)
        with self.cache.session(write=True) as session:
            board_store.clear_rechecks(session, self.account_id, order_ids)

    # ---------------------------------------------------------------------------- vanished
    def _mark_missing(self, run: _Run, seen: set[int], started: datetime) -> None:
        """Orders the walk did not see (and first seen before it started): read alone when
        few (gone, in the trash, or cancelled), marked vanished when many. Orders already
        known to be off the list — in the trash, or cancelled as a whole — are left alone:
        the list returns them again if the store admin restores them, and a notification
        names them."""
        with self.cache.session() as session:
            candidates = [
                row.order_id
                for row in session.execute(
                    select(OrderRecord.order_id, OrderRecord.first_seen_at).where(
                        OrderRecord.account_id == self.account_id,
                        OrderRecord.vanished_at.is_(None),
                        OrderRecord.display_status != cache_store.TRASHED_DISPLAY,
                        OrderRecord.main_status != OrderStatus.CANCELLED.slug,
                    )
                )
                if row.order_id not in seen and row.first_seen_at < started
            ]
        self._confirm_missing(run, candidates, listed=False)

    def _confirm_missing(
        self, run: _Run, candidates: Sequence[int], *, listed: bool | None = None
    ) -> None:
        """Orders a walk did not see: read alone when few (gone, in the trash, cancelled — or,
        with ``listed`` None, just not where the walk looked), marked vanished when many."""
        if not candidates:
            return
        if len(candidates) <= CONFIRM_VANISHED_MAX:
            for order_id in candidates:
                self._read_single(run, order_id, listed=listed)
            return
        with self.cache.session(write=True) as session:
            cache_store.mark_vanished(session, self.account_id, candidates, at=self.clock())
        for order_id in candidates:
            run.vanished[order_id] = None

    # ------------------------------------------------------------------------------- notes
    def _refresh_notes(self, run: _Run) -> None:
        """Re-read the notes of (up to NOTES_PER_SYNC) changed orders; others stay lazy."""
        for order_id in list(run.changed)[:NOTES_PER_SYNC]:
            run.check_cancel()
            run.requests += 1
            try:
                notes = self.market.list_notes(order_id)
            except NotFound:
                continue
            with self.cache.session(write=True) as session:
                self._store_notes(session, order_id, notes, self.clock())
            run.report("notes")
