"""What the store admin changes behind the vendor's back (trash and restore, delete, cancel,
refunds, address, a new order — real-server.md, files 160–233), done through the simulator's
``/wp-json/wc/v3`` routes over real HTTP as on the real site, then a routine sync, a reconcile
or the notification board's pass:
what the cache holds, which list groups the orders are in, and that every action on an order
taken away is refused with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import StoreAdmin
from tests.sync.conftest import Env
from vendor_desk.cache import OrderQuery, add_account, fetch_rows, open_cache, order_detail
from vendor_desk.cache import notifications as board_store
from vendor_desk.cache import store as cache_store
from vendor_desk.domain import AuthMethod, Order, OrderStatus, RefundState, rules
from vendor_desk.domain.refunds import (
    RefundProblemCode,
    admin_refunds_may_be_unseen,
    eligibility_problems,
    order_refund_state,
)
from vendor_desk.sandbox.server import Simulator
from vendor_desk.sync import Syncer
from vendor_desk.sync.notifications import sync_notifications
from vendor_desk.sync.outbox import Outbox
from vendor_desk.sync.shipping import ShipmentRefused, ShipProblemCode, queue_completion, queue_note

#: The groups a vendor works from (every filter but "completed", "closed" and "all").
ACTION_GROUPS = ("to_ship", "shipped", "awaiting_payment", "refund_requested")


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    """The recorded shop (orders 18–24; vendor_a's: 18, 19, 20, 21 split, 22, 24)."""
    with Simulator(edition="ultimate", dataset="recorded") as sim:
        password = next(u for u in sim.users if u["login"] == "vendor_a")["password"]
        cache = open_cache(tmp_path / "data")
        with cache.session(write=True) as session:
            account_id = add_account(session, sim.base_url, "vendor_a", "Alpha Goods", 2, "jwt")
        try:
            yield Env(sim, cache, account_id, "vendor_a", password, tmp_path / "data")
        finally:
            cache.close()


#: The recorded orders (November 2026) count as fresh: a routine sync reads its open orders
#: again (older open orders are left to the sweep — see test_sweep.py).
FRESH = timedelta(days=36500)


def synced(env: Env, **kwargs: object) -> Syncer:
    """A syncer after the first sync and the board's first pass (old news)."""
    syncer = env.syncer(**{"fresh_for": FRESH, "fresh_max": None, **kwargs})
    assert syncer.sync().kind == "first"
    with env.client() as market:
        assert sync_notifications(env.cache, env.account_id, market).first
    return syncer


def groups(env: Env) -> dict[str, set[int]]:
    with env.cache.session() as session:
        return {
            group: {
                row.order_id
                for row in fetch_rows(session, OrderQuery(env.account_id, group=group), 0, 1000)
            }
            for group in (*ACTION_GROUPS, "completed", "closed", "all")
        }


def in_action_lists(env: Env, order_id: int) -> bool:
    found = groups(env)
    return any(order_id in found[group] for group in ACTION_GROUPS)


def cached(env: Env, order_id: int) -> Order:
    with env.cache.session() as session:
        detail = order_detail(session, env.account_id, order_id)
    assert detail is not None
    return detail.order


def display(env: Env, order_id: int) -> str:
    with env.cache.session() as session:
        rows = fetch_rows(session, OrderQuery(env.account_id), 0, 1000)
    return next(row.display_status for row in rows if row.order_id == order_id)


def assert_every_action_refused(env: Env, order: Order, removal: rules.Removal) -> None:
    reason = rules.REMOVAL_REASONS[removal]
    assert rules.removal(order) is removal
    assert rules.may_ship(order).reasons == (reason,)
    assert rules.ready_to_complete(order).reasons == (reason,)
    assert [(p.code, p.reason) for p in eligibility_problems(order)] == [
        (RefundProblemCode.ORDER_REMOVED, reason)
    ]
    outbox = Outbox(env.cache, env.account_id)
    with pytest.raises(ShipmentRefused) as refused:
        queue_completion(outbox, order)
    assert [p.reason for p in refused.value.problems] == [reason]
    if removal is not rules.Removal.CANCELLED:
        with pytest.raises(ShipmentRefused) as refused:
            queue_note(outbox, order, "Where is it?")
        assert [(p.code, p.reason) for p in refused.value.problems] == [
            (ShipProblemCode.ORDER_REMOVED, reason)
        ]
    assert outbox.entries() == []


# ------------------------------------------------------------------------------ trash
def test_a_trashed_order_leaves_to_ship_at_once_and_comes_back_when_restored(env: Env) -> None:
    syncer = synced(env)
    assert 19 in groups(env)["to_ship"]
    StoreAdmin(env.sim).trash(19)
    result = syncer.routine_sync()
    assert 19 in result.changed_order_ids
    order = cached(env, 19)
    assert order.trashed and not order.vanished
    assert order.vendor_status == OrderStatus.PROCESSING  # what the single GET still says
    assert not in_action_lists(env, 19) and 19 in groups(env)["all"]
    assert display(env, 19) == "trashed"
    assert_every_action_refused(env, order, rules.Removal.TRASHED)
    # A reconcile walks the whole list: still in the trash, still off every action list.
    syncer.reconcile()
    assert cached(env, 19).trashed and not in_action_lists(env, 19)

    # The restore: a status PUT; the leftover _wp_trash_meta_* keys stay (file 168).
    StoreAdmin(env.sim).set_status(19, "processing")
    syncer.routine_sync()
    order = cached(env, 19)
    assert order.trashed is False and rules.removal(order) is None
    assert 19 in groups(env)["to_ship"] and display(env, 19) == "processing"


def test_an_old_order_restored_from_the_trash_is_read_through_its_notification(
    env: Env,
) -> None:
    """Past the head pages, a restored order is not read by a routine sync (it is no open
    order): the "#18 order status updated to Processing" the restore sends names it, and the
    board's pass reads it again at once."""
    syncer = synced(env, per_page=2)  # pages [24, 22] [21, 20] [19, 18]
    StoreAdmin(env.sim).trash(18)
    syncer.routine_sync()  # 18 was open (to ship): read alone, found in the trash
    assert cached(env, 18).trashed
    StoreAdmin(env.sim).set_status(18, "processing")
    result = syncer.routine_sync()
    assert 18 not in result.changed_order_ids and cached(env, 18).trashed
    with env.client() as market:
        board = sync_notifications(env.cache, env.account_id, market)
    assert board.recheck is not None and 18 in board.recheck.changed_order_ids
    assert cached(env, 18).trashed is False and 18 in groups(env)["to_ship"]
    with env.cache.session() as session:
        assert board_store.orders_to_recheck(session, env.account_id) == []


def test_a_closed_order_trashed_or_deleted_is_found_by_the_reconcile(env: Env) -> None:
    admin = StoreAdmin(env.sim)
    admin.set_status(24, "completed")  # before the first sync: closed, like 22
    syncer = synced(env, per_page=2)  # the head check does not cover the whole list
    admin.trash(22)
    admin.delete(24)
    result = syncer.routine_sync()  # closed orders are not read again by a routine sync …
    assert result.vanished_order_ids == () and not cached(env, 22).trashed
    result = syncer.reconcile()  # … the walk misses them, and reads them alone
    assert result.vanished_order_ids == (24,)
    assert cached(env, 22).trashed and display(env, 22) == "trashed"
    assert cached(env, 24).vanished and display(env, 24) == "removed"
    assert not {22, 24} & groups(env)["completed"] and {22, 24} <= groups(env)["all"]


# ------------------------------------------------------------------------------ delete
def test_a_deleted_order_is_marked_vanished_and_leaves_every_action_list(env: Env) -> None:
    syncer = synced(env)
    assert 20 in groups(env)["awaiting_payment"]
    StoreAdmin(env.sim).delete(20)
    result = syncer.routine_sync()
    assert result.vanished_order_ids == (20,)
    order = cached(env, 20)
    assert order.vanished and not in_action_lists(env, 20) and 20 in groups(env)["all"]
    assert display(env, 20) == "removed"
    assert_every_action_refused(env, order, rules.Removal.DELETED)
    # Never deleted from the cache; a routine sync does not ask again.
    again = syncer.routine_sync()
    assert again.vanished_order_ids == () and cached(env, 20).vanished


# ------------------------------------------------------------------------------ cancel
@pytest.mark.parametrize("auth", [AuthMethod.JWT, AuthMethod.APP_PASSWORD])
def test_a_cancelled_order_is_cancelled_as_a_whole_in_one_routine_sync(
    env: Env, auth: AuthMethod
) -> None:
    """Cancelled, the order leaves the vendor's list (file 196); its single GET says
    cancelled (JWT) or nothing (application password: no status, no shipment tracking)."""
    syncer = synced(env, auth=auth)
    assert 21 in groups(env)["to_ship"]
    StoreAdmin(env.sim).set_status(21, "cancelled")
    syncer.routine_sync()
    order = cached(env, 21)
    assert (order.vendor_status.slug, order.main_status.slug) == ("cancelled", "cancelled")
    assert not in_action_lists(env, 21) and 21 in groups(env)["closed"]
    assert_every_action_refused(env, order, rules.Removal.CANCELLED)
    assert rules.may_add_note(order)  # the customer may still be told why


def test_the_vendors_own_cancelled_part_keeps_the_orders_main_status(env: Env) -> None:
    """A vendor status "cancelled" on a listed order is the vendor's part only: read alone, the
    list of its day is asked before taking the order as cancelled."""
    syncer = synced(env)
    with env.client() as market:
        market.set_status(19, OrderStatus.CANCELLED)
    syncer.routine_sync()
    order = cached(env, 19)
    assert (order.vendor_status.slug, order.main_status.slug) == ("cancelled", "processing")
    assert rules.removal(order) is None


# ------------------------------------------------------------------------------ refunds
def test_a_full_refund_of_an_old_closed_order_is_read_through_its_notification(
    env: Env,
) -> None:
    StoreAdmin(env.sim).set_status(18, "completed")  # before the first sync: old news
    syncer = synced(env, per_page=2)
    assert 18 in groups(env)["completed"]
    StoreAdmin(env.sim).refund(18, "17.50")
    syncer.routine_sync()
    assert cached(env, 18).main_status == OrderStatus.COMPLETED  # closed, past the head
    with env.client() as market:
        board = sync_notifications(env.cache, env.account_id, market)
    assert any(n.text == "#18 order status updated to Refunded" for n in board.new)
    order = cached(env, 18)
    assert (order.vendor_status.slug, order.main_status.slug) == ("refunded", "refunded")
    assert order_refund_state(order) == RefundState.REFUNDED
    assert 18 in groups(env)["closed"]


def test_a_notification_read_while_offline_has_its_order_read_by_the_next_sync(
    env: Env,
) -> None:
    StoreAdmin(env.sim).set_status(18, "completed")
    syncer = synced(env, per_page=2)
    StoreAdmin(env.sim).refund(18, "17.50")
    fault = env.sim.inject_fault("status", r"/wcfmmp/v1/orders", times=None, status=503)
    with env.client() as market:
        board = sync_notifications(env.cache, env.account_id, market)
    assert board.error and board.recheck is None
    with env.cache.session() as session:
        assert board_store.orders_to_recheck(session, env.account_id) == [18]
    env.sim.remove_fault(fault)
    result = syncer.routine_sync()
    assert 18 in result.changed_order_ids
    assert cached(env, 18).main_status == OrderStatus.REFUNDED
    with env.cache.session() as session:
        assert board_store.orders_to_recheck(session, env.account_id) == []


def test_a_partial_refund_by_the_store_admin_changes_nothing_the_vendor_sees(env: Env) -> None:
    syncer = synced(env)
    before = cached(env, 19)
    StoreAdmin(env.sim).refund(19, "5.00", "Goodwill")
    result = syncer.routine_sync()
    after = cached(env, 19)
    assert 19 in result.changed_order_ids  # its date_modified moved (file 181) …
    assert after.date_modified != before.date_modified
    # … and nothing else: the amounts, the items' refund state, the statuses are the same.
    assert (after.earning, after.items, after.vendor_status, after.main_status) == (
        before.earning,
        before.items,
        before.vendor_status,
        before.main_status,
    )
    assert order_refund_state(after) == RefundState.NONE and admin_refunds_may_be_unseen(after)


# ------------------------------------------------------------------------ edits and new
def test_an_address_edit_and_an_order_created_by_the_admin_show_in_one_routine_sync(
    env: Env,
) -> None:
    syncer = synced(env)
    admin = StoreAdmin(env.sim)
    admin.set_shipping(18, address_1="99 New Street", state="NY")
    created = admin.create(customer_id=4, product_id=13)
    result = syncer.routine_sync()
    assert created in result.new_order_ids
    assert created in groups(env)["to_ship"]
    shipping = cached(env, 18).shipping
    assert (shipping.address_1, shipping.state) == ("99 New Street", "New York")


# ------------------------------------------------------------------------- the cache
def test_store_keeps_the_trash_in_the_status_column_and_rewrites_a_returning_order(
    env: Env,
) -> None:
    """``display_status`` "trashed" is where the cache keeps the trash; an order marked vanished
    that the marketplace lists again is rewritten whole (its group back)."""
    syncer = synced(env)
    with env.cache.session(write=True) as session:
        cache_store.mark_vanished(session, env.account_id, [19], at=syncer.clock())
    assert display(env, 19) == "removed" and not in_action_lists(env, 19)
    result = syncer.routine_sync()
    assert result.returned_order_ids == (19,)
    assert display(env, 19) == "processing" and 19 in groups(env)["to_ship"]
