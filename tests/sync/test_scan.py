"""The scan resolver (vendor_desk.sync.scan) against a real cache filled from the simulator:
every kind of result, a numeric SKU while packing, an order number the cache lacks, the
vendor's last carrier for the destination country, and index-only lookups."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text

from vendor_desk.cache.store import load_orders
from vendor_desk.domain import Order
from vendor_desk.sync import Syncer
from vendor_desk.sync.outbox import Outbox
from vendor_desk.sync.pack_station import PackStation
from vendor_desk.sync.scan import (
    ScanKind,
    confirm_code,
    last_carriers,
    resolve,
)

from .conftest import Env, make_env
from .placed_orders import place, place_and_cache

UPS = "1Z5R89390357567127"  # published UPS sample (tests/domain/test_tracking_codes.py)
TWELVE = "201298452277"  # passes FedEx's, DHL Paket's and GLS's check digits


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    for built in make_env(tmp_path, orders=20):
        built.syncer().first_sync()
        yield built


def cached(env: Env, order_id: int) -> Order:
    with env.client() as market:
        Syncer(env.cache, env.account_id, market).refresh_order(order_id)
    with env.cache.session() as session:
        return load_orders(session, env.account_id, [order_id])[order_id]


def place_with_sku(env: Env, sku: str, **shape: object) -> Order:
    """An order whose first item of the vendor's carries ``sku``, cached."""
    order_id = place(env.sim, env.login, **shape)  # type: ignore[arg-type]
    with env.sim.state.lock:
        vendor = env.sim.state.user_by_login(env.login)
        assert vendor is not None
        item = next(i for i in env.sim.state.orders[order_id].items if i.vendor_id == vendor.id)
        item.sku = sku
    return cached(env, order_id)


def test_an_order_number_with_or_without_hash(env: Env) -> None:
    order = place_and_cache(env).order
    for code in (order.number, f"#{order.number}", f" #{order.number} "):
        result = resolve(env.cache, env.account_id, code)
        assert (result.kind, result.order_id, result.in_cache) == (ScanKind.ORDER, order.id, True)


def test_an_order_number_the_cache_lacks_is_an_order_to_fetch(env: Env) -> None:
    order_id = place(env.sim, env.login)  # on the marketplace, not cached yet
    result = resolve(env.cache, env.account_id, str(order_id))
    assert (result.kind, result.order_id, result.in_cache) == (ScanKind.ORDER, order_id, False)
    assert resolve(env.cache, env.account_id, "#987654321012").kind is ScanKind.ORDER


def test_a_renumbered_order_is_found_by_its_number(env: Env) -> None:
    order = place_and_cache(env).order
    with env.cache.session(write=True) as session:
        session.execute(
            text("UPDATE orders SET number = 'WC-1234' WHERE account_id = :a AND order_id = :o"),
            {"a": env.account_id, "o": order.id},
        )
    assert resolve(env.cache, env.account_id, "wc-1234").order_id == order.id
    assert resolve(env.cache, env.account_id, "1234").in_cache is False


def test_a_confirm_code(env: Env) -> None:
    order = place_and_cache(env).order
    code = confirm_code(order.number)
    assert code == f"SHIP{order.number}" and code.isalnum()
    for scanned in (code, code.lower()):
        result = resolve(env.cache, env.account_id, scanned)
        assert (result.kind, result.order_id, result.in_cache) == (
            ScanKind.CONFIRM,
            order.id,
            True,
        )
    uncached = resolve(env.cache, env.account_id, "SHIP99999")
    assert (uncached.kind, uncached.order_id, uncached.in_cache) == (
        ScanKind.CONFIRM,
        99999,
        False,
    )
    assert confirm_code("WC-538") == "SHIPWC538"


def test_a_numeric_sku_while_packing_is_the_item_not_another_order(env: Env) -> None:
    other = place_and_cache(env).order
    packing = place_with_sku(env, other.number, shippable=2)
    item = next(i for i in packing.items if i.sku == other.number)
    result = resolve(env.cache, env.account_id, other.number, open_order=packing)
    assert result.kind is ScanKind.ITEM
    assert (result.order_id, result.item_ids) == (packing.id, (item.item_id,))
    # with no order open it is the other order's number
    assert resolve(env.cache, env.account_id, other.number).order_id == other.id


def test_an_item_of_cached_orders_newest_first(env: Env) -> None:
    older = place_with_sku(env, "Mug-Blue-01")
    newer = place_with_sku(env, "MUG-BLUE-01")
    result = resolve(env.cache, env.account_id, "mug-blue-01")
    assert result.kind is ScanKind.ITEM
    assert result.order_ids == (newer.id, older.id)
    assert (result.order_id, result.item_ids) == (None, ())
    # open order without it: the open order, no item of it, the orders that carry it
    packing = place_and_cache(env).order
    wrong = resolve(env.cache, env.account_id, "MUG-BLUE-01", open_order=packing)
    assert (wrong.kind, wrong.order_id, wrong.item_ids) == (ScanKind.ITEM, packing.id, ())
    assert wrong.order_ids == (newer.id, older.id)


def test_a_tracking_code_with_the_url_for_the_open_order(env: Env) -> None:
    packing = place_and_cache(env, country="FR", postcode="75011").order
    result = resolve(env.cache, env.account_id, "1z5r 8939 0357 5671 27", open_order=packing)
    assert result.kind is ScanKind.TRACKING
    assert (result.code, result.carrier, result.carriers) == (UPS, "ups", ("ups",))
    assert result.tracking_url == f"https://www.ups.com/track?tracknum={UPS}"
    assert result.order_id == packing.id
    # Mondial Relay's 8 digits while packing, with the ship-to postcode in the URL
    relay = resolve(env.cache, env.account_id, "12345678", open_order=packing)
    assert (relay.kind, relay.carrier) == (ScanKind.TRACKING, "mondial-relay")
    assert "numeroExpedition=12345678" in relay.tracking_url
    assert "codePostal=75011" in relay.tracking_url
    # with no order open, 8 digits are an order number to fetch
    assert resolve(env.cache, env.account_id, "12345678").kind is ScanKind.ORDER


def test_a_tracking_code_with_no_order_open(env: Env) -> None:
    result = resolve(env.cache, env.account_id, UPS)
    assert (result.kind, result.order_id, result.carrier) == (ScanKind.TRACKING, None, "ups")
    assert result.tracking_url.endswith(UPS)
    # a USPS label barcode: the tracking number is the part after 420 + ZIP
    usps = resolve(env.cache, env.account_id, "420221539101026837331000039521")
    assert (usps.code, usps.carrier) == ("9101026837331000039521", "usps")


def test_a_misscan(env: Env) -> None:
    result = resolve(env.cache, env.account_id, "1Z5R89390357567128")
    assert result.kind is ScanKind.MISSCAN
    assert "UPS" in result.reason and "check digit" in result.reason
    # bare digits failing every check: a mis-scan while packing, else just unknown
    packing = place_and_cache(env).order
    assert (
        resolve(env.cache, env.account_id, "3318810026", open_order=packing).kind
        is ScanKind.MISSCAN
    )
    assert resolve(env.cache, env.account_id, "3318810026").kind is ScanKind.UNKNOWN


def test_unknown_codes(env: Env) -> None:
    for code in ("NOPE-XYZ", "   "):
        result = resolve(env.cache, env.account_id, code)
        assert result.kind is ScanKind.UNKNOWN and result.reason


def test_a_label_in_no_known_format_is_the_open_orders_tracking(env: Env) -> None:
    """While packing, a label's code in no format known here is not a dead end: the tracking,
    for the carriers used in the destination country, marked not recognised. A product's
    barcode, a plain word and codes with no order open stay unknown."""
    packing = place_and_cache(env, country="FR", postcode="75011").order
    result = resolve(env.cache, env.account_id, "DESK2-0019-4", open_order=packing)
    assert result.kind is ScanKind.TRACKING and not result.recognised
    assert result.carriers[0] == "colissimo" and "chronopost" in result.carriers
    assert result.tracking_url.endswith("code=DESK2-0019-4")
    assert resolve(env.cache, env.account_id, "1Z5R89390357567127", open_order=packing).recognised
    for code in ("4006381333931", "NOPE-XYZ", "AB12"):  # an EAN-13, no digit, too short
        assert resolve(env.cache, env.account_id, code, open_order=packing).kind in (
            ScanKind.UNKNOWN,
            ScanKind.MISSCAN,
        ), code
    assert resolve(env.cache, env.account_id, "DESK2-0019-4").kind is ScanKind.UNKNOWN


def test_preference_by_the_destination_country(env: Env) -> None:
    to_germany = place_and_cache(env, country="DE", postcode="10115")
    to_france = place_and_cache(env, country="FR", postcode="75011").order
    # Unpreferred, the 12 digits are FedEx's first (table order among verified formats).
    assert resolve(env.cache, env.account_id, TWELVE, open_order=to_france).carrier == "fedex"
    # The vendor ships a German order with GLS (Pack view → outbox → marketplace) …
    station = PackStation(env.cache, env.account_id)
    packing = station.open(to_germany.order.id)
    assert packing is not None
    for item_id in to_germany.shippable:
        packing.session.scan_item(item_id)
    station.track(packing, "204000000018", "gls")
    station.ship(packing)
    with env.client() as market:
        Outbox(env.cache, env.account_id).send_due(market)
    assert last_carriers(env.cache, env.account_id).get("DE") == "gls"
    # … so a code GLS may have issued, scanned for another German order, is GLS's first
    next_german = place_and_cache(env, country="DE", postcode="10115").order
    result = resolve(env.cache, env.account_id, TWELVE, open_order=next_german)
    assert result.carrier == "gls"
    assert set(result.carriers) == {"fedex", "dhl", "deutsche-post", "gls"}
    assert result.tracking_url == f"https://gls-group.com/track/{TWELVE}"
    # … but not for France; and a preference passed in wins
    assert resolve(env.cache, env.account_id, TWELVE, open_order=to_france).carrier == "fedex"
    passed = resolve(
        env.cache, env.account_id, TWELVE, open_order=to_france, preferred_carriers={"FR": "dhl"}
    )
    assert passed.carrier == "dhl"


def test_lookups_use_indexes(env: Env) -> None:
    """Each statement a scan runs is answered from an index (no table scan, no sort)."""
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    packing = place_and_cache(env, country="DE", postcode="10115").order
    event.listen(env.cache.engine, "before_cursor_execute", record)
    try:
        for code in ("#538", "WC-538", "SHIP538", "MUG-1", TWELVE):
            resolve(env.cache, env.account_id, code, open_order=packing)
    finally:
        event.remove(env.cache.engine, "before_cursor_execute", record)
    selects = [(s, p) for s, p in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 6
    with env.cache.engine.connect() as connection:
        for statement, parameters in selects:
            plan = " | ".join(
                str(row[-1])
                for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            )
            assert "USING" in plan, plan
            assert "TEMP B-TREE" not in plan and "SCAN" not in plan, plan
