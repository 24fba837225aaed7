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
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sqlalchemy import func, select
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
#: A reconcile runs when the last one is older than this.
RECONCILE_EVERY = timedelta(hours=24)
#: At most this many changed orders get their notes re-read per sync (the rest lazily).
NOTES_PER_SYNC = 20
#: Up to this many vanish candidates are confirmed one by one before being marked.
CONFIRM_VANISHED_MAX = 20
#: Pages a full walk (first sync, reconcile) reads ahead while the current one is stored.
PREFETCH_PAGES = 2
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
    """Reads consecutive order-list pages on a background thread, ``depth`` pages ahead of the
    consumer, so the network wait overlaps with storing the previous page.

    The thread makes every marketplace call while the reader is open (the client is not
    thread-safe: the caller must not use it until :meth:`close` returned). It stops after a
    short page or a failure; a failure is handed over in page order and raised by :meth:`pages`
    when the consumer reaches that page, so every earlier page is stored first.
    """

    def __init__(
        self,
        fetch: Callable[[int], FetchedPage],
        first_page: int,
        *,
        per_page: int,
        depth: int = PREFETCH_PAGES,
    ) -> None:
        self._fetch = fetch
        self._page = first_page
        self._per_page = per_page
        self._results: queue.Queue[tuple[int, FetchedPage | BaseException]] = queue.Queue(depth)
        self._stop = threading.Event()
        #: HTTP requests made (including a failed one and any read ahead but not consumed).
        self.requests = 0
        self._thread = threading.Thread(target=self._run, name="sync-page-reader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        page = self._page
        while not self._stop.is_set():
            self.requests += 1
            try:
                outcome: FetchedPage | BaseException = self._fetch(page)
            except BaseException as error:  # handed to the consumer, raised there
                outcome = error
            if not self._put((page, outcome)):
                return
            if isinstance(outcome, BaseException) or len(outcome) < self._per_page:
                return
            page += 1

    def _put(self, item: tuple[int, FetchedPage | BaseException]) -> bool:
        """Queue ``item``, waiting for room unless the reader is being closed."""
        while not self._stop.is_set():
            try:
                self._results.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def pages(self) -> Iterator[tuple[int, FetchedPage]]:
        """(page number, orders) in page order, up to and including the first short page."""
        while True:
            page, outcome = self._results.get()
            if isinstance(outcome, BaseException):
                raise outcome
            yield page, outcome
            if len(outcome) < self._per_page:
                return

    def close(self) -> None:
        """Stop reading ahead and wait for an HTTP call in progress to end."""
        self._stop.set()
        self._thread.join()

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
        reconcile_every: timedelta = RECONCILE_EVERY,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.cache = cache
        self.account_id = account_id
        self.market = marketplace
        self.per_page = per_page
        self.reconcile_every = reconcile_every
        self.clock = clock

    # ------------------------------------------------------------------------- entry points
    def sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncResult:
        """The right sync now: first (or its resumption), reconcile when due, else routine."""
        with self.cache.session() as session:
            state = session.get(SyncStateRow, self.account_id)
            first_done = state is not None and state.first_sync_completed_at is not None
            last_reconcile = state.last_reconcile_at if state is not None else None
        if not first_done:
            return self.first_sync(progress, cancel)
        if last_reconcile is None or self.clock() - last_reconcile >= self.reconcile_every:
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
        return run.result()

    def routine_sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> SyncResult:
        """New and changed orders at the head of the list, then every locally open order."""
        run = _Run("routine", progress, cancel)
        try:
            covered, whole_list = self._read_head(run, phase="head")
            self._refresh_open(run, covered, whole_list=whole_list)
            self._recheck_named(run, covered)
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
        """Walk every order; mark the ones the marketplace no longer lists as vanished."""
        run = _Run("reconcile", progress, cancel)
        started = self.clock()
        seen: set[int] = set()
        try:
            writer = _WalkWriter(self.cache)
            try:
                with contextlib.closing(self._walk(run, 1)) as pages:
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

    def _walk(self, run: _Run, first_page: int) -> Generator[tuple[int, PageOrders]]:
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
        self, run: _Run, page: int, after: date | None = None, before: date | None = None
    ) -> list[Order]:
        run.requests += 1
        orders = self.market.list_orders(page, self.per_page, after=after, before=before)
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

    def _read_head(self, run: _Run, *, phase: str) -> tuple[set[int], bool]:
        """Read pages from the newest until one is entirely known and unchanged (or short).
        Returns the ids read, and whether that was the whole list (a short page was reached):
        any other order is then known not to be listed."""
        covered: set[int] = set()
        page = 1
        while True:
            run.check_cancel()
            orders = self._list(run, page)
            with self.cache.session(write=True) as session:
                outcome = self._store(session, orders)
            run.absorb(outcome)
            covered.update(order.id for order in orders)
            run.orders_seen += len(orders)
            run.report(phase)
            if len(orders) < self.per_page:
                return covered, True
            if not outcome.new and not outcome.changed:
                return covered, False
            page += 1

    # ------------------------------------------------------------------ open orders refresh
    def _open_orders(self, covered: set[int]) -> list[tuple[int, date]]:
        """Open orders not read yet, with their (UTC) creation day, newest first."""
        with self.cache.session() as session:
            rows = session.execute(
                select(OrderRecord.order_id, OrderRecord.created)
                .where(
                    OrderRecord.account_id == self.account_id,
                    OrderRecord.status_group.in_(cache_store.OPEN_GROUPS),
                    OrderRecord.vanished_at.is_(None),
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
        order id to GET alone. A range of n cached orders costs ``n // per_page + 1`` requests;
        a dynamic programme over the open orders' days picks the split with fewest requests.
        """
        if not open_orders:
            return []
        by_day: dict[date, list[int]] = {}
        for order_id, day in open_orders:
            by_day.setdefault(day, []).append(order_id)
        days = sorted(by_day)
        counts = self._day_counts(days[0] - timedelta(days=1), days[-1] + timedelta(days=1))

        def range_cost(lo: date, hi: date) -> int:
            span = (hi - lo).days + 3
            total = sum(
                counts.get(lo - timedelta(days=1) + timedelta(days=i), 0) for i in range(span)
            )
            return total // self.per_page + 1

        n = len(days)
        best: list[float] = [0.0] + [float("inf")] * n
        choice: list[tuple[int, bool]] = [(0, False)] * (n + 1)
        for end in range(1, n + 1):
            singles = 0
            for start in range(end, 0, -1):
                singles += len(by_day[days[start - 1]])
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
        if not candidates:
            return
        if len(candidates) <= CONFIRM_VANISHED_MAX:
            for order_id in candidates:
                self._read_single(run, order_id, listed=False)
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
